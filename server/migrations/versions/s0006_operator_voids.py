"""Operator voids: ``petition-server void ID --reason TEXT`` records each in ``operator_void`` (its own
audit record); counts and pages leave those signatures out, as they leave out voids sent by the device
that collected the signature.

Revision ID: s0006_operator_voids
Revises: s0005
Create Date: 2026-12-06
"""

import sqlalchemy as sa
from alembic import op

revision = "s0006_operator_voids"
down_revision = "s0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "operator_void",
        sa.Column("signature_id", sa.String(length=36), primary_key=True),
        sa.Column("device_id", sa.String(length=36), primary_key=True),
        sa.Column("campaign_slug", sa.String(length=63), nullable=False),
        sa.Column("reason", sa.String(length=500), nullable=False),
        sa.Column("voided_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_operator_void_campaign_slug", "operator_void", ["campaign_slug"])


def downgrade() -> None:
    op.drop_index("ix_operator_void_campaign_slug", table_name="operator_void")
    op.drop_table("operator_void")
