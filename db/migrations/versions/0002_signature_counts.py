"""Signature counts per campaign kept by triggers, so counting costs nothing with a million rows.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-21
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "signature_count",
        sa.Column("campaign_slug", sa.String(), primary_key=True),
        sa.Column("total", sa.Integer(), nullable=False),
    )
    op.execute(
        """INSERT INTO signature_count (campaign_slug, total)
        SELECT campaign_slug, SUM(CASE WHEN voids IS NULL THEN 1 ELSE -1 END)
        FROM signature GROUP BY campaign_slug"""
    )
    op.execute(
        """CREATE TRIGGER signature_count_insert AFTER INSERT ON signature
        BEGIN
            INSERT INTO signature_count (campaign_slug, total)
            VALUES (NEW.campaign_slug, CASE WHEN NEW.voids IS NULL THEN 1 ELSE -1 END)
            ON CONFLICT (campaign_slug)
            DO UPDATE SET total = total + CASE WHEN NEW.voids IS NULL THEN 1 ELSE -1 END;
        END"""
    )


def downgrade() -> None:
    op.execute("DROP TRIGGER IF EXISTS signature_count_insert")
    op.drop_table("signature_count")
