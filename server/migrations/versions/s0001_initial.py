"""Initial server schema: devices, enrollment codes, campaigns, signatures, keys, rate limits

Revision ID: s0001
Revises:
Create Date: 2026-11-21
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = 's0001'
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('campaign',
    sa.Column('slug', sa.String(length=63), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('closed_at', sa.DateTime(timezone=True), nullable=True),
    sa.PrimaryKeyConstraint('slug')
    )
    op.create_table('device',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('name', sa.String(length=64), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('enrolled_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('revoked_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('token_hash', sa.String(length=64), nullable=True),
    sa.Column('public_key', sa.String(length=64), nullable=True),
    sa.Column('app_version', sa.String(length=64), nullable=True),
    sa.Column('last_seen_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('last_clock_offset_ms', sa.BigInteger(), nullable=True),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('token_hash')
    )
    with op.batch_alter_table('device', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_device_name'), ['name'], unique=False)

    op.create_table('rate_limit',
    sa.Column('key', sa.String(length=80), nullable=False),
    sa.Column('window_start', sa.Integer(), nullable=False),
    sa.Column('hits', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('key', 'window_start')
    )
    op.create_table('server_key',
    sa.Column('purpose', sa.String(length=16), nullable=False),
    sa.Column('algorithm', sa.String(length=16), nullable=False),
    sa.Column('public_key', sa.String(length=128), nullable=False),
    sa.Column('private_key', sa.String(length=256), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('purpose')
    )
    op.create_table('campaign_version',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('slug', sa.String(length=63), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(), nullable=False),
    sa.Column('goal', sa.Integer(), nullable=False),
    sa.Column('locale_hashes', sa.JSON(), nullable=False),
    sa.Column('bundle_sha256', sa.String(length=64), nullable=False),
    sa.Column('bundle_zip', sa.LargeBinary(), nullable=False),
    sa.Column('published_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['slug'], ['campaign.slug'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('slug', 'version', name='uq_campaign_version_slug_version')
    )
    with op.batch_alter_table('campaign_version', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_campaign_version_slug'), ['slug'], unique=False)

    op.create_table('enrollment_code',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('code_hash', sa.String(length=64), nullable=False),
    sa.Column('device_id', sa.String(length=36), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('expires_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('used_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['device_id'], ['device.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('code_hash')
    )
    with op.batch_alter_table('enrollment_code', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_enrollment_code_device_id'), ['device_id'], unique=False)

    op.create_table('signature',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('seq', sa.Integer(), nullable=False),
    sa.Column('campaign_slug', sa.String(), nullable=False),
    sa.Column('campaign_version', sa.Integer(), nullable=False),
    sa.Column('letter_sha256', sa.String(), nullable=False),
    sa.Column('locale', sa.String(), nullable=False),
    sa.Column('event_id', sa.String(length=36), nullable=True),
    sa.Column('mode', sa.String(length=8), nullable=False),
    sa.Column('paper_sheet', sa.String(length=32), nullable=True),
    sa.Column('given_name', sa.String(), nullable=True),
    sa.Column('family_name', sa.String(), nullable=True),
    sa.Column('email', sa.String(), nullable=True),
    sa.Column('country', sa.String(), nullable=True),
    sa.Column('phone', sa.String(), nullable=True),
    sa.Column('postal_code', sa.String(), nullable=True),
    sa.Column('city', sa.String(), nullable=True),
    sa.Column('comment', sa.String(), nullable=True),
    sa.Column('consent_processing', sa.Boolean(), nullable=False),
    sa.Column('consent_updates', sa.Boolean(), nullable=True),
    sa.Column('consent_text_sha256', sa.String(), nullable=False),
    sa.Column('consent_locale', sa.String(), nullable=False),
    sa.Column('consent_given_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('utc_offset_minutes', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('voids', sa.String(length=36), nullable=True),
    sa.Column('content_hash', sa.String(length=64), nullable=False),
    sa.Column('device_id', sa.String(length=36), nullable=False),
    sa.Column('received_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('clock_offset_ms', sa.BigInteger(), nullable=False),
    sa.ForeignKeyConstraint(['device_id'], ['device.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('signature', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_signature_campaign_slug'), ['campaign_slug'], unique=False)
        batch_op.create_index('ix_signature_device_seq', ['device_id', 'seq'], unique=False)
        batch_op.create_index('ix_signature_voids', ['voids'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('signature', schema=None) as batch_op:
        batch_op.drop_index('ix_signature_voids')
        batch_op.drop_index('ix_signature_device_seq')
        batch_op.drop_index(batch_op.f('ix_signature_campaign_slug'))

    op.drop_table('signature')
    with op.batch_alter_table('enrollment_code', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_enrollment_code_device_id'))

    op.drop_table('enrollment_code')
    with op.batch_alter_table('campaign_version', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_campaign_version_slug'))

    op.drop_table('campaign_version')
    op.drop_table('server_key')
    op.drop_table('rate_limit')
    with op.batch_alter_table('device', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_device_name'))

    op.drop_table('device')
    op.drop_table('campaign')
