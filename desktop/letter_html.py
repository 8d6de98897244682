"""The letter page's document, built from a campaign's texts. Qt-free, so it can be cached.

It follows the same fields in the same order as ``LocalisedCampaign.letter_text``, which is the text
hashed into every signature. Its look comes from ``DOCUMENT_CSS`` in ``desktop/pages/letter.py``.
"""

from __future__ import annotations

from html import escape

from db.campaigns import LocalisedCampaign, Organisation, paragraphs

# Changing the markup? Bump desktop.letter_cache.MARKUP_FORMAT so cached documents are rebuilt.

def _paras(text: str, css_class: str | None = None) -> str:
    attr = f' class="{css_class}"' if css_class else ""
    return "".join(f"<p{attr}>{escape(p)}</p>" for p in paragraphs(text))


def _orgs(orgs: tuple[Organisation, ...]) -> str:
    items = []
    for org in orgs:
        inner = _orgs(org.members) if org.members else ""
        items.append(f"<li>{escape(org.name)}{inner}</li>")
    return "<ul>" + "".join(items) + "</ul>"


def letter_html(shown: LocalisedCampaign) -> str:
    t = shown.texts
    manifest = shown.campaign.manifest
    direction = "rtl" if shown.rtl else "ltr"
    parts = [f'<div dir="{direction}">', f"<h1>{escape(t.title)}</h1>"]
    photo = shown.campaign.photo_path
    if photo is not None:
        parts.append(f'<p><img src="{escape(photo.resolve().as_uri())}" width="640"></p>')
        if t.photo_caption:
            parts.append(f'<p class="caption">{escape(t.photo_caption)}</p>')
    if t.intro:
        parts.append(_paras(t.intro))
    if t.addressee:
        parts.append(f'<p class="addressee">{escape(t.addressee)}</p>')
    parts.append(_paras(t.letter))
    if t.full_letter:
        fl = t.full_letter
        parts.append(f"<h2>{escape(fl.heading)}</h2>")
        if fl.addressee:
            parts.append(f'<p class="addressee">{escape(fl.addressee)}</p>')
        parts.append(_paras(fl.body))
        if fl.demands_intro:
            parts.append(f"<p>{escape(fl.demands_intro)}</p>")
    if t.demands:
        if t.demands_heading:
            parts.append(f"<h2>{escape(t.demands_heading)}</h2>")
        parts.append("<ol>" + "".join(f"<li>{escape(d)}</li>" for d in t.demands) + "</ol>")
    if manifest.organisations:
        if t.organisations_heading:
            parts.append(f"<h2>{escape(t.organisations_heading)}</h2>")
        parts.append(_orgs(manifest.organisations))
    if t.contact:
        parts.append(f'<p class="contact">{escape(t.contact)}</p>')
    parts.append("</div>")
    return "".join(parts)
