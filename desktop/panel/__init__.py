"""The coordinator's panel, behind the coordinator PIN: overview, day-end sync, signatures needing
attention, events, campaigns, phones signing through this laptop (crowd mode), settings and the audit log."""

# The sections in the panel's order: the panel (desktop/panel/page.py), the screenshot command and the
# tests read them here, without importing Qt.
SECTIONS = ("overview", "sync", "attention", "events", "campaigns", "phones", "settings", "log")
