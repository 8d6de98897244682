"""Crowd mode: phones sign through this device's own local web page, with no internet.

Qt-free, so the headless ``petition-kiosk crowd`` and the app's service child run the same code:
``invite`` (what the two QR codes say), ``app`` (the phone pages, an ASGI app served by uvicorn).
"""
