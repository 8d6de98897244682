"""Retention: personal data of acknowledged signatures may be blanked (the receipt stays), signatures
may be set aside by the coordinator, and the panel's per-hour and per-event counts are kept by triggers (reading 200,000 rows to group
them took 250 ms; these tables make it a few rows).

The immutability trigger of 0001 is replaced by one that allows exactly one change besides the sync
columns: the retention purge, which blanks the personal fields of an acknowledged signature and stamps
``purged_at``, leaving every other signed column as it was. Nothing else about a saved signature can
change, and a purged signature can never leave ``acked`` again (it would be sent without its content).

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-23
"""

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

PERSONAL_COLUMNS = ("given_name", "family_name", "email", "phone", "postal_code", "city", "country", "comment")
RECEIPT_COLUMNS = (
    "id", "seq", "campaign_slug", "campaign_version", "letter_sha256", "locale", "event_id", "mode",
    "paper_sheet", "consent_processing", "consent_updates", "consent_text_sha256", "consent_locale",
    "consent_given_at", "utc_offset_minutes", "created_at", "voids", "content_hash",
)
IMMUTABLE_COLUMNS = RECEIPT_COLUMNS + PERSONAL_COLUMNS

_UNCHANGED = " AND ".join(f"NEW.{c} IS OLD.{c}" for c in RECEIPT_COLUMNS)
_BLANKED = " AND ".join(f"NEW.{c} IS NULL" for c in PERSONAL_COLUMNS)
# The one allowed change of signed columns: an acknowledged row loses its personal fields, nothing else.
PURGE_ALLOWED = (
    f"OLD.sync_state = 'acked' AND OLD.acked_at IS NOT NULL AND NEW.sync_state = 'acked' "
    f"AND NEW.purged_at IS NOT NULL AND {_UNCHANGED} AND {_BLANKED}"
)

OLD_IMMUTABLE = (
    f"""CREATE TRIGGER signature_immutable BEFORE UPDATE OF {", ".join(IMMUTABLE_COLUMNS)} ON signature
    BEGIN SELECT RAISE(ABORT, 'a saved signature cannot be changed; save a void instead'); END"""
)


def upgrade() -> None:
    with op.batch_alter_table("signature") as batch:
        batch.add_column(sa.Column("purged_at", sa.DateTime(), nullable=True))
    # Signatures per campaign and UTC hour, and per event and campaign, kept by triggers like
    # signature_count (0002): the panel's chart and event figures cost the same with 200,000 rows as
    # with none. A void counts -1.
    op.create_table(
        "signature_hour",
        sa.Column("campaign_slug", sa.String(), primary_key=True),
        sa.Column("hour", sa.String(length=13), primary_key=True),
        sa.Column("total", sa.Integer(), nullable=False),
    )
    op.create_table(
        "signature_event_count",
        sa.Column("event_id", sa.String(length=36), primary_key=True),
        sa.Column("campaign_slug", sa.String(), primary_key=True),
        sa.Column("total", sa.Integer(), nullable=False),
    )
    op.execute(
        """INSERT INTO signature_hour (campaign_slug, hour, total)
        SELECT campaign_slug, substr(created_at, 1, 13), SUM(CASE WHEN voids IS NULL THEN 1 ELSE -1 END)
        FROM signature GROUP BY 1, 2"""
    )
    op.execute(
        """INSERT INTO signature_event_count (event_id, campaign_slug, total)
        SELECT event_id, campaign_slug, SUM(CASE WHEN voids IS NULL THEN 1 ELSE -1 END)
        FROM signature WHERE event_id IS NOT NULL GROUP BY 1, 2"""
    )
    op.execute(
        """CREATE TRIGGER signature_hour_insert AFTER INSERT ON signature
        BEGIN
            INSERT INTO signature_hour (campaign_slug, hour, total)
            VALUES (NEW.campaign_slug, substr(NEW.created_at, 1, 13), CASE WHEN NEW.voids IS NULL THEN 1 ELSE -1 END)
            ON CONFLICT (campaign_slug, hour)
            DO UPDATE SET total = total + CASE WHEN NEW.voids IS NULL THEN 1 ELSE -1 END;
        END"""
    )
    op.execute(
        """CREATE TRIGGER signature_event_insert AFTER INSERT ON signature WHEN NEW.event_id IS NOT NULL
        BEGIN
            INSERT INTO signature_event_count (event_id, campaign_slug, total)
            VALUES (NEW.event_id, NEW.campaign_slug, CASE WHEN NEW.voids IS NULL THEN 1 ELSE -1 END)
            ON CONFLICT (event_id, campaign_slug)
            DO UPDATE SET total = total + CASE WHEN NEW.voids IS NULL THEN 1 ELSE -1 END;
        END"""
    )
    op.execute("DROP TRIGGER IF EXISTS signature_immutable")
    op.execute(
        f"""CREATE TRIGGER signature_immutable BEFORE UPDATE OF {", ".join(IMMUTABLE_COLUMNS)} ON signature
        WHEN NOT ({PURGE_ALLOWED})
        BEGIN SELECT RAISE(ABORT, 'a saved signature cannot be changed; save a void instead'); END"""
    )
    op.execute(
        """CREATE TRIGGER signature_purge_once BEFORE UPDATE OF purged_at ON signature
        WHEN OLD.purged_at IS NOT NULL OR OLD.sync_state != 'acked' OR NEW.purged_at IS NULL
        BEGIN SELECT RAISE(ABORT, 'only an acknowledged signature can be purged, once'); END"""
    )
    op.execute(
        """CREATE TRIGGER signature_purged_stays_acked BEFORE UPDATE OF sync_state ON signature
        WHEN OLD.purged_at IS NOT NULL AND NEW.sync_state != 'acked'
        BEGIN SELECT RAISE(ABORT, 'a purged signature keeps its acknowledgement'); END"""
    )


def downgrade() -> None:
    op.execute("DROP TRIGGER IF EXISTS signature_event_insert")
    op.execute("DROP TRIGGER IF EXISTS signature_hour_insert")
    op.drop_table("signature_event_count")
    op.drop_table("signature_hour")
    op.execute("DROP TRIGGER IF EXISTS signature_purged_stays_acked")
    op.execute("DROP TRIGGER IF EXISTS signature_purge_once")
    op.execute("DROP TRIGGER IF EXISTS signature_immutable")
    op.execute(OLD_IMMUTABLE)
    with op.batch_alter_table("signature") as batch:
        batch.drop_column("purged_at")
