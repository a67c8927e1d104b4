#!/usr/bin/env bash
# Store-outage figures of issue 19 (scenario 4 at the issue's length): ClusterStoreOutageEndToEndTest with
# PostgreSQL stopped for 60 s (first argument, seconds) under two node JVMs streaming to two nginx-rtmp destinations.
# Prints the outage, the packets each destination was sent during it, its sessions and its largest video timestamp
# gap. About 2 minutes on 2 cores. Not part of ./run-tests (the suite runs the same test with a 16 s outage).
# Extra arguments go to Maven.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$here"
seconds="${1:-60}"
shift || true
for tool in ffmpeg ffprobe nginx; do
  command -v "$tool" >/dev/null || { echo "$tool is missing: run scripts/install-test-deps.sh (as root)" >&2; exit 1; }
done
mvn -B -pl app -am test -Dtest=ClusterStoreOutageEndToEndTest -Dsurefire.failIfNoSpecifiedTests=false \
  "-Dsurefire.argLine=-Dio.netty.leakDetection.level=SIMPLE -Dcluster.storeOutageSeconds=$seconds" "$@" \
  | tee app/target/store-outage.log | grep -E "store outage:|Tests run:|FAIL|BUILD"
