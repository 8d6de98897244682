"""Devices' events (API version 2): the name, place and day of each event a device's signatures name,
owned by that device, for the delivery's cover.

Revision ID: s0009_device_events
Revises: s0008_web_page_pause
Create Date: 2026-12-06
"""

import sqlalchemy as sa
from alembic import op

revision = "s0009_device_events"
down_revision = "s0008_web_page_pause"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "device_event",
        sa.Column("device_id", sa.String(length=36), sa.ForeignKey("device.id"), primary_key=True),
        sa.Column("event_id", sa.String(length=36), primary_key=True),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("place", sa.String(length=120), nullable=True),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("received_at", sa.DateTime(timezone=True), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("device_event")
