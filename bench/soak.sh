#!/usr/bin/env bash
# Soak (issue 8): the server in its own JVM with Netty's leak detector at paranoid, one channel with a primary
# and a backup ffmpeg encoder, 4 nginx-rtmp destinations; the primary encoder is killed every 2 minutes (and
# started again 20 s later), one destination after the other is stopped and started every 3 minutes, and every 5
# minutes from 90 s 40 keyless connections start 16 MiB messages (issue 17; each must be closed). Every 10 s
# heap (after jcmd GC.run) and direct memory go to app/target/soak/memory.csv; at the end reconnects, switches,
# decode errors in every recording, leak reports and memory growth go to app/target/soak/summary.md, and the
# run fails on a decode error, a leak report, a destination not LIVE, direct memory +50 % or heap x2.
# Usage: bench/soak.sh [minutes, default 60] [Maven options, e.g. -Dsoak.failback=auto -Dsoak.leakLevel=advanced]
# Not part of ./run-tests (./run-tests -Pnightly adds a 5-minute soak to the suite).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$here"
minutes="${1:-60}"
if [ "$#" -gt 0 ]; then
  shift
fi
[[ "$minutes" =~ ^[0-9]+$ ]] || { echo "usage: bench/soak.sh [minutes] [Maven options]: '$minutes' is not a number of minutes" >&2; exit 2; }
for tool in ffmpeg ffprobe nginx jcmd; do
  command -v "$tool" >/dev/null || { echo "$tool is missing: run scripts/install-test-deps.sh (as root; jcmd comes with the JDK)" >&2; exit 1; }
done
rm -f app/target/soak/summary.md
status=0
mvn -B -pl app -am test -Pnightly -Dtest=Soak -Dsurefire.failIfNoSpecifiedTests=false \
  -Dsoak.minutes="$minutes" "$@" || status=$?
echo
if [ -f app/target/soak/summary.md ]; then
  echo "== app/target/soak/summary.md (memory over time: app/target/soak/memory.csv)"
  cat app/target/soak/summary.md
fi
exit "$status"
