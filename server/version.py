"""The server's version (its own module, so importing it never depends on how ``server`` was found)."""

__version__ = "0.1.0"
