"""The handwritten signature: asked for per campaign (off, optional, required), SVG path data only,
sealed with the other fields of its signer."""

from __future__ import annotations

import pytest
from nacl.public import PrivateKey

from db import campaigns, sealing
from db import validation as v
from db.engine import write_session
from db.schemas import Mode
from db.signatures import SignatureDraft, build_record, save_signature
from utils.factories import VALID_FIELDS, copy_bundle
from utils.sealing import give_key

STROKE = "M100 200L150 210Q180 220 200 260"


def _campaign(tmp_path, handwriting: str) -> campaigns.Campaign:
    folder = copy_bundle("act-on-syria", tmp_path)
    toml = (folder / "campaign.toml").read_text(encoding="utf-8")
    (folder / "campaign.toml").write_text(toml.replace("[form]\n", f'[form]\nhandwriting = "{handwriting}"\n', 1),
                                          encoding="utf-8")
    return campaigns.load_bundle(folder, source="import")


def _draft(svg: str | None, mode: Mode = Mode.KIOSK) -> SignatureDraft:
    fields: dict[str, str | None] = {**VALID_FIELDS, "signature_svg": svg}
    return SignatureDraft(fields=fields, consent_processing=True, mode=mode,
                          paper_sheet="3" if mode is Mode.PAPER else None)


def _keys(exc: v.SignatureInvalid) -> dict[str, str]:
    return {e.field: e.key for e in exc.errors}


def test_a_campaign_without_handwriting_refuses_a_drawing(tmp_path) -> None:
    shown = _campaign(tmp_path, "off").localised("en")
    with pytest.raises(v.SignatureInvalid) as refused:
        build_record(_draft(STROKE), shown)
    assert _keys(refused.value) == {"signature_svg": v.NOT_ASKED}


def test_required_handwriting_is_required_on_screen_but_not_for_paper_sheets(tmp_path) -> None:
    shown = _campaign(tmp_path, "required").localised("en")
    with pytest.raises(v.SignatureInvalid) as refused:
        build_record(_draft(None), shown)
    assert _keys(refused.value) == {"signature_svg": v.REQUIRED}
    assert build_record(_draft(STROKE), shown).signature_svg == STROKE
    assert build_record(_draft(None, Mode.PAPER), shown).signature_svg is None  # signed on the paper


@pytest.mark.parametrize("junk", ["<svg onload=alert(1)>", "L10 10", "M10 10 url(x)", "M" + "1" * 130_000])
def test_only_path_data_is_accepted(tmp_path, junk) -> None:
    shown = _campaign(tmp_path, "optional").localised("en")
    with pytest.raises(v.SignatureInvalid) as refused:
        build_record(_draft(junk), shown)
    assert "signature_svg" in _keys(refused.value)


def test_the_drawing_is_sealed_with_its_signer(engine, tmp_path) -> None:
    private = PrivateKey.generate()
    give_key(engine, private)
    campaign = _campaign(tmp_path, "optional")
    with write_session(engine) as session:  # the bundle is installed like any other
        campaigns.register(campaign, session=session)
        session.commit()
    saved = save_signature(_draft(STROKE), engine=engine, shown=campaign.localised("en"))
    raw = engine.raw_connection()
    try:
        svg, box = raw.cursor().execute("SELECT signature_svg, sealed FROM signature WHERE id = ?",
                                        (saved.id,)).fetchone()
    finally:
        raw.close()
    assert svg is None
    assert sealing.open_sealed(box, saved.id, private)["signature_svg"] == STROKE
