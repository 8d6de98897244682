"""Alembic environment for the server database; run through ``server.database.upgrade``, which passes
the connection in ``config.attributes['connection']``. The server's tables are on their own MetaData."""

from __future__ import annotations

from alembic import context

from server.models import metadata

target_metadata = metadata


def run_migrations_online() -> None:
    connection = context.config.attributes["connection"]
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=True,
        version_table="alembic_version",
    )
    with context.begin_transaction():
        context.run_migrations()


run_migrations_online()
