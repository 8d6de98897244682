"""Partners: a signature may carry ``partner_optins`` (API version 2: the partners the signer opted in to,
each with the SHA-256 of the opt-in text shown); ``partner_erasure`` records an operator's erase of a
signer for one partner or all, ``partner_share`` which partners an export already gave a signature to.

Revision ID: s0010_partner_optins
Revises: s0009_device_events
Create Date: 2026-12-06
"""

import sqlalchemy as sa
from alembic import op

revision = "s0010_partner_optins"
down_revision = "s0009_device_events"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("signature", sa.Column("partner_optins", sa.String(length=5160), nullable=True))
    op.create_table(
        "partner_erasure",
        sa.Column("signature_id", sa.String(length=36), primary_key=True),
        sa.Column("device_id", sa.String(length=36), primary_key=True),
        sa.Column("partner_slug", sa.String(length=63), primary_key=True),
        sa.Column("erased_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_table(
        "partner_share",
        sa.Column("signature_id", sa.String(length=36), primary_key=True),
        sa.Column("device_id", sa.String(length=36), primary_key=True),
        sa.Column("partner_slug", sa.String(length=63), primary_key=True),
        sa.Column("first_sent_at", sa.DateTime(timezone=True), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("partner_share")
    op.drop_table("partner_erasure")
    with op.batch_alter_table("signature") as batch:
        batch.drop_column("partner_optins")
