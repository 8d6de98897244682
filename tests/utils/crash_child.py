"""Child process of tests/db/test_crash.py: saves signatures in a loop on the data directory given as
the first argument and prints each id once save_signature has returned (flushed at once), so every id
the parent reads was reported to a signer as saved. The parent kills it with SIGKILL."""

from __future__ import annotations

import sys
from pathlib import Path

from db.campaigns import load_bundle
from db.migrate import open_database
from db.paths import resource_path
from db.signatures import SignatureDraft, save_signature


def main() -> None:
    data_dir, label = Path(sys.argv[1]), sys.argv[2]
    engine = open_database(data_dir)
    shown = load_bundle(resource_path("campaigns", "act-on-syria")).localised("en")
    print("ready", flush=True)
    n = 0
    while True:
        n += 1
        draft = SignatureDraft(
            fields={"given_name": "Crash", "family_name": f"Round {label} {n}", "email": f"r{label}.{n}@example.org"},
            consent_processing=True,
        )
        saved = save_signature(draft, engine=engine, shown=shown)
        print(saved.id, flush=True)


if __name__ == "__main__":
    main()
