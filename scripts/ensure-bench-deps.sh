#!/usr/bin/env bash
# What the benchmarks need from Debian besides the test dependencies: wrk, the HTTP load generator of the page
# benchmarks (bench/bench_wrk.py). For `make bench` / `make bench-small` only; `make test` does not need it.
set -euo pipefail
command -v wrk >/dev/null && { echo "基准测试依赖已就绪：wrk"; exit 0; }
. "$(dirname "$0")/apt.sh"
echo "安装基准测试依赖：wrk"
apt_install wrk
echo "已安装：wrk"
