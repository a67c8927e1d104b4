#!/usr/bin/env bash
# JMH micro-benchmarks of the hot path (chunk codec, AMF0, fan-out write) with allocation rates.
# Not part of the test suite. Usage: bench/jmh.sh [JMH options, e.g. ChunkCodec -f 1 -wi 2 -i 3]
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$here"
mvn -B -q -Pbench -pl bench/jmh -am -DskipTests package
cp="bench/jmh/target/classes:$(ls bench/jmh/target/lib/*.jar | tr '\n' ':')"
if [ "$#" -eq 0 ]; then
  set -- -f 1 -wi 3 -w 1s -i 5 -r 1s
fi
exec java -cp "$cp" org.openjdk.jmh.Main -prof gc "$@"
