"""The outdoor theme: text readable in bright sun (WCAG contrast of at least 7:1), measured twice: from
the stylesheet's colours and from the pixels of every page as it is drawn; switchable by the
coordinator, at once."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest
from PySide6.QtCore import QRect
from PySide6.QtGui import QColor, QImage
from PySide6.QtWidgets import QAbstractButton, QLabel, QTextBrowser, QWidget

from desktop.flow import Page
from desktop.panel import SECTIONS
from desktop.warm_up import prepare

QSS = Path(__file__).parents[2] / "resources" / "styles" / "kiosk.qss"
OUTDOOR = '[theme="outdoor"]'
AAA = 7.0



@pytest.fixture(autouse=True)
def back_to_english(qapp):
    """A window opened in Arabic installs its catalogue for the whole application: the next test
    starts in English again."""
    yield
    import gc

    from desktop.i18n import Translators, apply_language

    gc.collect()  # a closed window's translators leave the application when they are collected
    for widget in qapp.topLevelWidgets():
        translators = getattr(widget, "translators", None)
        if translators is not None:
            translators.install(qapp, "en")
    apply_language(qapp, Translators(), "en")


def luminance(color: QColor) -> float:
    def channel(value: float) -> float:
        return value / 12.92 if value <= 0.03928 else ((value + 0.055) / 1.055) ** 2.4

    return 0.2126 * channel(color.redF()) + 0.7152 * channel(color.greenF()) + 0.0722 * channel(color.blueF())


def contrast(a: QColor, b: QColor) -> float:
    light, dark = sorted((luminance(a), luminance(b)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def test_contrast_formula_matches_wcag():
    assert contrast(QColor("#000000"), QColor("#ffffff")) == pytest.approx(21.0)
    assert contrast(QColor("#777777"), QColor("#ffffff")) == pytest.approx(4.48, abs=0.01)


def _rules(text: str) -> list[tuple[list[str], dict[str, str]]]:
    text = re.sub(r"/\*.*?\*/", "", text, flags=re.S)
    rules = []
    for selectors, body in re.findall(r"([^{}]+)\{([^{}]*)\}", text):
        declarations = {}
        for part in body.split(";"):
            if ":" in part:
                name, value = part.split(":", 1)
                declarations[name.strip()] = value.strip()
        rules.append(([s.strip() for s in selectors.split(",")], declarations))
    return rules


def _colour(value: str | None) -> QColor | None:
    """An opaque colour from a declaration ("border: 2px solid #000" gives #000), else None."""
    if value is None:
        return None
    found = re.search(r"#[0-9a-fA-F]{6}\b|#[0-9a-fA-F]{3}\b", value)
    return QColor(found.group(0)) if found else None


NOT_TEXT = ("::indicator", "::chunk", "::handle", "QProgressBar", "QScrollBar", '[role="overlay"]', '[role="overlay-solid"]', "#Keyboard")


def test_every_outdoor_text_colour_has_7_to_1_on_its_background():
    rules = [(sel, dec) for sel, dec in _rules(QSS.read_text(encoding="utf-8")) if all(OUTDOOR in s for s in sel)]
    assert rules, "no outdoor theme in the stylesheet"
    base = next(dec for sel, dec in rules if sel == [f"QMainWindow{OUTDOOR} QWidget"])
    base_text, base_background = _colour(base["color"]), _colour(base["background"])
    assert base_text is not None and base_background is not None
    pairs = 0
    for selectors, declarations in rules:
        if any(marker in s for s in selectors for marker in NOT_TEXT):
            continue
        text = _colour(declarations.get("color"))
        background = _colour(declarations.get("background") or declarations.get("background-color"))
        if text is None and background is None:
            continue
        ratio = contrast(text or base_text, background or base_background)
        assert ratio >= AAA, (selectors, declarations, round(ratio, 2))
        pairs += 1
        selected_text = _colour(declarations.get("selection-color"))
        selected = _colour(declarations.get("selection-background-color"))
        if selected is not None:
            assert contrast(selected_text or base_text, selected) >= AAA, selectors
    assert pairs >= 20


def _drawn_contrast(image: QImage) -> float | None:
    """The contrast between the colour that fills most of ``image`` (the background) and the one
    that stands out most from it among colours drawn in at least a few pixels (the text's core;
    its anti-aliased edges lie in between)."""
    image = image.convertToFormat(QImage.Format.Format_RGB32)
    width, height = image.width(), image.height()
    if width < 2 or height < 2:
        return None
    data = bytes(image.constBits())[: image.bytesPerLine() * height]
    line = image.bytesPerLine()
    counts: Counter[bytes] = Counter()
    for y in range(height):
        row = data[y * line: y * line + width * 4]
        counts.update(row[i:i + 4] for i in range(0, len(row), 4))
    (background_pixel, _), *others = counts.most_common()
    background = QColor.fromRgb(int.from_bytes(background_pixel, "little") & 0xFFFFFF)
    drawn = [QColor.fromRgb(int.from_bytes(pixel, "little") & 0xFFFFFF) for pixel, n in others if n >= 3]
    if not drawn:
        return None
    return max(contrast(background, colour) for colour in drawn)


def _check_page(window, where: str, problems: list[str], layer: QWidget | None = None) -> int:
    """Measure every text drawn in ``window``, or only on ``layer`` (an overlay: what it covers is
    dimmed on purpose)."""
    from PySide6.QtWidgets import QApplication

    QApplication.processEvents()
    shot = window.grab().toImage()
    ratio = shot.devicePixelRatio()
    measured = 0
    for widget in (layer or window).findChildren(QWidget):
        if not widget.isVisible():
            continue
        if isinstance(widget, QTextBrowser):
            widget = widget.viewport()
        elif not (isinstance(widget, QLabel | QAbstractButton) and widget.text().strip()):
            continue
        visible = widget.visibleRegion().boundingRect()
        if visible.height() < widget.fontMetrics().height():  # scrolled almost out of view
            continue
        top_left = widget.mapTo(window, visible.topLeft())
        area = QRect(top_left * ratio, visible.size() * ratio)
        drawn = _drawn_contrast(shot.copy(area))
        if drawn is None:
            continue
        measured += 1
        if drawn < AAA:
            text = widget.text() if hasattr(widget, "text") else type(widget).__name__
            problems.append(f"{where}: {text[:40]!r} {drawn:.1f}:1")
    return measured


@pytest.mark.parametrize("locale", ["en", "ar"])
def test_every_text_on_every_page_is_drawn_at_7_to_1_outdoors(qtbot, tmp_path: Path, locale: str):
    from desktop.context import open_context
    from utils.windows import show_window

    ctx = open_context(tmp_path / "data", locale=locale, campaign="act-on-syria")
    try:
        window = show_window(qtbot, ctx)
        prepare(window)
        window.apply_theme("outdoor")
        problems: list[str] = []
        measured = 0
        for page in (Page.ATTRACT, Page.LETTER, Page.SIGN, Page.THANKS, Page.PICKER):
            window.go_to(page)
            measured += _check_page(window, page.name, problems)
        window.go_to(Page.SIGN)
        window.submit()  # every message of an empty form, and the red around the fields
        measured += _check_page(window, "sign with errors", problems)
        window.start_countdown()
        window.countdown.ticker.stop()
        measured += _check_page(window, "countdown", problems, layer=window.countdown)
        window.still_here()
        window.open_panel()
        for section in SECTIONS:
            window.panel.show_section(section)
            measured += _check_page(window, "panel " + section, problems)
        assert measured > 80
        assert problems == []
        window.panel.close_requested.emit()
    finally:
        ctx.engine.dispose()


def test_the_coordinator_switches_the_theme_at_once(window):
    prepare(window)
    window.go_to(Page.SIGN)
    heading = window.sign.heading
    assert heading.palette().color(heading.foregroundRole()).name() == "#10231c"
    window.open_panel()
    panel = window.panel
    panel.show_section("settings")
    panel.settings.theme.setCurrentIndex(panel.settings.theme.findData("outdoor"))
    panel.settings.settings_save.click()
    assert window.property("theme") == "outdoor"
    assert heading.palette().color(heading.foregroundRole()).name() == "#000000"
    button = window.sign.sign_button
    assert button.palette().color(button.backgroundRole()).name() == "#000000"
    panel.settings.theme.setCurrentIndex(panel.settings.theme.findData("default"))
    panel.settings.settings_save.click()
    assert heading.palette().color(heading.foregroundRole()).name() == "#10231c"
    window.panel.close_requested.emit()


def test_the_outdoor_theme_is_there_from_the_first_paint(qtbot, tmp_path: Path, monkeypatch):
    from desktop.context import open_context
    from utils.windows import show_window

    monkeypatch.setenv("PETITION_KIOSK_THEME", "outdoor")
    ctx = open_context(tmp_path / "data", locale="en", campaign="act-on-syria")
    try:
        window = show_window(qtbot, ctx)  # not warmed up: what the first paint shows
        assert window.property("theme") == "outdoor"
        page = window.stack.currentWidget()
        assert page.palette().color(page.backgroundRole()).name() == "#ffffff"
    finally:
        ctx.engine.dispose()
