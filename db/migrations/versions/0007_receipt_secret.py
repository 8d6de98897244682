"""Receipts: a signature may carry ``receipt_sha256``, the SHA-256 of the random secret shown only in
the thank-you page's QR code (the secret itself is never stored). The server allows a withdrawal on
the receipt page only with that secret.

The immutability trigger now covers the new column (recreated as in 0006).

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-21
"""

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

# As in 0006 (each migration keeps its own copy: a later change must not rewrite an old one).
PERSONAL_COLUMNS = (
    "given_name", "family_name", "email", "phone", "postal_code", "city", "country", "comment",
    "signature_svg", "sealed",
)
OLD_RECEIPT = (
    "id", "seq", "campaign_slug", "campaign_version", "letter_sha256", "locale", "event_id", "mode",
    "paper_sheet", "consent_processing", "consent_updates", "consent_text_sha256", "consent_locale",
    "consent_given_at", "utc_offset_minutes", "created_at", "voids", "content_hash", "sealed_key",
)
RECEIPT_COLUMNS = (*OLD_RECEIPT, "receipt_sha256")


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
    op.add_column("signature", sa.Column("receipt_sha256", sa.String(length=64), nullable=True))
    op.execute("DROP TRIGGER IF EXISTS signature_immutable")
    op.execute(_immutable(RECEIPT_COLUMNS, PERSONAL_COLUMNS))


def downgrade() -> None:
    op.execute("DROP TRIGGER IF EXISTS signature_immutable")
    op.execute(_immutable(OLD_RECEIPT, PERSONAL_COLUMNS))
    with op.batch_alter_table("signature") as batch:
        batch.drop_column("receipt_sha256")
