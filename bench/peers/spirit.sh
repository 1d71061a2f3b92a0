#!/usr/bin/env bash
# The django-spirit peer for bench/peer_comparison.py, in a venv and project of its own.
#
#   bench/peers/spirit.sh setup          # venv, project, SQLite, the seed topic (idempotent)
#   bench/peers/spirit.sh serve PORT     # Granian, WSGI, 2 workers (as `folkmoot serve`)
#
# Run from Folkmoot's checkout (setup reads the seed texts through `uv run`). Nothing goes
# into Folkmoot's env: Spirit lives under $PEERS_DIR (default /tmp/folkmoot-peers).
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
PEERS_DIR="${PEERS_DIR:-/tmp/folkmoot-peers}"
SPIRIT_VERSION="${SPIRIT_VERSION:-0.14.3}"  # the newest on PyPI; Django >=4.2,<6 (gets 5.2)
VENV="$PEERS_DIR/spirit-venv"
PROJECT="$PEERS_DIR/spirit-site"
PY="$VENV/bin/python"
SETTINGS=site_peer.settings.bench

setup() {
    mkdir -p "$PEERS_DIR"
    # The same Granian as Folkmoot's, so the two differ in the app, not the server.
    local granian
    granian="$(cd "$HERE/../.." && uv run --quiet python -c 'import granian; print(granian.__version__)')"
    if [ ! -x "$PY" ]; then
        uv venv --quiet --python "$(command -v python3)" "$VENV"
    fi
    VIRTUAL_ENV="$VENV" uv pip install --quiet "django-spirit==$SPIRIT_VERSION" "granian==$granian"
    if [ ! -d "$PROJECT" ]; then
        mkdir -p "$PROJECT"
        # Spirit's documented start: `spirit startproject NAME`, then `spiritinstall`. It
        # runs `django-admin`: the venv's.
        PATH="$VENV/bin:$PATH" spirit startproject site_peer --path "$PROJECT" >/dev/null
    fi
    cp "$HERE/spirit_settings.py" "$PROJECT/site_peer/settings/bench.py"
    # `manage.py spiritinstall`'s three steps, each without questions so a rerun goes through:
    # migrate, createcachetable (the template's DatabaseCache), collectstatic.
    for step in "migrate --no-input" createcachetable "collectstatic --no-input"; do
        # shellcheck disable=SC2086  # the step's words are its arguments
        (cd "$PROJECT" && "$PY" manage.py $step --settings "$SETTINGS" >/dev/null)
    done
    (cd "$HERE/../.." && uv run --quiet python bench/peers/seed_texts.py) > "$PEERS_DIR/seed.json"
    (cd "$PROJECT" && PYTHONPATH="$PROJECT" DJANGO_SETTINGS_MODULE="$SETTINGS" \
        "$PY" "$HERE/load_spirit.py" "$PEERS_DIR/seed.json")
}

serve() {
    local port="$1"
    cd "$PROJECT"
    # As `folkmoot serve --workers 2` runs Folkmoot (folkmoot/cli.py): WSGI, 2 workers, 4
    # blocking threads each.
    DJANGO_SETTINGS_MODULE="$SETTINGS" exec "$VENV/bin/granian" --interface wsgi --host 127.0.0.1 --port "$port" \
        --workers 2 --blocking-threads 4 --no-ws --log-level warning \
        site_peer.wsgi:application
}

case "${1:-}" in
    setup) setup ;;
    serve) serve "${2:?serve PORT}" ;;
    *) echo "usage: $0 setup | serve PORT" >&2; exit 2 ;;
esac
