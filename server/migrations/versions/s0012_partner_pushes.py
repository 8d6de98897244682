"""Partner pushes: ``partner_push`` records which signatures ``petition-server push actionnetwork``
recorded in a partner's Action Network petition (``sent``) or was recording when it stopped
(``sending``), by ids only.

Revision ID: s0012_partner_pushes
Revises: s0010_partner_optins
Create Date: 2026-12-06
"""

import sqlalchemy as sa
from alembic import op

revision = "s0012_partner_pushes"
down_revision = "s0011_email_confirmations"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "partner_push",
        sa.Column("signature_id", sa.String(length=36), primary_key=True),
        sa.Column("device_id", sa.String(length=36), primary_key=True),
        sa.Column("partner_slug", sa.String(length=63), primary_key=True),
        sa.Column("petition_id", sa.String(length=100), primary_key=True),
        sa.Column("state", sa.String(length=8), nullable=False),
        sa.Column("remote_id", sa.String(length=200), nullable=True),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("partner_push")
