"""The kiosk's sign form reads its labels and validation messages from the signer catalogue
(db/signer_text.py), in the language the interface was just switched to."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel

from desktop.flow import Event


def _captions(form) -> set[str]:
    return {label.text() for label in form.findChildren(QLabel) if label.buddy() is not None}


def _submit_a_bad_email(qtbot, kiosk) -> QLabel:
    form = kiosk.sign
    form.editors["email"].clear()
    qtbot.keyClicks(form.editors["email"], "yara at example")
    kiosk.submit()
    return form.errors["email"]


def test_the_form_shows_the_catalogue_s_arabic_after_a_switch(qtbot, kiosk):
    kiosk.send(Event.BEGIN)
    kiosk.send(Event.SIGN_PRESSED)
    assert "First name" in _captions(kiosk.sign)
    kiosk.set_language("ar")
    form = kiosk.sign
    captions = _captions(form)
    assert "الاسم الأول" in captions and "First name" not in captions
    assert "البريد الإلكتروني (اختياري)" in captions
    assert form.editors["email"].accessibleName() == "البريد الإلكتروني"
    error = _submit_a_bad_email(qtbot, kiosk)
    assert error.isVisible() and error.text() == "لا يبدو هذا عنوان بريد إلكتروني."
    assert "يُرجى وضع علامة في هذا المربع للتوقيع." in form.errors["consent_processing"].text()


def test_the_same_words_follow_a_second_switch(qtbot, kiosk):
    kiosk.set_language("ar")
    kiosk.send(Event.BEGIN)
    kiosk.send(Event.SIGN_PRESSED)
    kiosk.set_language("de")
    assert "Vorname" in _captions(kiosk.sign)
    assert _submit_a_bad_email(qtbot, kiosk).text() == "Das sieht nicht nach einer E-Mail-Adresse aus."
    kiosk.set_language("en")
    assert _submit_a_bad_email(qtbot, kiosk).text() == "This does not look like an email address."


def test_the_sign_form_s_captions_and_the_thanks_come_from_the_catalogue(qtbot, kiosk):
    kiosk.set_language("ar")
    kiosk.send(Event.BEGIN)
    kiosk.send(Event.SIGN_PRESSED)
    form = kiosk.sign
    assert form.heading.text() == "أضف اسمك: " + kiosk.ctx.campaign.localised("ar").texts.title
    assert form.subheading.text() == "لن يستغرق ذلك أكثر من دقيقة."
    assert form.sign_button.text() == "وقّع" and form.sign_button.accessibleName() == "وقّع العريضة"
    assert form.editors["country"].itemText(0) == "اختر البلد"
    kiosk.set_language("de")
    assert form.heading.text().startswith("Ihre Unterschrift: ")
    assert form.editors["country"].itemText(0) == "Land auswählen"
    assert kiosk.thanks.title.text() == "Danke für Ihre Unterschrift!"
