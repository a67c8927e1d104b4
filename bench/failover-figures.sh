#!/usr/bin/env bash
# Measures the failover figures of issue 3 with real peers (two looping ffmpeg encoders, two nginx-rtmp
# destinations, the server in-process) and prints the table: 8 configurations (disconnect/stall x
# cached/next-keyframe x continuous/realtime), 10 switches each (-Dbench.switches=N to change).
# About 10 minutes on 2 cores. Not part of ./run-tests. Extra arguments go to Maven.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$here"
for tool in ffmpeg ffprobe nginx; do
  command -v "$tool" >/dev/null || { echo "$tool is missing: run scripts/install-test-deps.sh (as root)" >&2; exit 1; }
done
rm -f app/target/failover-figures.md
# SIMPLE leak detection, as in production, instead of the suite's PARANOID (which records every buffer access).
mvn -B -pl app -am test -Pbenchmark -Dtest=FailoverFigures -Dsurefire.failIfNoSpecifiedTests=false \
  -Dsurefire.argLine=-Dio.netty.leakDetection.level=SIMPLE "$@"
echo
echo "== app/target/failover-figures.md"
cat app/target/failover-figures.md
