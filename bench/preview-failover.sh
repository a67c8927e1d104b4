#!/usr/bin/env bash
# The dashboard's live preview during failovers (issue 20: the backup's picture within 3 s of the primary's
# encoder being killed): one server, two looping ffmpeg encoders, headless chromium playing the output preview;
# the feeding encoder is killed 20 times (-Dbench.kills=N). Prints the kill-to-switch and kill-to-picture times and
# the player's buffer (median / p90 / max). About 4 minutes on 2 cores. Not part of ./run-tests. Extra arguments go
# to Maven.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$here"
for tool in ffmpeg ffprobe chromium chromedriver; do
  command -v "$tool" >/dev/null || { echo "$tool is missing: run scripts/install-test-deps.sh (as root)" >&2; exit 1; }
done
rm -f app/target/preview-failover-figures.md
mvn -B -pl app -am test -Pbenchmark -Dtest=PreviewFailoverFigures -Dsurefire.failIfNoSpecifiedTests=false \
  -Dsurefire.argLine=-Dio.netty.leakDetection.level=SIMPLE "$@"
echo
echo "== app/target/preview-failover-figures.md"
cat app/target/preview-failover-figures.md
