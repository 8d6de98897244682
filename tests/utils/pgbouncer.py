"""A real PgBouncer in transaction mode on 127.0.0.1, in front of the tests' PostgreSQL.

Several server workers (and several hosts) share one PostgreSQL through it in production
(docs/deploy/SCALING.md). Transaction mode hands each transaction whichever server connection is
free, so anything a worker keeps on its connection between transactions (prepared statements,
session settings, advisory locks) breaks there: the tests run the exactly-once checks through it."""

from __future__ import annotations

import contextlib
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

from sqlalchemy.engine import make_url

PGBOUNCER = shutil.which("pgbouncer") or ("/usr/sbin/pgbouncer" if Path("/usr/sbin/pgbouncer").exists() else None)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextlib.contextmanager
def pgbouncer(database_url: str, *, pool_size: int = 8, timeout_s: float = 15.0) -> Iterator[str]:
    """PgBouncer for ``database_url``'s database; yields the URL that goes through it (with psycopg's
    server-side prepared statements off, as the deployment guide says)."""
    if PGBOUNCER is None:
        raise RuntimeError("pgbouncer is not installed (./dev.sh test installs it)")
    url = make_url(database_url)
    port = _free_port()
    folder = Path(tempfile.mkdtemp(prefix="pgbouncer-"))
    # PgBouncer will not run as root: as root it is started as the postgres user, who must read its
    # files (pytest's own temporary folders are root's alone).
    run_as = "postgres" if os.geteuid() == 0 else None
    ini = folder / "pgbouncer.ini"
    users = folder / "users.txt"
    users.write_text(f'"{url.username}" "{url.password}"\n', encoding="utf-8")
    ini.write_text("\n".join([
        "[databases]",
        f"{url.database} = host={url.host or '127.0.0.1'} port={url.port or 5432} dbname={url.database}",
        "[pgbouncer]",
        "listen_addr = 127.0.0.1",
        f"listen_port = {port}",
        "unix_socket_dir =",
        "auth_type = plain",
        f"auth_file = {users}",
        "pool_mode = transaction",
        f"default_pool_size = {pool_size}",
        "max_client_conn = 200",
        f"logfile = {folder / 'pgbouncer.log'}",
        f"pidfile = {folder / 'pgbouncer.pid'}",
        "",
    ]), encoding="utf-8")
    if run_as is not None:
        account = pwd.getpwnam(run_as)
        for path in (folder, ini, users):
            os.chown(path, account.pw_uid, account.pw_gid)
        folder.chmod(0o700)
    command = [PGBOUNCER, *(["-u", run_as] if run_as else []), str(ini)]
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + timeout_s
        while True:
            with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), timeout=0.5):
                break
            if process.poll() is not None:
                log = (folder / "pgbouncer.log").read_text(errors="replace") if (folder / "pgbouncer.log").exists() else ""
                raise RuntimeError(f"pgbouncer exited: {process.stderr.read().decode(errors='replace') if process.stderr else ''} {log}")
            if time.monotonic() > deadline:
                raise RuntimeError("pgbouncer did not listen in time")
            time.sleep(0.05)
        through = url.set(host="127.0.0.1", port=port).update_query_dict({"prepare_threshold": "none"})
        yield through.render_as_string(hide_password=False)
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)
        shutil.rmtree(folder, ignore_errors=True)
