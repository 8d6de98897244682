"""Crowd mode in the app: the phone service, its hotspot, codes and poster (the phone pages: db/crowd/)."""
