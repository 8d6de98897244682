"""Crowd mode's two QR codes on the attract and letter pages (desktop/crowd/codes.py): rendered to PNG by
the real ``screenshot`` command and decoded back (zxing-cpp) to the Wi-Fi string and the petition's URL;
shown and hidden through the window as the crowd service will drive them."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
import zxingcpp
from PySide6.QtGui import QImage

from db.crowd.invite import Invite
from desktop.flow import Page
from desktop.screenshot import example_invite

WIFI = "WIFI:T:SAE;S:Petition-AC3D;P:kmtq-7hzr-w4xp;;"
URL = "http://10.42.0.1:8470/s/Xq7vR2mK9pLw4tZb8nYc3d"


def _decoded(image: QImage) -> list[tuple[str, int]]:
    """Each code's text and the x of its centre."""
    grey = image.convertToFormat(QImage.Format.Format_Grayscale8)
    found = zxingcpp.read_barcodes(grey, formats=zxingcpp.BarcodeFormat.QRCode)
    return [(code.text, (code.position.top_left.x + code.position.bottom_right.x) // 2) for code in found]


@pytest.mark.parametrize("page", ["attract", "letter"])
@pytest.mark.parametrize("lang", ["en", "ar"])
@pytest.mark.parametrize("size", ["1024x600", "1280x800"])
def test_both_codes_decode_from_the_rendered_page(tmp_path: Path, page: str, lang: str, size: str) -> None:
    out = tmp_path / f"{page}-{lang}.png"
    result = subprocess.run([sys.executable, "-m", "desktop", "screenshot", "--page", page, "--lang", lang,
                             "--size", size, "--crowd-invite", str(out)], capture_output=True, text=True,
                            timeout=120)
    assert result.returncode == 0, result.stderr
    image = QImage(str(out))
    width, height = (int(n) for n in size.split("x"))
    assert (image.width(), image.height()) == (width, height)  # the codes fit without enlarging the window
    decoded = dict(_decoded(image))
    assert set(decoded) == {WIFI, URL}
    # Code 1 (the Wi-Fi) comes first in the reading direction: left in English, right in Arabic.
    assert (decoded[WIFI] < decoded[URL]) == (lang == "en")


def test_the_example_invite_says_what_the_codes_carry() -> None:
    invite = example_invite()
    assert (invite.wifi, invite.url) == (WIFI, URL)


def test_the_window_shows_and_hides_the_codes(window) -> None:
    window.go_to(Page.ATTRACT)
    window.set_crowd_invite(example_invite())
    assert sorted(text for text, _ in _decoded(window.grab().toImage())) == sorted([WIFI, URL])
    window.go_to(Page.LETTER)  # built after the invite was set: it shows them too
    assert {text for text, _ in _decoded(window.grab().toImage())} == {WIFI, URL}
    window.set_crowd_invite(None)
    assert _decoded(window.grab().toImage()) == []
    window.go_to(Page.ATTRACT)
    assert _decoded(window.grab().toImage()) == []


def test_without_a_named_wifi_only_the_petition_code_shows(window) -> None:
    window.go_to(Page.ATTRACT)
    window.set_crowd_invite(Invite(url=URL))
    assert [text for text, _ in _decoded(window.grab().toImage())] == [URL]
    assert window.attract.crowd.steps[0].text() == "Point your phone's camera at the code to open the petition."


def test_the_campaign_links_code_gives_way_to_the_crowd_codes_and_comes_back(window) -> None:
    from desktop.screenshot import _sample_links

    _sample_links(window.ctx)
    window.go_to(Page.LETTER)
    window.show_links()
    link = f"https://petitions.example.org/{window.ctx.campaign.slug}"
    assert [text for text, _ in _decoded(window.grab().toImage())] == [link]
    window.set_crowd_invite(example_invite())
    assert window.letter.phone.isHidden()
    assert {text for text, _ in _decoded(window.grab().toImage())} == {WIFI, URL}
    window.show_links()  # the window shows the links again whenever the letter is shown
    assert window.letter.phone.isHidden()
    window.set_crowd_invite(None)
    assert [text for text, _ in _decoded(window.grab().toImage())] == [link]


def test_an_enrolled_device_s_phone_code_opens_the_server_s_page_of_a_campaign_it_published(window) -> None:
    import dataclasses

    from db.sync import enrollment

    campaign = window.ctx.campaign
    assert campaign.manifest.links.online_petition is None
    window.go_to(Page.LETTER)
    window.show_links()
    before = [text for text, _ in _decoded(window.grab().toImage())]
    assert all("/s/" not in text for text in before)  # not enrolled: no web page to point at
    enrollment.save(window.ctx.data_dir, enrollment.Enrollment(
        server_url="https://petition.example.org/", device_id="d", device_name="laptop", token="t"))
    window.show_links()
    assert all("/s/" not in text for text in _decoded_texts(window))  # a built-in campaign: not published there
    window.ctx.campaigns[campaign.slug] = dataclasses.replace(campaign, source="server")
    window.show_links()
    assert _decoded_texts(window) == [f"https://petition.example.org/s/{campaign.slug}"]
    assert window.letter.phone_caption.text() == "Sign on your phone"


def _decoded_texts(window) -> list[str]:
    return [text for text, _ in _decoded(window.grab().toImage())]
