#!/usr/bin/env bash
# Side by side: Stream Repeater and nginx-rtmp (push) relay the same file at the same time to one sink nginx-rtmp,
# N destinations each, so that both are measured under the same conditions of the machine, and can be profiled
# (perf, strace, jcmd) while they run. Prints each relay's user and system CPU per window and Stream Repeater's
# CPU per thread. Not part of the test suite. Loopback only.
#
# Usage: bench/side-by-side.sh [--destinations N (40)] [--warmup S (120)] [--window S (30)] [--windows K (3)]
#                              [--jvm "JVM options"] [--perf S] [--keep]
#   --jvm   options after the shipped ones (jvm.options, as ./stream-repeater runs it); for -XX flags the last wins
#   --perf S  after the windows, samples both relays for S seconds with perf (cpu-clock, call stacks) and splits
#           each one's CPU into the kernel's sending (writev/sendto and everything under it, including the loopback
#           delivery to the sink), receiving, waiting (epoll) and the rest, and Stream Repeater's rest by thread and by
#           the Java methods that hold most of it. Needs perf (linux-perf) and permission to use it.
#   --keep  leaves everything running at the end (pids and ports printed) for a profiler; stop with
#           bench/side-by-side.sh --stop
# Ports: 19350 (sink), 19351 (Stream Repeater RTMP), 19352 (nginx-rtmp relay), 19380 (Stream Repeater HTTP).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
work="$here/bench/load/target/side-by-side"
destinations=40 warmup=120 window=30 windows=3 jvm="" keep=false perf_seconds=0

stop_all() {
    pkill -f "nginx -p $work/" 2>/dev/null || true
    pkill -f "$work/sr/stream-repeater.jar" 2>/dev/null || true
    pkill -f "ffmpeg .*side-by-side-publisher" 2>/dev/null || true
    for _ in $(seq 1 50); do
        pgrep -f "nginx -p $work/|$work/sr/stream-repeater.jar|side-by-side-publisher" >/dev/null || return 0
        sleep 0.2
    done
    echo "side-by-side: processes still running after 10 s" >&2
    return 1
}

while [ $# -gt 0 ]; do
    case "$1" in
        --destinations) destinations="$2"; shift 2 ;;
        --warmup) warmup="$2"; shift 2 ;;
        --window) window="$2"; shift 2 ;;
        --windows) windows="$2"; shift 2 ;;
        --jvm) jvm="$2"; shift 2 ;;
        --keep) keep=true; shift ;;
        --perf) perf_seconds="$2"; shift 2 ;;
        --stop) stop_all; exit 0 ;;
        *) echo "side-by-side: unknown option $1" >&2; exit 2 ;;
    esac
done

cd "$here"
bash scripts/install-test-deps.sh >&2
mvn -B -q -pl app -am -Dmaven.test.skip=true package
media="$(ls bench/load/target/test-media/h264-aac-*-960x540-30fps-g60-1400k-bf0.flv 2>/dev/null | head -1 || true)"
if [ -z "$media" ]; then
    mkdir -p bench/load/target/test-media
    media=bench/load/target/test-media/side-by-side-960x540-1400k.flv
    [ -f "$media" ] || ffmpeg -hide_banner -loglevel error -y -f lavfi -i "testsrc2=size=960x540:rate=30" \
        -f lavfi -i "sine=frequency=440:sample_rate=48000" -t 120 -c:v libx264 -preset veryfast -b:v 1400k \
        -g 60 -bf 0 -c:a aac -b:a 128k -f flv "$media"
fi

stop_all
rm -rf "$work"; mkdir -p "$work/sink" "$work/relay" "$work/sr"
module=/usr/lib/nginx/modules/ngx_rtmp_module.so
start_nginx() { # dir port server-body
    cat > "$work/$1/nginx.conf" <<EOF
load_module $module;
daemon off; master_process off;$( [ "$(id -u)" = 0 ] && echo " user root;" )
error_log $work/$1/error.log warn; pid $work/$1/nginx.pid;
worker_rlimit_nofile 8192;
events { worker_connections 4096; }
rtmp { server { listen 127.0.0.1:$2;
$3
} }
EOF
    nohup nginx -p "$work/$1/" -c "$work/$1/nginx.conf" > "$work/$1/out.log" 2>&1 &
}
sink="" push=""
for d in $(seq 1 "$destinations"); do
    sink="$sink application d$d { live on; }"
    push="$push push rtmp://127.0.0.1:19350/d$d;"
done
start_nginx sink 19350 "$sink"
start_nginx relay 19352 "application live { live on; $push }"
{
    printf 'server:\n  rtmpPort: 19351\n  srtPort: 0\n  httpPort: 19380\n  dataDir: %s\n  adminToken: side-by-side\n' "$work/sr/data"
    printf 'channels:\n  - name: ch1\n    inputs:\n      - { name: primary, key: key1 }\n    destinations:\n'
    for d in $(seq 1 "$destinations"); do printf '      - { name: d%s, url: "rtmp://127.0.0.1:19350/d%s/sr1" }\n' "$d" "$d"; done
} > "$work/sr/config.yaml"
# a copy of the jar and its libraries: a rebuild while this runs must not change the classes under the JVM
cp app/target/stream-repeater.jar "$work/sr/"; cp -r app/target/lib "$work/sr/"
# shellcheck disable=SC2086
nohup java @"$here/jvm.options" $jvm -jar "$work/sr/stream-repeater.jar" serve --config "$work/sr/config.yaml" > "$work/sr/server.log" 2>&1 &
sr_pid=$!
ready() { # GET /readyz answers 200 (bash's /dev/tcp: no HTTP client needed)
    { exec 3<>/dev/tcp/127.0.0.1/19380; } 2>/dev/null || return 1
    printf 'GET /readyz HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n' >&3
    local status; status="$(head -1 <&3)"; exec 3>&-
    [[ "$status" == *" 200"* ]]
}
for _ in $(seq 1 150); do
    ready && break
    kill -0 "$sr_pid" 2>/dev/null || { echo "side-by-side: stream-repeater exited; see $work/sr/server.log" >&2; exit 1; }
    sleep 0.2
done
ready || { echo "side-by-side: stream-repeater not ready after 30 s; see $work/sr/server.log" >&2; exit 1; }
for target in "rtmp://127.0.0.1:19351/live/key1" "rtmp://127.0.0.1:19352/live/nx1"; do
    nohup ffmpeg -hide_banner -loglevel error -nostdin -re -stream_loop -1 -i "$media" -c copy \
        -metadata comment=side-by-side-publisher -f flv "$target" > /dev/null 2>&1 &
done
nx_pid="$(cat "$work/relay/nginx.pid" 2>/dev/null || pgrep -f "nginx -p $work/relay/")"
echo "side-by-side: $destinations destinations each; stream-repeater pid $sr_pid, nginx-rtmp pid $nx_pid; warm-up ${warmup} s"
sleep "$warmup"
connected() { ss -tnp state established "( dport = :19350 )" 2>/dev/null | grep -c "pid=$1," || true; }
sr_conns="$(connected "$sr_pid")"; nx_conns="$(connected "$nx_pid")"
echo "side-by-side: connections to the sink: stream-repeater $sr_conns, nginx-rtmp $nx_conns (of $destinations each)"
if [ "$sr_conns" != "$destinations" ] || [ "$nx_conns" != "$destinations" ]; then
    echo "side-by-side: not every destination is connected; logs in $work" >&2
    $keep || stop_all
    exit 1
fi

hz="$(getconf CLK_TCK)"
cpu() { awk '{print $14, $15}' "/proc/$1/stat"; }
threads() {
    for t in /proc/"$sr_pid"/task/*; do
        # utime and stime: fields 14 and 15 of stat, counted after the ")" that ends the name (names hold spaces)
        printf '%s %s\n' "$(tr ' ' _ < "$t/comm" | sed 's/[0-9]\+/#/g')" "$(sed 's/^.*) //' "$t/stat" | awk '{print $12 + $13}')"
    done | awk '{a[$1]+=$2} END {for (k in a) print k, a[k]}' | sort
}
for w in $(seq 1 "$windows"); do
    read -r su1 ss1 < <(cpu "$sr_pid"); read -r nu1 ns1 < <(cpu "$nx_pid"); threads > "$work/threads.a"
    sleep "$window"
    read -r su2 ss2 < <(cpu "$sr_pid"); read -r nu2 ns2 < <(cpu "$nx_pid"); threads > "$work/threads.b"
    ms() { echo $(( ($2 - $1) * 1000 / hz )); }
    sr_total=$(( $(ms "$su1" "$su2") + $(ms "$ss1" "$ss2") )); nx_total=$(( $(ms "$nu1" "$nu2") + $(ms "$ns1" "$ns2") ))
    echo "window $w (${window} s): stream-repeater user $(ms "$su1" "$su2") ms system $(ms "$ss1" "$ss2") ms;" \
        "nginx-rtmp user $(ms "$nu1" "$nu2") ms system $(ms "$ns1" "$ns2") ms;" \
        "ratio $(awk -v a="$sr_total" -v b="$nx_total" 'BEGIN { printf (b > 0 ? "%.2f" : "-"), a / b }')"
    echo "  stream-repeater by thread: $(join "$work/threads.a" "$work/threads.b" \
        | awk -v hz="$hz" '{d = ($3 - $2) * 1000 / hz; if (d > 0) printf "%s %d ms, ", $1, d}')"
done
if [ "$perf_seconds" -gt 0 ]; then
    command -v perf >/dev/null || { echo "side-by-side: --perf needs perf (apt-get install linux-perf)" >&2; exit 1; }
    # JIT-compiled frames are named from the map the JVM writes on request (before and after: methods compiled
    # while sampling are in the second)
    jcmd "$sr_pid" Compiler.perfmap >/dev/null
    perf record -q -e cpu-clock -F 1000 -g -p "$sr_pid" -o "$work/perf.sr.data" -- sleep "$perf_seconds" \
        >/dev/null 2>&1 &
    perf_pid=$!
    perf record -q -e cpu-clock -F 1000 -g -p "$nx_pid" -o "$work/perf.nx.data" -- sleep "$perf_seconds" \
        >/dev/null 2>&1
    wait "$perf_pid" # not a bare wait: the relays are children of this script too
    jcmd "$sr_pid" Compiler.perfmap >/dev/null
    # One sample is 1 ms of CPU. A sample counts as sending when writev/sendto (the C library's or the kernel's) is
    # on its stack: the system call with its entry and exit and everything the kernel does under it; and so on.
    perf_split() {
        perf script -i "$1" 2>/dev/null | awk -v who="$2" '
            function flush() {
                if (!n) return
                total++; cls = "rest"
                if (stack ~ / (do_writev|vfs_writev|__sys_sendto|__sys_sendmsg|__x64_sys_sendto|__GI___writev|__writev|writev|__send|__libc_send|sendto)\+/) cls = "send"
                else if (stack ~ / (__sys_recvfrom|ksys_read|sock_recvmsg|__x64_sys_recvfrom|__libc_recv|__recv|recv|__GI___read|__libc_read|read)\+/) cls = "receive"
                else if (stack ~ / (do_epoll_wait|do_epoll_pwait|__x64_sys_epoll_pwait2?|epoll_pwait2?|epoll_wait)\+/) cls = "wait"
                by[cls]++
                if (cls == "rest") { threads[thread]++; if (leaf != "") leaves[leaf]++ }
                n = 0; stack = ""; leaf = ""
            }
            /^[^ \t]/ { flush(); thread = $1; gsub(/[0-9]+/, "#", thread); next }
            /^[ \t]*$/ { flush(); next }
            { n++; stack = stack " " $2 "+"
              # the first Java method from the leaf up (skip kernel, libc and VM frames)
              if (leaf == "" && $0 ~ /perf-[0-9]+\.map/ && $0 !~ /Interpreter|StubRoutines|adapters|vtable|itable/) {
                  line = $0; sub(/^[ \t]*[0-9a-f]+ /, "", line); sub(/\+0x[0-9a-f]+ \(.*$/, "", line)
                  sub(/\(.*$/, "", line); k = split(line, w, " "); leaf = w[k]
              } }
            END { flush()
                printf "%s: %d ms sampled: send %d, receive %d, wait %d, rest %d\n", who, total, by["send"],
                    by["receive"], by["wait"], by["rest"]
                if (length(threads) > 1) {
                    printf "  rest by thread:"; for (t in threads) printf " %s %d", t, threads[t]; printf "\n"
                }
                m = 0; for (l in leaves) m++
                if (m) {
                    printf "  rest by the nearest Java method (ms):"
                    for (i = 0; i < 8; i++) { best = ""; for (l in leaves) if (best == "" || leaves[l] > leaves[best]) best = l
                        if (best == "") break; printf "\n    %4d %s", leaves[best], best; delete leaves[best] }
                    printf "\n"
                }
            }'
    }
    echo "side-by-side: perf, $perf_seconds s of both relays at once"
    perf_split "$work/perf.sr.data" stream-repeater
    perf_split "$work/perf.nx.data" nginx-rtmp
fi
if $keep; then
    echo "side-by-side: left running (stream-repeater pid $sr_pid, nginx-rtmp pid $nx_pid); stop with $0 --stop"
else
    stop_all
fi
