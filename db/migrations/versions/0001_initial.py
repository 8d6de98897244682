"""Initial device schema: campaigns, events, signatures, audit log, settings.

Revision ID: 0001
Revises:
Create Date: 2026-11-21
"""

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

# Columns a saved signature may never change; the sync columns are not among them.
IMMUTABLE_COLUMNS = (
    "id", "seq", "campaign_slug", "campaign_version", "letter_sha256", "locale", "event_id", "mode",
    "paper_sheet", "consent_processing", "consent_updates", "consent_text_sha256", "consent_locale",
    "consent_given_at", "utc_offset_minutes", "created_at", "voids", "content_hash",
    "given_name", "family_name", "email", "phone", "postal_code", "city", "country", "comment",
)


def upgrade() -> None:
    op.create_table(
        "campaign_version",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("slug", sa.String(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(), nullable=False),
        sa.Column("source", sa.String(), nullable=False),
        sa.Column("bundle_path", sa.String(), nullable=True),
        sa.Column("locale_hashes", sa.JSON(), nullable=False),
        sa.Column("installed_at", sa.DateTime(), nullable=False),
        sa.UniqueConstraint("slug", "version", name="uq_campaign_slug_version"),
    )
    op.create_index("ix_campaign_version_slug", "campaign_version", ["slug"])

    op.create_table(
        "event",
        sa.Column("id", sa.String(length=36), primary_key=True),
        sa.Column("name", sa.String(), nullable=False),
        sa.Column("place", sa.String(), nullable=True),
        sa.Column("date", sa.Date(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
    )

    op.create_table(
        "signature",
        sa.Column("id", sa.String(length=36), primary_key=True),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("campaign_slug", sa.String(), nullable=False),
        sa.Column("campaign_version", sa.Integer(), nullable=False),
        sa.Column("letter_sha256", sa.String(), nullable=False),
        sa.Column("locale", sa.String(), nullable=False),
        sa.Column("event_id", sa.String(length=36), sa.ForeignKey("event.id"), nullable=True),
        sa.Column("mode", sa.String(length=8), nullable=False),
        sa.Column("paper_sheet", sa.String(length=32), nullable=True),
        sa.Column("given_name", sa.String(), nullable=True),
        sa.Column("family_name", sa.String(), nullable=True),
        sa.Column("email", sa.String(), nullable=True),
        sa.Column("phone", sa.String(), nullable=True),
        sa.Column("postal_code", sa.String(), nullable=True),
        sa.Column("city", sa.String(), nullable=True),
        sa.Column("country", sa.String(), nullable=True),
        sa.Column("comment", sa.String(), nullable=True),
        sa.Column("consent_processing", sa.Boolean(), nullable=False),
        sa.Column("consent_updates", sa.Boolean(), nullable=True),
        sa.Column("consent_text_sha256", sa.String(), nullable=False),
        sa.Column("consent_locale", sa.String(), nullable=False),
        sa.Column("consent_given_at", sa.DateTime(), nullable=False),
        sa.Column("utc_offset_minutes", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("voids", sa.String(length=36), sa.ForeignKey("signature.id"), nullable=True),
        sa.Column("content_hash", sa.String(length=64), nullable=False),
        sa.Column("sync_state", sa.String(length=16), nullable=False),
        sa.Column("sync_reason", sa.String(), nullable=True),
        sa.Column("acked_at", sa.DateTime(), nullable=True),
        sa.UniqueConstraint("seq", name="uq_signature_seq"),
    )
    op.create_index("ix_signature_campaign_slug", "signature", ["campaign_slug"])
    op.create_index("ix_signature_sync_state", "signature", ["sync_state"])

    op.create_table(
        "audit_log",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.Column("kind", sa.String(), nullable=False),
        sa.Column("detail", sa.JSON(), nullable=False),
    )
    op.create_index("ix_audit_log_at", "audit_log", ["at"])
    op.create_index("ix_audit_log_kind", "audit_log", ["kind"])

    op.create_table(
        "settings",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("data", sa.JSON(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
    )

    # A saved signature is evidence: its content never changes and it is never deleted.
    op.execute(
        f"""CREATE TRIGGER signature_immutable BEFORE UPDATE OF {", ".join(IMMUTABLE_COLUMNS)} ON signature
        BEGIN SELECT RAISE(ABORT, 'a saved signature cannot be changed; save a void instead'); END"""
    )
    op.execute(
        """CREATE TRIGGER signature_no_delete BEFORE DELETE ON signature
        BEGIN SELECT RAISE(ABORT, 'a saved signature cannot be deleted'); END"""
    )
    op.execute(
        """CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
        BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END"""
    )
    op.execute(
        """CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
        BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END"""
    )


def downgrade() -> None:
    for trigger in ("audit_log_no_delete", "audit_log_no_update", "signature_no_delete", "signature_immutable"):
        op.execute(f"DROP TRIGGER IF EXISTS {trigger}")
    op.drop_table("settings")
    op.drop_table("audit_log")
    op.drop_table("signature")
    op.drop_table("event")
    op.drop_table("campaign_version")
