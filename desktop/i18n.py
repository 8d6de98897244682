"""Interface translations: compiling ``resources/translations/*.ts`` and installing them at run time.

``python -m desktop.i18n --compile`` turns every ``.ts`` into a ``.qm`` next to it (the set-up command
and the build run it). At run time the app's own catalogue and Qt's ``qtbase`` catalogue are loaded
for the chosen language.
"""

from __future__ import annotations

import sys
from pathlib import Path

from db import signer_text
from db.paths import resource_path

SOURCE_LANGUAGE = "en"
CATALOGUE = "petition_kiosk"
# The languages a signer can choose, each named in itself: the signer catalogue's, which the phone
# page and the server's pages offer too.
LANGUAGES = dict(signer_text.LANGUAGE_NAMES)
RTL_LANGUAGES = frozenset({"ar", "fa", "he", "ur"})
# The interface's language since the last apply_language: what desktop/messages.py asks the signer
# catalogue (db/signer_text.py) for, which has no QTranslator to follow.
_current_language = SOURCE_LANGUAGE


def current_language() -> str:
    return _current_language


def translations_dir() -> Path:
    return resource_path("translations")


def _tool(name: str) -> str:
    # here, not at the top: the first paint goes without it
    import shutil

    beside = Path(sys.executable).with_name(name)
    found = shutil.which(name) or (str(beside) if beside.exists() else None)
    if not found:
        raise RuntimeError(f"{name} not found: install PySide6 in this environment")
    return found


def _lrelease() -> str:
    return _tool("pyside6-lrelease")


def source_files() -> list[Path]:
    root = Path(__file__).resolve().parent
    return sorted(p for p in root.rglob("*.py") if "__pycache__" not in p.parts)


def update_catalogues(languages: list[str]) -> list[Path]:
    """Run lupdate over desktop/ for each language. English only carries plural forms."""
    # here, not at the top: the first paint goes without it
    import subprocess

    out = []
    for language in languages:
        ts = translations_dir() / f"{CATALOGUE}_{language}.ts"
        extra = ["-pluralonly"] if language == SOURCE_LANGUAGE else []
        subprocess.run(
            # -no-obsolete: a string no longer in the sources leaves the catalogue (a test refuses
            # catalogues with leftovers, which would hide a string that lost its translation).
            [_tool("pyside6-lupdate"), *map(str, source_files()), *extra, "-locations", "none", "-no-obsolete",
             "-source-language", SOURCE_LANGUAGE, "-target-language", language, "-ts", str(ts)],
            check=True, capture_output=True,
        )
        if language == SOURCE_LANGUAGE:
            fill_english_plurals(ts)
        out.append(ts)
    return out


def fill_english_plurals(ts: Path) -> None:
    """English plural forms follow from the source text: "%Ln signature(s)" -> "%Ln signature" and
    "%Ln signatures". Sources are written with "(s)" so this stays mechanical."""
    # here, not at the top: the first paint goes without it
    import xml.etree.ElementTree as ET

    tree = ET.parse(ts)
    for message in tree.getroot().iter("message"):
        if message.get("numerus") != "yes":
            continue
        source = message.findtext("source") or ""
        translation = message.find("translation")
        assert translation is not None
        translation.attrib.pop("type", None)
        forms = translation.findall("numerusform")
        for form, text in zip(forms, (source.replace("(s)", ""), source.replace("(s)", "s")), strict=False):
            form.text = text
    tree.write(ts, encoding="utf-8", xml_declaration=True)


def compile_all(directory: Path | None = None) -> list[Path]:
    # here, not at the top: the first paint goes without it
    import subprocess

    directory = directory or translations_dir()
    out = []
    for ts in sorted(directory.glob("*.ts")):
        qm = ts.with_suffix(".qm")
        if qm.exists() and qm.stat().st_mtime >= ts.stat().st_mtime:
            out.append(qm)
            continue
        subprocess.run([_lrelease(), "-silent", str(ts), "-qm", str(qm)], check=True)
        out.append(qm)
    return out


def available_languages() -> list[str]:
    """Languages the interface speaks: the source language plus every compiled catalogue."""
    langs = {SOURCE_LANGUAGE}
    for qm in translations_dir().glob(f"{CATALOGUE}_*.qm"):
        langs.add(qm.stem.split("_", 2)[-1])
    return sorted(langs)


class Translators:
    """Holds the installed QTranslators so a language switch can replace them."""

    def __init__(self) -> None:
        self._installed: list[object] = []

    def uninstall(self, app: object) -> None:
        for old in self._installed:
            app.removeTranslator(old)  # type: ignore[attr-defined]
        self._installed.clear()

    def install(self, app: object, language: str) -> bool:
        # here, not at the top: the first paint goes without it
        from PySide6.QtCore import QLibraryInfo, QTranslator

        self.uninstall(app)
        ours = QTranslator()
        found = ours.load(f"{CATALOGUE}_{language}", str(translations_dir()))
        if found:
            app.installTranslator(ours)  # type: ignore[attr-defined]
            self._installed.append(ours)
        if language == SOURCE_LANGUAGE:
            return True
        qt = QTranslator()
        if qt.load(f"qtbase_{language}", QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)):
            app.installTranslator(qt)  # type: ignore[attr-defined]
            self._installed.append(qt)
        return found


def is_rtl(locale: str) -> bool:
    return locale.split("-")[0] in RTL_LANGUAGES


def apply_language(app: object, translators: Translators, locale: str) -> None:
    """Switch the whole interface: catalogues, number formatting and layout direction. Widgets then
    need their ``retranslate()`` (the window does that); Arabic glyphs come from the app font's
    fallback family (desktop/app.py), so the font itself does not change."""
    # here, not at the top: the first paint goes without it
    from PySide6.QtCore import QLocale
    from PySide6.QtGui import QGuiApplication

    global _current_language
    language = locale.split("-")[0]
    translators.install(app, language)
    _current_language = language
    QLocale.setDefault(QLocale(language))
    rtl = is_rtl(language)
    if QGuiApplication.isRightToLeft() != rtl:  # asked as a bool: Qt's namespace is not loaded for nothing
        # here, not at the top: the first paint goes without it
        from PySide6.QtCore import Qt

        QGuiApplication.setLayoutDirection(Qt.LayoutDirection.RightToLeft if rtl else Qt.LayoutDirection.LeftToRight)


def main(argv: list[str] | None = None) -> int:
    # here, not at the top: the first paint goes without it
    import argparse

    parser = argparse.ArgumentParser(prog="python -m desktop.i18n")
    parser.add_argument("--compile", action="store_true", help="compile resources/translations/*.ts to .qm")
    parser.add_argument("--update", nargs="*", metavar="LANG",
                        help="refresh the .ts catalogues from the sources (default: every existing one)")
    args = parser.parse_args(argv)
    if args.update is not None:
        existing = [p.stem.split("_", 2)[-1] for p in translations_dir().glob(f"{CATALOGUE}_*.ts")]
        for ts in update_catalogues(args.update or existing or [SOURCE_LANGUAGE]):
            print(ts)
    if args.compile:
        for qm in compile_all():
            print(qm)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
