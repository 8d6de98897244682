"""Receipts: a signature may carry ``receipt_sha256``, the SHA-256 of the secret its signer holds; the
receipt page allows a withdrawal only with that secret.

Revision ID: s0005
Revises: s0004
Create Date: 2026-11-21
"""

import sqlalchemy as sa
from alembic import op

revision = "s0005"
down_revision = "s0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Plain ADD COLUMN on both SQLite and PostgreSQL: no table copy.
    op.add_column("signature", sa.Column("receipt_sha256", sa.String(length=64), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("signature") as batch:
        batch.drop_column("receipt_sha256")
