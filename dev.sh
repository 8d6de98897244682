#!/usr/bin/env bash
# Petition Kiosk: set up and run, from a fresh Debian/Ubuntu machine with Python 3.11+.
#
#   ./dev.sh run  [petition-kiosk arguments...]   set up, then start the app on the demo campaign
#                                                 (--setup: the first-run questions instead)
#   ./dev.sh test [pytest arguments...]           set up, check the code (ruff, mypy), then run the whole test
#                                                 suite, build the app and run the built program's self-test,
#                                                 then the quick benchmarks
#   ./dev.sh check                                set up, then only the code checks: ruff and mypy
#   ./dev.sh build                                set up, then build the one-folder app in dist/petition-kiosk/
#   ./dev.sh messages                             set up, then refresh the signer catalogue (db/translations/:
#                                                 extract, update the .po files, compile the .mo files) and the
#                                                 interface's Qt Linguist catalogues (resources/translations/*.ts)
#
# System packages (Qt's libraries, fonts with Arabic glyphs; for tests Xvfb and PostgreSQL) are
# installed with apt-get when missing: as root directly, otherwise through sudo.
set -euo pipefail
cd "$(dirname "$0")"

VENV=.venv
PY="$VENV/bin/python"
SUDO=""
[ "$(id -u)" -ne 0 ] && SUDO="sudo"

QT_PACKAGES="libegl1 libgl1 libxkbcommon0 libxkbcommon-x11-0 libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1
  libxcb-shape0 libxcb-xinerama0 libxcb-randr0 libxcb-render-util0 libxcb-image0 libfontconfig1 libdbus-1-3
  libpulse0 fonts-noto-core fonts-dejavu-core"
TEST_PACKAGES="xvfb openbox xdotool postgresql pgbouncer dbus chromium"

say() { printf '\033[1m==> %s\033[0m\n' "$*"; }

apt_install() {
  command -v dpkg-query >/dev/null || { say "not a Debian system: install $* yourself"; return 0; }
  local missing=()
  for p in "$@"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" || missing+=("$p")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  say "installing system packages: ${missing[*]}"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

setup_python() {
  if [ ! -x "$PY" ]; then
    say "creating the virtual environment in $VENV"
    python3 -m venv "$VENV" 2>/dev/null || { apt_install python3-venv; rm -rf "$VENV"; python3 -m venv "$VENV"; }
  fi
  # Reinstall only when the dependencies changed.
  local stamp="$VENV/.installed-$(sha256sum pyproject.toml | cut -c1-16)"
  if [ ! -f "$stamp" ]; then
    say "installing Python packages"
    "$PY" -m pip install -q --upgrade pip >/dev/null
    # compat mode: a plain path entry, not an import hook (the hook costs start-up time on every
    # import). setuptools calls it transitional: should a release drop it, use the default mode.
    "$PY" -m pip install -q -e ".[dev]" --config-settings editable_mode=compat 2>/dev/null \
      || "$PY" -m pip install -q -e ".[dev]"
    rm -f "$VENV"/.installed-*; touch "$stamp"
  fi
  "$PY" -m desktop.i18n --compile >/dev/null
}

start_postgres() {
  command -v pg_lsclusters >/dev/null || return 0
  local cluster
  cluster=$(pg_lsclusters --no-header | awk 'NR==1 {print $1" "$2}')
  [ -n "$cluster" ] || return 0
  # shellcheck disable=SC2086
  pg_ctlcluster $cluster start 2>/dev/null || true
  run_sql() { if [ "$(id -u)" -eq 0 ]; then su postgres -c "psql -qtA -c \"$1\""; else sudo -u postgres psql -qtA -c "$1"; fi; }
  if [ "$(run_sql "SELECT 1 FROM pg_roles WHERE rolname='petition'")" != "1" ]; then
    run_sql "CREATE ROLE petition LOGIN PASSWORD 'petition' CREATEDB" >/dev/null
  fi
  export PETITION_TEST_DATABASE_URL="postgresql+psycopg://petition:petition@127.0.0.1:5432/postgres"
}

# The gates before any test: ruff on every package, mypy (strict on db/ and server/, as pyproject.toml
# configures; default strictness on desktop/ and bench/). Either failing fails the run.
check_code() {
  say "checking the code (ruff, mypy)"
  "$VENV/bin/ruff" check db desktop server bench tests
  "$VENV/bin/mypy" db server desktop bench
}

# The one-folder application (build.spec) in dist/petition-kiosk/, and its size.
build_app() {
  say "building the application (PyInstaller, build.spec)"
  local start=$SECONDS
  "$VENV/bin/pyinstaller" --noconfirm --log-level WARN build.spec
  say "built dist/petition-kiosk/ in $((SECONDS - start)) s: $(du -sm dist/petition-kiosk | cut -f1) MB (goal: under 250 MB)"
}

cmd="${1:-run}"
shift || true
case "$cmd" in
  run)
    apt_install $QT_PACKAGES
    setup_python
    # --demo: straight to the demo campaign. A real device's first start asks the set-up questions
    # (language, campaign, device name, coordinator PIN, server); "./dev.sh run --setup" shows them.
    if printf '%s\n' "$@" | grep -qx -- "--setup"; then
      exec "$VENV/bin/petition-kiosk" "$@"
    fi
    exec "$VENV/bin/petition-kiosk" --demo "$@"
    ;;
  test)
    apt_install $QT_PACKAGES $TEST_PACKAGES
    setup_python
    check_code
    start_postgres
    export QT_QPA_PLATFORM=offscreen
    say "running the tests"
    "$PY" -m pytest "$@"
    if [ $# -eq 0 ]; then  # the whole suite: also the built program, as a volunteer gets it
      build_app
      say "running the built program's self-test"
      dist/petition-kiosk/petition-kiosk --self-test
    fi
    say "running the benchmarks (quick form)"
    "$PY" -m bench --quick
    ;;
  check)
    setup_python
    check_code
    ;;
  build)
    apt_install $QT_PACKAGES
    setup_python
    build_app
    ;;
  messages)
    setup_python
    say "refreshing the signer catalogue (db/translations) and the interface's .ts catalogues"
    "$PY" -m db.signer_catalogue
    "$PY" -m desktop.i18n --update --compile >/dev/null
    ;;
  *)
    echo "usage: ./dev.sh run [app arguments] | ./dev.sh test [pytest arguments] | ./dev.sh check | ./dev.sh build | ./dev.sh messages" >&2
    exit 2
    ;;
esac
