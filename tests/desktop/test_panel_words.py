"""Every kind of audit entry the code writes has words in the coordinator's log, not its raw name."""

from __future__ import annotations

import re
from pathlib import Path

from desktop.panel.words import AUDIT_KINDS

ROOT = Path(__file__).resolve().parents[2]


def test_every_audit_kind_written_has_words_in_the_log():
    written = set()
    for package in ("db", "desktop"):
        for source in (ROOT / package).rglob("*.py"):
            written |= set(re.findall(r'audit\.record\(\s*"([a-z_]+)"', source.read_text(encoding="utf-8")))
    assert "export" in written and "sealing_key" in written  # the scan finds what it looks for
    assert written - set(AUDIT_KINDS) == set()
