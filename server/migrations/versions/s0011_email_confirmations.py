"""Email confirmation: the campaigns that ask for it, and one row per confirmation message sent (keyed
by signature id, never an address), with its state and the signer's answer.

Revision ID: s0011_email_confirmations
Revises: s0009_device_events
Create Date: 2026-12-06
"""

import sqlalchemy as sa
from alembic import op

revision = "s0011_email_confirmations"
down_revision = "s0010_partner_optins"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "confirmation_asked",
        sa.Column("campaign_slug", sa.String(length=63), sa.ForeignKey("campaign.slug"), primary_key=True),
        sa.Column("offer_updates", sa.Boolean(), nullable=False),
        sa.Column("asked_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_table(
        "email_confirmation",
        sa.Column("device_id", sa.String(length=36), primary_key=True),
        sa.Column("signature_id", sa.String(length=36), primary_key=True),
        sa.Column("campaign_slug", sa.String(length=63), nullable=False),
        sa.Column("ref", sa.String(length=32), nullable=False),
        sa.Column("lang", sa.String(length=8), nullable=False),
        sa.Column("state", sa.String(length=8), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("confirmed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("keep_informed", sa.Boolean(), nullable=True),
        sa.UniqueConstraint("ref"),
    )
    op.create_index("ix_email_confirmation_campaign_slug", "email_confirmation", ["campaign_slug"])


def downgrade() -> None:
    op.drop_index("ix_email_confirmation_campaign_slug", table_name="email_confirmation")
    op.drop_table("email_confirmation")
    op.drop_table("confirmation_asked")
