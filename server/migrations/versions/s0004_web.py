"""The web pages: dashboard admins and their sessions, and signers' withdrawals from the receipt page.

Revision ID: s0004
Revises: s0003
Create Date: 2026-11-27
"""

import sqlalchemy as sa
from alembic import op

revision = "s0004"
down_revision = "s0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "admin",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=64), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("last_login_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("name"),
        sa.UniqueConstraint("token_hash"),
    )
    op.create_table(
        "admin_session",
        sa.Column("id_hash", sa.String(length=64), nullable=False),
        sa.Column("admin_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["admin_id"], ["admin.id"]),
        sa.PrimaryKeyConstraint("id_hash"),
    )
    op.create_index("ix_admin_session_admin_id", "admin_session", ["admin_id"], unique=False)
    op.create_table(
        "withdrawal",
        sa.Column("signature_id", sa.String(length=36), nullable=False),
        sa.Column("withdrawn_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("signature_id"),
    )


def downgrade() -> None:
    op.drop_table("withdrawal")
    op.drop_index("ix_admin_session_admin_id", table_name="admin_session")
    op.drop_table("admin_session")
    op.drop_table("admin")
