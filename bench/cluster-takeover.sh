#!/usr/bin/env bash
# Takeover figures of issue 19: two nodes (own JVMs, 127.0.0.41/.42) on a throwaway PostgreSQL, leaseMs 3000, an
# encoder on each node, two nginx-rtmp destinations; the relaying node is killed (SIGKILL) 20 times
# (-Dbench.kills=N), the other takes over, the killed one comes back as the follower. Prints detection, connect and
# media-again times (median / p90 / max) and the new sessions per destination per kill. About 6 minutes on 2 cores.
# Not part of ./run-tests. Extra arguments go to Maven.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$here"
for tool in ffmpeg ffprobe nginx; do
  command -v "$tool" >/dev/null || { echo "$tool is missing: run scripts/install-test-deps.sh (as root)" >&2; exit 1; }
done
rm -f app/target/cluster-takeover-figures.md
mvn -B -pl app -am test -Pbenchmark -Dtest=ClusterTakeoverFigures -Dsurefire.failIfNoSpecifiedTests=false \
  -Dsurefire.argLine=-Dio.netty.leakDetection.level=SIMPLE "$@"
echo
echo "== app/target/cluster-takeover-figures.md"
cat app/target/cluster-takeover-figures.md
