"""Signature ids are scoped to their device: the primary key becomes (id, device_id), so content one
device uploads under another device's id is stored as its own and never blocks the real signature.

Revision ID: s0007_signature_ids_per_device
Revises: s0006_operator_voids
Create Date: 2026-12-06
"""

import warnings

from alembic import op
from sqlalchemy.exc import SAWarning

revision = "s0007_signature_ids_per_device"
down_revision = "s0006_operator_voids"
branch_labels = None
depends_on = None


def upgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        # One statement: the table is never without its key, and rows stay where they are.
        op.execute("ALTER TABLE signature DROP CONSTRAINT signature_pkey, ADD CONSTRAINT signature_pkey "
                   "PRIMARY KEY (id, device_id)")
    else:  # SQLite cannot change a primary key in place: the table is copied (batch mode)
        with warnings.catch_warnings():
            # the copied table is declared with the old key first, then given the new one: expected
            warnings.filterwarnings("ignore", "Table '_alembic_tmp_signature' specifies columns", SAWarning)
            with op.batch_alter_table("signature", recreate="always") as batch:
                batch.create_primary_key("signature_pkey", ["id", "device_id"])


def downgrade() -> None:
    # Only possible while no id is stored twice (by two devices).
    if op.get_bind().dialect.name == "postgresql":
        op.execute("ALTER TABLE signature DROP CONSTRAINT signature_pkey, ADD CONSTRAINT signature_pkey "
                   "PRIMARY KEY (id)")
    else:
        with warnings.catch_warnings():
            warnings.filterwarnings("ignore", "Table '_alembic_tmp_signature' specifies columns", SAWarning)
            with op.batch_alter_table("signature", recreate="always") as batch:
                batch.create_primary_key("signature_pkey", ["id"])
