"""A server's sealing key, as a device receives it at enrollment, for tests of sealed mode."""

from __future__ import annotations

import base64

from nacl.public import PrivateKey
from sqlalchemy.engine import Engine

from db import sealing
from db.engine import write_session


def server_keys(private: PrivateKey) -> list[dict[str, str]]:
    """The keys part of a server's enrollment answer."""
    raw = bytes(private.public_key)
    return [{"purpose": "sealing", "algorithm": "X25519", "key_id": sealing.key_id(raw),
             "public_key": base64.b64encode(raw).decode()}]


def give_key(engine: Engine, private: PrivateKey) -> sealing.PublicKey:
    """What enrollment does with the server's answer: the device holds the key from now on."""
    with write_session(engine) as session:
        key = sealing.remember_keys(server_keys(private), server_url="https://petitions.example", session=session)
        session.commit()
    assert key is not None
    return key
