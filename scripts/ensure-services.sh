#!/usr/bin/env bash
# Start the services the PostgreSQL test pass needs when they are not answering: Redis on 127.0.0.1:6379 (the
# real-broker job tests, the two-node test) and PostgreSQL on 127.0.0.1:5432 (trust auth for the local test
# user, as on the developer and CI machines). A no-op when both answer, which is the usual case. What this
# installs comes from Debian's packages; it never touches a PostgreSQL it did not install itself.
set -uo pipefail

answers() { # host port
  (exec 3<>"/dev/tcp/$1/$2") 2>/dev/null
}

REDIS_PORT=${REDIS_PORT:-6379}  # another port only to try this script beside a running Redis

. "$(dirname "$0")/apt.sh"

if answers 127.0.0.1 "$REDIS_PORT"; then
  echo "Redis 已在 127.0.0.1:$REDIS_PORT 运行"
else
  command -v redis-server >/dev/null || { echo "安装 redis-server"; apt_install redis-server || true; }
  if command -v redis-server >/dev/null; then
    # Tests only: nothing kept on disk.
    redis-server --bind 127.0.0.1 --port "$REDIS_PORT" --save '' --appendonly no --daemonize yes >/dev/null
    for _ in $(seq 1 50); do answers 127.0.0.1 "$REDIS_PORT" && break; sleep 0.1; done
    answers 127.0.0.1 "$REDIS_PORT" && echo "已启动 Redis（127.0.0.1:$REDIS_PORT，不落盘）" || echo "警告：Redis 启动失败" >&2
  else
    echo "警告：无法安装 redis-server，后台任务的真实队列测试将无法运行" >&2
  fi
fi

if answers 127.0.0.1 5432; then
  echo "PostgreSQL 已在 127.0.0.1:5432 运行"
  exit 0
fi
if ! command -v pg_lsclusters >/dev/null; then
  echo "安装 PostgreSQL（仅供测试）"
  apt_install postgresql || { echo "警告：无法安装 PostgreSQL" >&2; exit 0; }
  # A cluster this script installed: let the local test user in without a password on loopback only.
  for hba in /etc/postgresql/*/main/pg_hba.conf; do
    $SUDO sed -i -E 's/^(host\s+all\s+all\s+(127\.0\.0\.1\/32|::1\/128)\s+)\S+/\1trust/' "$hba"
  done
fi
pg_lsclusters --no-header 2>/dev/null | while read -r ver name _; do
  $SUDO pg_ctlcluster "$ver" "$name" start 2>/dev/null || true
done
for _ in $(seq 1 50); do answers 127.0.0.1 5432 && break; sleep 0.2; done
answers 127.0.0.1 5432 && echo "PostgreSQL 已启动（127.0.0.1:5432）" || echo "警告：PostgreSQL 未能启动" >&2
exit 0
