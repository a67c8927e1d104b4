#!/usr/bin/env bash
# Load benchmark: the same workloads through Stream Repeater and through nginx-rtmp (push) in one run,
# alternating which goes first; prints CPU per stream-second per destination, peak RSS, frames missing at
# the destinations, the relay's added latency, and the ratio. Not part of the test suite.
#
# Usage: bench/load.sh [--workloads 1x1@1.5M,1x10@1.5M,1x40@1.5M,1x10@6M,50x4@1.5M (any CxD@1.5M or CxD@6M)] [--reps N]
#                      [--warmup S (90)] [--nginx-warmup S (10)] [--window S] [--relays sr,nginx (sr-jdk, ffmpeg, none)]
#                      [--jvm "JVM options"] [--java PATH] [--no-switch] [--idle-channels N] [--idle-cpu N]
#                      [--plot FILE.png]  (CPU and peak RSS against the number of channels, one line per relay)
#                      [--tee N]  (one ffmpeg publishes N channels, reading the file once: a cheaper load generator)
#                      [--rtmps]  (RTMPS destinations: Stream Repeater with BoringSSL (sr) and with the JDK's TLS (sr-jdk),
#                                  nginx-rtmp + stunnel (nginx), one ffmpeg per destination (ffmpeg))
# Results: printed, and written to bench/load/target/results/results.md
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$here"
bash scripts/install-test-deps.sh >&2
# --rtmps compares with nginx-rtmp behind stunnel: install it on first use (Debian's stunnel4)
if [[ " $* " == *" --rtmps "* ]] && ! command -v stunnel >/dev/null; then
  if [ "$(id -u)" -ne 0 ]; then echo "bench/load.sh --rtmps needs stunnel: apt-get install stunnel4" >&2; exit 1; fi
  apt-get update >&2 && apt-get install -y stunnel4 >&2
fi
mvn -B -q -Pbench -pl app,bench/load -am -Dmaven.test.skip=true package
cp="bench/load/target/classes:$(ls bench/load/target/lib/*.jar | tr '\n' ':')"
exec java -cp "$cp" -Dbasedir="$here/bench/load" io.streamrepeater.bench.load.LoadBenchmark "$@"
