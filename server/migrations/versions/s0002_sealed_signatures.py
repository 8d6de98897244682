"""Signatures may carry a handwritten signature and the signer's fields sealed to the server's key.

Revision ID: s0002
Revises: s0001
Create Date: 2026-11-24
"""

import sqlalchemy as sa
from alembic import op

revision = "s0002"
down_revision = "s0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Plain ADD COLUMN on both SQLite and PostgreSQL: no table copy of what may be millions of rows.
    op.add_column("signature", sa.Column("signature_svg", sa.String(), nullable=True))
    op.add_column("signature", sa.Column("sealed", sa.String(), nullable=True))
    op.add_column("signature", sa.Column("sealed_key", sa.String(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("signature") as batch:
        batch.drop_column("sealed_key")
        batch.drop_column("sealed")
        batch.drop_column("signature_svg")
