"""Export of sealed signatures: the server opening 100,000 sealed signatures into the CSV.

Two server databases (SQLite) hold the same number of signatures of the same shape: one sealed as
devices seal them (db.sealing.seal: libsodium sealed box), one in clear. The figure is signatures
written per second by ``server.export.export_csv`` on the sealed one with its keys unlocked; the
baseline is the same export of the clear one, measured in the same run (best of a few rounds each,
alternating, so that neither gets a warmer cache). Also shown: opening alone (box, JSON, id check)
and the one-time unlock of a key at the default Argon2id cost, the wait after typing the passphrase.
"""

from __future__ import annotations

import tempfile
from pathlib import Path
from time import perf_counter

from bench.core import Figure

NAME = "export-sealed"
DESCRIPTION = "server export opening 100,000 sealed signatures, against exporting as many clear ones"

FULL = 100_000
QUICK = 3_000


def run(quick: bool) -> list[Figure]:
    from sqlmodel import Session, select

    from bench.sealed_data import PASSPHRASE, add_device, ensure_sealing_key, store_signatures
    from server import sealing
    from server.database import open_database, sqlite_url, write_session
    from server.export import export_csv
    from server.models import StoredSignature

    count = QUICK if quick else FULL
    rounds = 3 if quick else 2
    with tempfile.TemporaryDirectory(prefix="bench-export-sealed-") as scratch:
        root = Path(scratch)
        clear = open_database(sqlite_url(root / "clear"))
        sealed = open_database(sqlite_url(root / "sealed"))
        try:
            with write_session(sealed) as session:
                ensure_sealing_key(session, cost=sealing.DEFAULT_COST)
                session.commit()
                key = sealing.active_public_key(session=session)
            store_signatures(clear, add_device(clear), count)
            store_signatures(sealed, add_device(sealed), count, key=key)

            start = perf_counter()
            with Session(sealed) as session:
                keys = sealing.unlock(PASSPHRASE, session=session)
            unlock_s = perf_counter() - start

            best_clear = best_sealed = float("inf")
            for _ in range(rounds):
                start = perf_counter()
                done = export_csv(clear, root / "clear.csv")
                best_clear = min(best_clear, perf_counter() - start)
                assert done.count == count
                start = perf_counter()
                done = export_csv(sealed, root / "sealed.csv", keys)
                best_sealed = min(best_sealed, perf_counter() - start)
                assert done.count == count and done.opened == count and not done.not_opened

            with Session(sealed) as session:
                boxes = session.exec(select(StoredSignature.id, StoredSignature.sealed, StoredSignature.sealed_key)).all()
            start = perf_counter()
            for sig_id, box, key_id in boxes:
                assert box is not None
                opened = sealing.open_fields(box, sig_id, key_id, keys)
                assert not isinstance(opened, str)
            open_s = perf_counter() - start
        finally:
            clear.dispose()
            sealed.dispose()

    ops, mem = sealing.KDF_COSTS[sealing.DEFAULT_COST]
    baseline = "the same export of as many clear signatures, same run"
    return [
        Figure("export-sealed.rate", count / best_sealed, "signatures/s", baseline=count / best_clear,
               baseline_name=baseline, note=f"{count} signatures; a ratio below 1 is the share of the clear speed kept"),
        Figure("export-sealed.per_signature", best_sealed / count * 1e6, "us", baseline=best_clear / count * 1e6,
               baseline_name=baseline),
        Figure("export-sealed.open_only", count / open_s, "signatures/s",
               note="server.sealing.open_fields alone: sealed box, JSON, id check"),
        Figure("export-sealed.unlock", unlock_s, "s",
               note=f"one key, Argon2id {sealing.DEFAULT_COST} (opslimit {ops}, memlimit {mem // 2**20} MiB), once per export"),
    ]
