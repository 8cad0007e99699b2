#!/usr/bin/env bash
# Time case intake: a generated messy creditor file of ROWS rows (default 100,000), imported into
# a fresh placement and then imported again. Prints one JSON line per database.
set -euo pipefail
cd "$(dirname "$0")/.."
ROWS=${1:-100000}
export ARREARS_DEV=1 ARREARS_DATA_DIR=$(mktemp -d /tmp/arrears-bench.XXXXXX)
trap 'rm -rf "$ARREARS_DATA_DIR"' EXIT
export DATABASE_URL="sqlite:///$ARREARS_DATA_DIR/bench.sqlite3"
.venv/bin/arrears migrate --verbosity 0
.venv/bin/arrears bench intake --rows "$ROWS" --json
if [ -n "${PG_URL:-}" ]; then
  DATABASE_URL="$PG_URL" .venv/bin/arrears migrate --verbosity 0
  DATABASE_URL="$PG_URL" .venv/bin/arrears bench intake --rows "$ROWS" --json
fi
