"""Crowd mode's Qt side: the service that serves the phone pages, the hotspot, the two QR codes and
the poster (the Qt-free part is db/crowd/)."""
