"""The Sign button's save path with sealing against the same path without it, in the same run.

Two data directories with the same schema and the same built-in campaign (``when-key``): one device
holds a server's sealing key (so every save seals the signer's fields, db/sealing.py), the other holds
none (so it saves in clear). Each sample is one ``db.signatures.save_signature`` call, exactly what the
Sign button runs; the two alternate sample by sample, the order flipping each time, so disk and CPU
noise hit both alike.
"""

from __future__ import annotations

import base64
import tempfile
from pathlib import Path
from time import perf_counter

from bench.bench_save import WARMUP, _fields, _filesystem
from bench.core import Figure, median, percentile

NAME = "save-sealed"
DESCRIPTION = "Sign-button save with sealing (sealed box to the server's key) vs the same save in clear"


def run(quick: bool) -> list[Figure]:
    from nacl.public import PrivateKey

    from db import sealing
    from db.campaigns import load_builtin, register
    from db.engine import write_session
    from db.migrate import open_database
    from db.signatures import SignatureDraft, save_signature

    samples = 200 if quick else 1000
    campaigns = load_builtin()
    shown = campaigns[0].localised("en")
    form_fields = [f.name for f in shown.campaign.manifest.form.fields]
    with tempfile.TemporaryDirectory(prefix="petition-bench-sealed-") as tmp:
        engines = {}
        for kind in ("sealed", "clear"):
            engine = engines[kind] = open_database(Path(tmp) / kind)
            with write_session(engine) as session:
                for campaign in campaigns:
                    register(campaign, session=session)
                if kind == "sealed":
                    raw = bytes(PrivateKey.generate().public_key)
                    sealing.remember_keys(
                        [{"purpose": "sealing", "public_key": base64.b64encode(raw).decode()}],
                        server_url=None, session=session)
                session.commit()

        def save(kind: str, i: int) -> float:
            draft = SignatureDraft(fields=_fields(i, form_fields), consent_processing=True, consent_updates=i % 3 == 0)
            start = perf_counter()
            save_signature(draft, engine=engines[kind], shown=shown)
            return perf_counter() - start

        for i in range(WARMUP):
            save("sealed", -1 - i)
            save("clear", -1 - i)
        times: dict[str, list[float]] = {"sealed": [], "clear": []}
        for i in range(samples):
            order = ("sealed", "clear") if i % 2 == 0 else ("clear", "sealed")
            for kind in order:
                times[kind].append(save(kind, i) * 1000)

        raw_con = engines["sealed"].raw_connection()
        try:
            sealed_rows = raw_con.cursor().execute(
                "SELECT count(*) FROM signature WHERE sealed IS NOT NULL AND given_name IS NULL").fetchone()[0]
        finally:
            raw_con.close()
        for engine in engines.values():
            engine.dispose()
        where = _filesystem(Path(tmp))

    baseline = "the same save_signature in clear (device without a sealing key), same run"
    note = (f"{samples} saves each, alternating; {sealed_rows} of {samples + WARMUP} rows sealed; "
            f"campaign {shown.campaign.slug}; databases on {where}")
    return [
        Figure("save-sealed.median", median(times["sealed"]), "ms", median(times["clear"]), baseline,
               "ratio <= 1.5", note),
        Figure("save-sealed.p99", percentile(times["sealed"], 99), "ms", percentile(times["clear"], 99), baseline),
    ]
