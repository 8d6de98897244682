"""Acknowledged counts and the server's last reported counts, for a live count that never counts a
signature twice: server total + this device's signatures the server has not acknowledged yet.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-21
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("signature_count") as batch:
        batch.add_column(sa.Column("acked", sa.Integer(), nullable=False, server_default="0"))
    op.execute(
        """UPDATE signature_count SET acked = (
            SELECT coalesce(SUM(CASE WHEN s.voids IS NULL THEN 1 ELSE -1 END), 0)
            FROM signature s WHERE s.campaign_slug = signature_count.campaign_slug AND s.sync_state = 'acked')"""
    )
    # Kept by the database itself, like the total: whatever moves a signature in or out of 'acked'.
    op.execute(
        """CREATE TRIGGER signature_count_acked AFTER UPDATE OF sync_state ON signature
        WHEN (OLD.sync_state = 'acked') != (NEW.sync_state = 'acked')
        BEGIN
            UPDATE signature_count
            SET acked = acked + (CASE WHEN NEW.sync_state = 'acked' THEN 1 ELSE -1 END)
                              * (CASE WHEN NEW.voids IS NULL THEN 1 ELSE -1 END)
            WHERE campaign_slug = NEW.campaign_slug;
        END"""
    )
    op.create_table(
        "server_count",
        sa.Column("campaign_slug", sa.String(), primary_key=True),
        sa.Column("total", sa.Integer(), nullable=False),
        sa.Column("reported_at", sa.DateTime(), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("server_count")
    op.execute("DROP TRIGGER IF EXISTS signature_count_acked")
    with op.batch_alter_table("signature_count") as batch:
        batch.drop_column("acked")
