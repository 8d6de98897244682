"""Partners' opt-ins: a signature may carry ``partner_optins`` (the partners the signer chose, each with
the SHA-256 of the opt-in text shown). Personal data: the immutability trigger covers it, and the
retention purge blanks it with the signer's other fields (the trigger recreated as in 0007).

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-06
"""

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None

# As in 0007 (each migration keeps its own copy: a later change must not rewrite an old one).
OLD_PERSONAL = (
    "given_name", "family_name", "email", "phone", "postal_code", "city", "country", "comment",
    "signature_svg", "sealed",
)
PERSONAL_COLUMNS = (*OLD_PERSONAL, "partner_optins")
RECEIPT_COLUMNS = (
    "id", "seq", "campaign_slug", "campaign_version", "letter_sha256", "locale", "event_id", "mode",
    "paper_sheet", "consent_processing", "consent_updates", "consent_text_sha256", "consent_locale",
    "consent_given_at", "utc_offset_minutes", "created_at", "voids", "content_hash", "sealed_key",
    "receipt_sha256",
)


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
    op.add_column("signature", sa.Column("partner_optins", sa.String(length=5160), nullable=True))
    op.execute("DROP TRIGGER IF EXISTS signature_immutable")
    op.execute(_immutable(RECEIPT_COLUMNS, PERSONAL_COLUMNS))


def downgrade() -> None:
    op.execute("DROP TRIGGER IF EXISTS signature_immutable")
    op.execute(_immutable(RECEIPT_COLUMNS, OLD_PERSONAL))
    with op.batch_alter_table("signature") as batch:
        batch.drop_column("partner_optins")
