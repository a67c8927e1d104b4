#!/usr/bin/env bash
# Long fuzz run of the RTMP decoders: handshake, chunk decoder, ingest pipeline and AMF0 reader over random inputs
# and mutations of captured ffmpeg/GStreamer sessions, with a 2 s hang bound per input and PARANOID leak detection.
# Not part of the test suite. Usage: fuzz/run.sh [ITERATIONS (default 1000000)] [--seed N] [--targets a,b]
#                                    fuzz/run.sh --replay fuzz/target/findings/FILE.hex
# Exit code 1 if anything crashed, hung or leaked; findings are saved under fuzz/target/findings/.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$here"
mvn -B -q -Pfuzz -pl fuzz -am -DskipTests package
cp="fuzz/target/classes:rtmp/target/classes:media/target/classes:testkit/target/classes:$(ls fuzz/target/lib/*.jar | tr '\n' ':')"
exec java -Xmx1g -Dio.netty.leakDetection.level=PARANOID -Dio.netty.leakDetection.acquireAndReleaseOnly=true \
  -cp "$cp" io.streamrepeater.fuzz.FuzzRun --findings "$here/fuzz/target/findings" "$@"
