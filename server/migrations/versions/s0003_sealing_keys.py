"""The server's sealing keys: X25519 pairs, private halves encrypted under the operator's passphrase.

Revision ID: s0003
Revises: s0002
Create Date: 2026-11-25
"""

import sqlalchemy as sa
from alembic import op

revision = "s0003"
down_revision = "s0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "sealing_key",
        sa.Column("key_id", sa.String(length=16), nullable=False),
        sa.Column("algorithm", sa.String(length=16), nullable=False),
        sa.Column("public_key", sa.String(length=64), nullable=False),
        sa.Column("private_key_box", sa.String(length=256), nullable=False),
        sa.Column("kdf", sa.String(length=16), nullable=False),
        sa.Column("kdf_salt", sa.String(length=64), nullable=False),
        sa.Column("kdf_opslimit", sa.Integer(), nullable=False),
        sa.Column("kdf_memlimit", sa.BigInteger(), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("key_id"),
    )


def downgrade() -> None:
    op.drop_table("sealing_key")
