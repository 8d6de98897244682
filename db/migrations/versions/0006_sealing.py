"""Sealed mode and handwriting: a signature may carry its signer's fields sealed to a server's key
(``sealed``, ``sealed_key``) and a handwritten signature (``signature_svg``); the device remembers the
sealing keys it was given (``sealing_key``).

The immutability trigger now covers the new columns, and the retention purge may also blank the
handwriting and the sealed data (``sealed_key`` stays in the receipt).

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-24
"""

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

OLD_PERSONAL = ("given_name", "family_name", "email", "phone", "postal_code", "city", "country", "comment")
PERSONAL_COLUMNS = (*OLD_PERSONAL, "signature_svg", "sealed")
OLD_RECEIPT = (
    "id", "seq", "campaign_slug", "campaign_version", "letter_sha256", "locale", "event_id", "mode",
    "paper_sheet", "consent_processing", "consent_updates", "consent_text_sha256", "consent_locale",
    "consent_given_at", "utc_offset_minutes", "created_at", "voids", "content_hash",
)
RECEIPT_COLUMNS = (*OLD_RECEIPT, "sealed_key")


def _immutable(receipt: tuple[str, ...], personal: tuple[str, ...]) -> str:
    unchanged = " AND ".join(f"NEW.{c} IS OLD.{c}" for c in receipt)
    blanked = " AND ".join(f"NEW.{c} IS NULL" for c in personal)
    purge_allowed = (
        f"OLD.sync_state = 'acked' AND OLD.acked_at IS NOT NULL AND NEW.sync_state = 'acked' "
        f"AND NEW.purged_at IS NOT NULL AND {unchanged} AND {blanked}"
    )
    return (
        f"""CREATE TRIGGER signature_immutable BEFORE UPDATE OF {", ".join(receipt + personal)} ON signature
        WHEN NOT ({purge_allowed})
        BEGIN SELECT RAISE(ABORT, 'a saved signature cannot be changed; save a void instead'); END"""
    )


def upgrade() -> None:
    # Plain ADD COLUMN (no table copy): the counting triggers of 0002 and 0005 stay attached.
    op.add_column("signature", sa.Column("signature_svg", sa.String(), nullable=True))
    op.add_column("signature", sa.Column("sealed", sa.String(), nullable=True))
    op.add_column("signature", sa.Column("sealed_key", sa.String(length=16), nullable=True))
    op.create_table(
        "sealing_key",
        sa.Column("key_id", sa.String(length=16), primary_key=True),
        sa.Column("public_key", sa.String(length=64), nullable=False),
        sa.Column("server_url", sa.String(), nullable=True),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("added_at", sa.DateTime(), nullable=False),
    )
    op.execute("DROP TRIGGER IF EXISTS signature_immutable")
    op.execute(_immutable(RECEIPT_COLUMNS, PERSONAL_COLUMNS))


def downgrade() -> None:
    op.execute("DROP TRIGGER IF EXISTS signature_immutable")
    op.execute(_immutable(OLD_RECEIPT, OLD_PERSONAL))
    op.drop_table("sealing_key")
    with op.batch_alter_table("signature") as batch:
        batch.drop_column("sealed_key")
        batch.drop_column("sealed")
        batch.drop_column("signature_svg")
