"""The signer catalogue (db/signer_text.py): what it answers, and that its files are complete and current:
every message translated in every language, the compiled .mo files what the .po files say, the .pot
what the sources mark."""

from __future__ import annotations

import re
import string

import pytest

from db import signer_catalogue, signer_text
from db.signer_text import choose_language, translate, translator

TRANSLATED = [lang for lang in signer_text.LANGUAGES if lang != signer_text.SOURCE_LANGUAGE]


def _placeholders(text: str) -> list[str]:
    return sorted(name for _, name, _, _ in string.Formatter().parse(text) if name is not None)


def test_the_catalogue_translates_and_fills_in():
    assert signer_text.validation_message("ar", "email_invalid") == "لا يبدو هذا عنوان بريد إلكتروني."
    assert signer_text.field_label("de", "postal_code") == "Postleitzahl"
    assert signer_text.optional_suffix("de") == "(freiwillig)"
    assert signer_text.name_hint("en") == "If you have only one name, write it in either name field."
    assert signer_text.validation_message("de", "no such key") == "Bitte prüfen Sie das."
    with pytest.raises(KeyError):
        signer_text.field_label("en", "password")
    assert translate("en", "Hello {name}", name="Yara") == "Hello Yara"
    assert translate("en", "{not_a_field}") == "{not_a_field}"  # no fields: no formatting


def test_counted_messages_take_the_language_s_plural_form():
    """gettext's plural rules (the catalogue's Plural-Forms): English and German tell one from many,
    Arabic has six forms (zero, one, two, a few: 3 to 10, many: 11 to 99, and the rest: 100 to 102)."""
    ids = ("delivery", "{n} signer", "{n} signers")
    assert [signer_text.translate_plural("en", *ids, n) for n in (0, 1, 2)] == ["0 signers", "1 signer", "2 signers"]
    assert [signer_text.translate_plural("de", *ids, n) for n in (1, 2)] == ["1 unterzeichnende Person",
                                                                           "2 Unterzeichnende"]
    arabic = [signer_text.translate_plural("ar", *ids, n) for n in (0, 1, 2, 3, 10, 11, 99, 100, 102, 103, 111)]
    assert arabic == ["0 موقّع", "موقّع واحد", "موقّعان", "3 موقّعين", "10 موقّعين", "11 موقّعًا", "99 موقّعًا",
                      "100 موقّع", "102 موقّع", "103 موقّعين", "111 موقّعًا"]
    assert signer_text.npgettext(*ids) == ids[1:]


@pytest.mark.parametrize("asked", ["fr", "", "xx-YY", "../../etc"])
def test_a_language_the_catalogue_lacks_gets_english(asked):
    assert signer_text.validation_message(asked, "required") == "Please fill this in."
    assert signer_text.language_of(asked) == "en"


def test_regional_tags_find_their_language():
    assert signer_text.language_of("de-AT") == signer_text.language_of("de_CH") == "de"
    assert signer_text.field_label("AR", "city") == "المدينة"
    assert signer_text.is_rtl("ar-SY") and not signer_text.is_rtl("de")
    assert set(signer_text.LANGUAGE_NAMES) == set(signer_text.LANGUAGES)


def test_a_translator_is_a_language_bound_gettext():
    _ = translator("de")
    assert _("City") == "Ort"
    assert _("An English sentence nobody translated.") == "An English sentence nobody translated."
    assert translator("ar-SY").lang == "ar"


@pytest.mark.parametrize(("query", "header", "expected"), [
    ("de", "ar", "de"),
    ("fr", "ar;q=0.9, de;q=0.8", "ar"),
    (None, "fr-FR, de-DE;q=0.5, ar;q=0.7", "ar"),
    (None, "de-AT", "de"),
    (None, "fr, es;q=0.5", "en"),
    (None, "de;q=banana, ar;q=0.1", "ar"),
    (None, None, "en"),
    ("DE", None, "en"),  # ?lang= is the link's own, exactly as the page writes it
])
def test_choosing_a_page_s_language(query, header, expected):
    assert choose_language(query, header) == expected


@pytest.mark.parametrize("lang", TRANSLATED)
def test_every_signer_message_is_translated(lang):
    """Every message of the .pot has a finished translation in the language's .po, with the same
    placeholders; the .po has nothing the .pot does not."""
    template = signer_catalogue.read(signer_catalogue.pot_path())
    catalog = signer_catalogue.read(signer_catalogue.po_path(lang), lang)
    ids = {(m.context, m.id) for m in template if m.id}
    assert len(ids) >= 20
    assert {(m.context, m.id) for m in catalog if m.id} == ids
    for message in catalog:
        if not message.id:
            continue
        if not isinstance(message.id, str):  # a counted message: every form the language has, filled in
            forms = message.string
            assert len(forms) == catalog.num_plurals, message.id
            assert all(form.strip() for form in forms), message.id
            assert not message.fuzzy, message.id
            # A form may leave the number out ("موقّع واحد", one signer), never another placeholder.
            wanted = set(_placeholders(message.id[1])) - {"n"}
            assert _placeholders(message.id[0]) == _placeholders(message.id[1]), message.id
            for form in forms:
                assert set(_placeholders(form)) - {"n"} == wanted, (message.id, form)
                assert not re.search(r"%\d", form), message.id
            continue
        assert message.string and message.string.strip(), message.id
        assert not message.fuzzy, message.id
        assert _placeholders(message.string) == _placeholders(message.id), message.id
        assert not re.search(r"%\d", message.string), message.id  # Qt's markers do not work here


@pytest.mark.parametrize("lang", TRANSLATED)
def test_the_compiled_catalogue_is_what_the_po_says(lang):
    """The committed .mo (what the app and the server read) holds exactly the .po's translations: after
    editing a .po, ``./dev.sh messages`` compiles it."""
    assert signer_catalogue.compiled(lang) == signer_catalogue.translations(
        signer_catalogue.read(signer_catalogue.po_path(lang), lang))


def test_the_template_holds_what_the_sources_mark():
    """A message marked in db/, desktop/, server/ or a template but missing from signer.pot would show in
    English to everyone: ``./dev.sh messages`` extracts it."""
    extracted = {(m.context, m.id) for m in signer_catalogue.extract() if m.id}
    committed = {(m.context, m.id) for m in signer_catalogue.read(signer_catalogue.pot_path()) if m.id}
    assert extracted == committed


def test_the_signer_catalogue_needs_no_babel_at_run_time():
    """The app bundle leaves Babel out: only the developer's tool imports it."""
    import subprocess
    import sys

    code = ("import sys, db.signer_text as s; s.translate('ar', 'City'); s.choose_language(None, 'de'); "
            "print(sorted(m for m in sys.modules if m.split('.')[0] == 'babel'))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


def test_a_merge_of_two_branches_that_added_messages_keeps_both(tmp_path, monkeypatch):
    """``--merge-conflicts``: the .po files of two branches that each added a message (git cannot merge
    their neighbouring lines) become one with both translations, and a clash is reported, ours kept."""
    import subprocess

    from babel.messages.catalog import Catalog

    def git(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(["git", "-c", "user.name=t", "-c", "user.email=t@example.org", *args], cwd=tmp_path,
                              capture_output=True, text=True, check=False)

    monkeypatch.setattr(signer_catalogue, "ROOT", tmp_path)
    monkeypatch.setattr(signer_catalogue, "catalogue_dir", lambda: tmp_path / "db" / "translations")
    (tmp_path / "db").mkdir()
    source = tmp_path / "db" / "words.py"

    def commit(words: dict[str, dict[str, str]], message: str) -> None:
        source.write_text("".join(f"N_({en!r})\n" for en in words))
        template = signer_catalogue.extract()
        signer_catalogue._write_po(signer_catalogue.pot_path(), template, force=True)
        for lang in TRANSLATED:
            catalog = Catalog(locale=lang, **signer_catalogue.HEADER)
            for en, texts in words.items():
                catalog.add(en, texts[lang])
            signer_catalogue._write_po(signer_catalogue.po_path(lang), catalog, force=True)
        assert git("add", "-A").returncode == 0
        assert git("commit", "-qm", message).returncode == 0

    base = {"City": {"ar": "المدينة", "de": "Ort"}}
    assert git("init", "-q", "-b", "main").returncode == 0
    commit(base, "base")
    git("checkout", "-qb", "other")
    commit(base | {"Language": {"ar": "اللغة", "de": "Sprache"}, "Sign": {"ar": "وقّع", "de": "Signieren"}}, "theirs")
    git("checkout", "-q", "main")
    commit(base | {"Country": {"ar": "البلد", "de": "Land"}, "Sign": {"ar": "وقّع", "de": "Unterschreiben"}}, "ours")
    assert git("merge", "-q", "other").returncode != 0  # the conflict this is for
    source.write_text("N_('City')\nN_('Country')\nN_('Language')\nN_('Sign')\n")  # the sources, merged

    clashes = signer_catalogue.merge_conflicts()
    assert clashes == ["de: 'Sign': kept 'Unterschreiben', not 'Signieren'"]
    signer_catalogue.update()
    german = signer_catalogue.translations(signer_catalogue.read(signer_catalogue.po_path("de"), "de"))
    assert german == {(None, "City"): "Ort", (None, "Country"): "Land", (None, "Language"): "Sprache",
                      (None, "Sign"): "Unterschreiben"}
    assert "<<<<<<<" not in signer_catalogue.pot_path().read_text()
