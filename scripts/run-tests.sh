#!/usr/bin/env bash
# Run the whole suite on SQLite, then on PostgreSQL when one is reachable.
# REQUIRE_POSTGRES=1 (set by .ci/run) turns a missing PostgreSQL into a failure.
set -uo pipefail
cd "$(dirname "$0")/.."
BIN=.venv/bin
PYTEST_ARGS=${PYTEST_ARGS:-}

echo "=== [1/2] 测试：SQLite ==="
env -u DATABASE_URL "$BIN/pytest" $PYTEST_ARGS || exit $?

PG_URL=${DATABASE_URL:-}
case "$PG_URL" in postgres*) ;; *) PG_URL="postgres://postgres@127.0.0.1:5432/postgres" ;; esac
if "$BIN/python" - "$PG_URL" <<'PY'
import sys, psycopg
try:
    psycopg.connect(sys.argv[1].replace("postgres://", "postgresql://", 1), connect_timeout=3).close()
except Exception as exc:
    print(f"PostgreSQL 不可用：{exc}", file=sys.stderr)
    sys.exit(1)
PY
then
  # The real-broker job tests (core/tests/test_jobs_broker.py) need Redis on 127.0.0.1:6379; without it they
  # are skipped, which CI (REQUIRE_POSTGRES=1, Redis running) must not allow.
  if ! "$BIN/python" -c "import redis, sys; sys.exit(0 if redis.Redis(host='127.0.0.1', port=6379, socket_connect_timeout=2).ping() else 1)" 2>/dev/null; then
    if [ "${REQUIRE_POSTGRES:-0}" = "1" ]; then
      echo "错误：要求 PostgreSQL 测试轮，但 127.0.0.1:6379 上没有 Redis（后台任务的真实队列测试需要它）" >&2
      exit 1
    fi
    echo "警告：127.0.0.1:6379 上没有 Redis，后台任务的真实队列测试将跳过。"
  fi
  echo "=== [2/2] 测试：PostgreSQL ($PG_URL) ==="
  # The API fuzzer (gongkai/api/tests/test_fuzz.py) and the slow OCR round trips (importing/test_scan_round_trip.py)
  # run in this pass only.
  GONGKAI_FUZZ=1 GONGKAI_SLOW_OCR=1 DATABASE_URL="$PG_URL" "$BIN/pytest" $PYTEST_ARGS || exit $?
  echo "SQLite 与 PostgreSQL 两轮测试均已通过。"
else
  if [ "${REQUIRE_POSTGRES:-0}" = "1" ]; then
    echo "错误：要求 PostgreSQL 测试轮（REQUIRE_POSTGRES=1），但连接不到 $PG_URL" >&2
    exit 1
  fi
  echo "警告：未找到 PostgreSQL，已跳过 PostgreSQL 测试轮。"
fi
