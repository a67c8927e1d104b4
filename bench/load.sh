#!/usr/bin/env bash
# Load benchmark: the same workloads through Stream Repeater and through nginx-rtmp (push) in one run,
# alternating which goes first; prints CPU per stream-second per destination, peak RSS, frames missing at
# the destinations, the relay's added latency, and the ratio. Not part of the test suite.
#
# Usage: bench/load.sh [--workloads 1x1@1.5M,1x10@1.5M,1x40@1.5M,1x10@6M,50x4@1.5M] [--reps N] [--warmup S (90)] [--nginx-warmup S (10)]
#                      [--window S] [--relays sr,nginx] [--jvm "JVM options"] [--java PATH] [--no-switch] [--idle-channels N] [--idle-cpu N]
# Results: printed, and written to bench/load/target/results/results.md
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$here"
bash scripts/install-test-deps.sh >&2
mvn -B -q -Pbench -pl app,bench/load -am -Dmaven.test.skip=true package
cp="bench/load/target/classes:$(ls bench/load/target/lib/*.jar | tr '\n' ':')"
exec java -cp "$cp" -Dbasedir="$here/bench/load" io.streamrepeater.bench.load.LoadBenchmark "$@"
