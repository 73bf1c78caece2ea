#!/usr/bin/env bash
# What the benchmarks need from Debian besides the test dependencies: wrk, the HTTP load generator of the page
# benchmarks (bench/bench_wrk.py). For `make bench` / `make bench-small` only; `make test` does not need it.
set -euo pipefail
command -v wrk >/dev/null && { echo "基准测试依赖已就绪：wrk"; exit 0; }
echo "安装基准测试依赖：wrk"
SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  command -v sudo >/dev/null || { echo "需要 root 或 sudo 来安装：wrk" >&2; exit 1; }
  SUDO="sudo"
fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends wrk >/dev/null
echo "已安装：wrk"
