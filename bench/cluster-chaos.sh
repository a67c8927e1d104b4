#!/usr/bin/env bash
# The cluster's chaos run of issue 19: three nodes (own JVMs, 127.0.0.91-.93) on a throwaway PostgreSQL, leaseMs
# 2000, an encoder on each node, two nginx-rtmp destinations; for 30 minutes (first argument, minutes) the owner or a
# follower is killed, the owner frozen, its network cut (nftables by cgroup), PostgreSQL stopped, or the owner drained, at random every 10-25 s. Prints
# per action the new sessions per destination (checked against the expected: 0 for a follower's death or a store
# outage, 1 for the owner's death, freeze, cut or drain) and the time until media flows again, and checks every recorded
# session decodes clean. -Dbench.seed=N repeats a run. Not part of ./run-tests. Extra arguments go to Maven.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$here"
minutes="${1:-30}"
shift || true
for tool in ffmpeg ffprobe nginx nft; do
  command -v "$tool" >/dev/null || { echo "$tool is missing: run scripts/install-test-deps.sh (as root)" >&2; exit 1; }
done
rm -f app/target/cluster-chaos-figures.md
mvn -B -pl app -am test -Pbenchmark -Dtest=ClusterChaosFigures -Dsurefire.failIfNoSpecifiedTests=false \
  "-Dsurefire.argLine=-Dio.netty.leakDetection.level=SIMPLE -Dbench.chaosMinutes=$minutes" "$@"
echo
echo "== app/target/cluster-chaos-figures.md"
cat app/target/cluster-chaos-figures.md
