"""The coordinator's panel, behind the coordinator PIN: overview, day-end sync, signatures needing
attention, events, campaigns, settings and the audit log."""
