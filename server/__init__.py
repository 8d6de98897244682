"""Petition Kiosk's central server: FastAPI app (``server.app``), its own tables (``server.models``),
queries per area (``server.devices``, ``server.campaigns``, ``server.ingest``) and the operators' CLI
(``server.cli``). Never imports PySide6 or ``desktop``; the wire format comes from ``db``."""

from server.version import __version__

__all__ = ["__version__"]
