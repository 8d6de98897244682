"""Petition Kiosk's Qt-free core: tables, wire schemas, validation, campaigns, queries, migrations.

Nothing in this package may import PySide6, ``desktop`` or ``server`` (a test enforces it), so the
same code runs in the GUI, in headless commands, in the sync process and on the server.
"""

__version__ = "0.1.0"
