# Shared set-up steps for scripts/demo and scripts/test. Sourced, not run.
# Each step is idempotent and quick when there is nothing to do.

PYTHON=${PYTHON:-python3.11}

ensure_venv() {
  # Reinstall only when pyproject.toml changed since the last install.
  local stamp=.venv/.installed-from
  local want
  want=$(sha256sum pyproject.toml | cut -d' ' -f1)
  if [ ! -x .venv/bin/python ]; then
    command -v "$PYTHON" >/dev/null || PYTHON=python3
    "$PYTHON" -m venv .venv
  fi
  if [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
    .venv/bin/pip install --quiet --upgrade pip
    .venv/bin/pip install --quiet -e '.[dev]'
    echo "$want" > "$stamp"
  fi
}

ensure_chromium() {
  # The browser tests drive Debian's Chromium; Playwright never downloads a browser here.
  command -v chromium >/dev/null && return
  echo "Installing Debian's chromium (the browser tests need it)..."
  local sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq chromium >/dev/null
}

ensure_pdf_libraries() {
  # WeasyPrint (PDF exports of negotiating texts) loads Pango and HarfBuzz from Debian.
  local missing=()
  local lib
  for lib in libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core; do
    dpkg -s "$lib" >/dev/null 2>&1 || missing+=("$lib")
  done
  [ ${#missing[@]} -eq 0 ] && return
  echo "Installing ${missing[*]} (PDF exports need them)..."
  local sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >/dev/null
}

ensure_postgres() {
  # The suite runs on PostgreSQL too; start the local cluster if it is down.
  pg_isready -q -h 127.0.0.1 -p 5432 && return
  echo "Starting PostgreSQL..."
  pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | head -1)" main start
  for _ in $(seq 1 30); do pg_isready -q -h 127.0.0.1 -p 5432 && return; sleep 1; done
  echo "PostgreSQL did not start" >&2
  return 1
}

ensure_redis() {
  # The task-queue tests run RQ against the local Redis; start it if it is down.
  redis-cli -h 127.0.0.1 -p 6379 ping >/dev/null 2>&1 && return
  echo "Starting Redis..."
  redis-server --daemonize yes --bind 127.0.0.1 -::1 --port 6379 --save "" --appendonly no \
    --dir /var/lib/redis --logfile /var/log/redis/ci.log
  for _ in $(seq 1 30); do redis-cli -h 127.0.0.1 -p 6379 ping >/dev/null 2>&1 && return; sleep 1; done
  echo "Redis did not start" >&2
  return 1
}

find_shared_data() {
  # The golden and openData tests read the shared research data kept beside the checkout
  # (../shared). A clone elsewhere (CI) finds this workplace's copy; PARLEY_SHARED_DIR wins.
  if [ -n "${PARLEY_SHARED_DIR:-}" ]; then export PARLEY_SHARED_DIR; return; fi
  local candidate
  for candidate in ../shared /work/shared; do
    if [ -d "$candidate/data/polis" ]; then
      PARLEY_SHARED_DIR=$(cd "$candidate" && pwd)
      export PARLEY_SHARED_DIR
      return
    fi
  done
  echo "The shared data (data/polis, data/polis-math-fixtures) was not found beside the" \
       "checkout; set PARLEY_SHARED_DIR. The tests that need it will fail." >&2
}
