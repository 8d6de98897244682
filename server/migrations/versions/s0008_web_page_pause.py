"""The operator's pause switch of a campaign's web page (``petition-server pause-web SLUG``): while
``web_paused_at`` is set, ``/s/<slug>`` takes no signatures; devices and the rest are unaffected.

Revision ID: s0008_web_page_pause
Revises: s0007_signature_ids_per_device
Create Date: 2026-12-06
"""

import sqlalchemy as sa
from alembic import op

revision = "s0008_web_page_pause"
down_revision = "s0007_signature_ids_per_device"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # A nullable column: ALTER TABLE ADD COLUMN in place on both databases (a batch copy of ``campaign``
    # would have to drop a table that others reference).
    op.add_column("campaign", sa.Column("web_paused_at", sa.DateTime(timezone=True), nullable=True))


def downgrade() -> None:
    op.drop_column("campaign", "web_paused_at")  # SQLite 3.35+ drops a column in place
