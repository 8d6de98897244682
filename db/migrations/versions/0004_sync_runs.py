"""History of sync runs: what ``petition-kiosk status`` shows as the last sync, and the coordinator's
view of how sending went (counts only, never personal data or the token).

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-22
"""

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "sync_run",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("started_at", sa.DateTime(), nullable=False),
        sa.Column("finished_at", sa.DateTime(), nullable=False),
        sa.Column("outcome", sa.String(length=16), nullable=False),
        sa.Column("server_url", sa.String(), nullable=True),
        sa.Column("sent", sa.Integer(), nullable=False),
        sa.Column("duplicates", sa.Integer(), nullable=False),
        sa.Column("attention", sa.Integer(), nullable=False),
        sa.Column("pending", sa.Integer(), nullable=False),
        sa.Column("message", sa.String(), nullable=True),
    )
    op.create_index("ix_sync_run_finished_at", "sync_run", ["finished_at"])


def downgrade() -> None:
    op.drop_index("ix_sync_run_finished_at", table_name="sync_run")
    op.drop_table("sync_run")
