"""Keeping the signer catalogue (``db/signer_text.py``) in step with the sources: a developer's tool,
run as ``./dev.sh messages`` (``python -m db.signer_catalogue``). Needs Babel, which only the
development environment installs; the app and the server read the compiled ``.mo`` files with the
standard library.

1. extract: every ``N_("...")``, ``_("...")``, ``pgettext("context", "...")`` and
   ``npgettext("context", "singular", "plural")`` in db/, desktop/ and
   server/ and in the jinja2 templates under server/, db/ and resources/phone/ -> ``signer.pot``;
2. update: each language's ``signer.po`` gains the new messages (untranslated, so the test that every
   message is translated fails until someone translates them) and loses the ones no source has;
3. compile: each ``signer.po`` -> ``signer.mo`` beside it.

A file is rewritten only when its messages changed, so a run on unchanged sources changes nothing
(the headers' dates would otherwise make every branch's run a merge conflict).
"""

from __future__ import annotations

import argparse
import io
from pathlib import Path
from typing import Any

from db.signer_text import DOMAIN, LANGUAGES, SOURCE_LANGUAGE, catalogue_dir

ROOT = Path(__file__).resolve().parent.parent
# gettext's names, and N_ for a string marked where it is defined and translated where it is shown.
KEYWORDS: dict[str, Any] = {"_": None, "N_": None, "pgettext": ((1, "c"), 2), "npgettext": ((1, "c"), 2, 3)}
METHOD_MAP = [
    ("db/**.py", "python"),
    ("desktop/**.py", "python"),
    ("server/**.py", "python"),
    ("server/**.html", "jinja2"),
    ("db/**.html", "jinja2"),  # the crowd-mode phone pages' templates
    ("resources/phone/**.html", "jinja2"),
]
OPTIONS_MAP = {"**.html": {"trim_blocks": "true", "lstrip_blocks": "true"}}
WIDTH = 110
HEADER: dict[str, Any] = {"project": "Petition Kiosk", "version": "signer messages", "domain": DOMAIN, "charset": "utf-8",
          "copyright_holder": "the Petition Kiosk authors", "msgid_bugs_address": "",
          "last_translator": "", "language_team": "LANGUAGE"}
TRANSLATED = tuple(lang for lang in LANGUAGES if lang != SOURCE_LANGUAGE)


def pot_path() -> Path:
    return catalogue_dir() / f"{DOMAIN}.pot"


def po_path(lang: str) -> Path:
    return catalogue_dir() / lang / "LC_MESSAGES" / f"{DOMAIN}.po"


def mo_path(lang: str) -> Path:
    return po_path(lang).with_suffix(".mo")


def extract() -> Any:
    """A Catalog of every message the sources mark, without locations (they would churn on every edit)."""
    from babel.messages.catalog import Catalog
    from babel.messages.extract import extract_from_dir

    catalog = Catalog(**HEADER)
    for _filename, _lineno, message, comments, context in extract_from_dir(
        str(ROOT), METHOD_MAP, OPTIONS_MAP, keywords=KEYWORDS, comment_tags=("Translators:",),
        strip_comment_tags=True,
    ):
        catalog.add(message, None, auto_comments=comments, context=context)
    return catalog


def read(path: Path, lang: str | None = None) -> Any:
    from babel.messages.pofile import read_po

    with path.open("rb") as f:
        return read_po(f, locale=lang, domain=DOMAIN)


def _contents(catalog: Any) -> list[tuple[Any, ...]]:
    """What a file says, less its header: ids, contexts, translations, flags and comments."""
    return sorted(
        (repr(m.context), repr(m.id), repr(m.string or ""), tuple(sorted(m.flags)), tuple(m.auto_comments),
         tuple(m.user_comments))
        for m in catalog if m.id
    )


def _write_po(path: Path, catalog: Any, *, force: bool = False) -> bool:
    from babel.messages.pofile import write_po

    if not force and path.exists() and _contents(read(path, catalog.locale_identifier)) == _contents(catalog):
        return False
    buffer = io.BytesIO()
    write_po(buffer, catalog, width=WIDTH, no_location=True, omit_header=False, sort_output=True,
             ignore_obsolete=True, include_previous=False)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(buffer.getvalue())
    return True


def translations(catalog: Any) -> dict[tuple[Any, ...], str]:
    """The finished translations a ``.po`` gives: (context, id) -> text, and (context, singular id, form
    index) -> text for each form of a plural message; fuzzy and empty ones left out, as compiling leaves
    them out."""
    out: dict[tuple[Any, ...], str] = {}
    for m in catalog:
        if not m.id or not m.string or m.fuzzy:
            continue
        if isinstance(m.id, str):
            out[m.context, m.id] = m.string
        else:
            out.update(((m.context, m.id[0], i), form) for i, form in enumerate(m.string) if form)
    return out


def compiled(lang: str) -> dict[tuple[Any, ...], str]:
    """What the committed ``.mo`` of ``lang`` holds, as :func:`translations` says it."""
    import gettext

    with mo_path(lang).open("rb") as f:
        mo = gettext.GNUTranslations(f)
    out: dict[tuple[Any, ...], str] = {}
    for key, text in mo._catalog.items():  # type: ignore[attr-defined]  # the one way to list a .mo
        form: tuple[int, ...] = ()
        if isinstance(key, tuple):  # a plural message's form: (singular id, index)
            key, form = key[0], (key[1],)
        if not key:
            continue  # the header
        context, sep, msgid = key.partition("\x04")
        out[((context, msgid) if sep else (None, key)) + form] = text
    return out


def update() -> list[Path]:
    """Extract into the ``.pot`` and bring every ``.po`` up to it; returns the files written."""
    written = []
    template = extract()
    if _write_po(pot_path(), template):
        written.append(pot_path())
    for lang in TRANSLATED:
        path = po_path(lang)
        if path.exists():
            catalog = read(path, lang)
        else:
            from babel.messages.catalog import Catalog

            catalog = Catalog(locale=lang, **HEADER)
            catalog.fuzzy = False  # the header: a fuzzy one would be left out of the .mo, and its charset with it
        # No fuzzy matching: a guessed translation of a changed sentence is worse than none, and the
        # test that every message is translated names it.
        catalog.update(template, no_fuzzy_matching=True, update_header_comment=False)
        catalog.obsolete.clear()
        if _write_po(path, catalog):
            written.append(path)
    return written


def compile_all(*, force: bool = False) -> list[Path]:
    """Each ``.po`` -> ``.mo`` where the ``.mo`` does not already hold what the ``.po`` says."""
    from babel.messages.mofile import write_mo

    written = []
    for lang in TRANSLATED:
        catalog = read(po_path(lang), lang)
        if not force and mo_path(lang).exists() and compiled(lang) == translations(catalog):
            continue
        buffer = io.BytesIO()
        write_mo(buffer, catalog, use_fuzzy=False)
        mo_path(lang).write_bytes(buffer.getvalue())
        written.append(mo_path(lang))
    return written


def _stage(path: Path, stage: int, lang: str | None) -> Any | None:
    """One side of a git merge conflict in ``path`` (2: ours, 3: theirs), or None when that side has none."""
    import subprocess

    from babel.messages.pofile import read_po

    shown = subprocess.run(["git", "show", f":{stage}:{path.relative_to(ROOT).as_posix()}"], cwd=ROOT,
                           capture_output=True, check=False)
    return read_po(io.BytesIO(shown.stdout), locale=lang, domain=DOMAIN) if shown.returncode == 0 else None


def merge_conflicts() -> list[str]:
    """After a git merge that conflicts in the ``.po`` files (two branches added messages): each ``.po``
    becomes the union of both sides' translations; then :func:`update` and :func:`compile_all` make the
    ``.pot`` and the ``.mo`` files from the merged sources. Returns the messages both sides translated
    differently (ours is kept: look at them)."""
    clashes = []
    if _stage(pot_path(), 2, None) is not None:
        pot_path().unlink()  # conflict markers; extracted anew from the merged sources
    for lang in TRANSLATED:
        path = po_path(lang)
        ours, theirs = _stage(path, 2, lang), _stage(path, 3, lang)
        if ours is None or theirs is None:
            continue
        for message in theirs:
            if not message.id or not message.string:
                continue
            mine = ours.get(message.id, message.context)
            if mine is None:
                ours.add(message.id, message.string, context=message.context, flags=message.flags,
                         auto_comments=message.auto_comments, user_comments=message.user_comments)
            elif not mine.string:  # (Catalog.add would keep the empty translation)
                mine.string = message.string
            elif mine.string != message.string:
                clashes.append(f"{lang}: {message.id!r}: kept {mine.string!r}, not {message.string!r}")
        _write_po(path, ours, force=True)
    return clashes


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m db.signer_catalogue", description=__doc__.split("\n\n")[0])
    parser.add_argument("--compile-only", action="store_true", help="only compile the .po files to .mo")
    parser.add_argument("--merge-conflicts", action="store_true",
                        help="after a git merge that conflicts in the .po files: take both sides' translations, "
                             "then extract and compile as usual (git add the files afterwards)")
    args = parser.parse_args(argv)
    if args.merge_conflicts:
        for clash in merge_conflicts():
            print("translated differently on the two sides:", clash)
    written = ([] if args.compile_only else update()) + compile_all()
    for path in written:
        print(path.relative_to(ROOT))
    if not written:
        print("the signer catalogue is up to date")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
