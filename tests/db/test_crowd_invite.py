"""What the two QR codes say (db/crowd/invite.py)."""

from __future__ import annotations

from db.crowd.invite import Invite, petition_url, wifi_qr


def test_wifi_codes_by_security() -> None:
    # A WPA3-only network (the app's hotspot) is T:SAE, which Android 10+ joins as SAE; T:WPA would
    # give Android 10 to 14 a WPA2 profile that cannot join it (see wifi_qr's comment).
    assert wifi_qr("Petition-AC3D", "kmtq-7hzr-w4xp", "wpa3") == "WIFI:T:SAE;S:Petition-AC3D;P:kmtq-7hzr-w4xp;;"
    assert wifi_qr("Venue", "secret12", "wpa2") == "WIFI:T:WPA;S:Venue;P:secret12;;"
    assert wifi_qr("Open café", None, "open") == "WIFI:T:nopass;S:Open café;;"
    assert wifi_qr("Open", "ignored", "open") == "WIFI:T:nopass;S:Open;;"


def test_wifi_code_escapes_its_special_characters() -> None:
    assert wifi_qr('a;b,c:d\\e"f', 'p;w:d', "wpa2") == 'WIFI:T:WPA;S:a\\;b\\,c\\:d\\\\e\\"f;P:p\\;w\\:d;;'


def test_invite() -> None:
    url = petition_url("10.42.0.1", 8470, "A" * 22)
    assert url == "http://10.42.0.1:8470/s/" + "A" * 22
    assert petition_url("fe80::1", 8470, "t" * 22).startswith("http://[fe80::1]:8470/")
    assert Invite(url).wifi is None
    assert Invite(url, "Petition-AC3D", "kmtq-7hzr-w4xp", "wpa3").wifi == wifi_qr("Petition-AC3D", "kmtq-7hzr-w4xp", "wpa3")
