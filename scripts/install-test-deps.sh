#!/usr/bin/env bash
# Installs the external tools the real-peer tests drive (see testkit and DESIGN.md §7):
# ffmpeg/ffprobe, nginx with the rtmp and stream modules, gstreamer with rtmp2sink,
# openssl and stdbuf, libsrt (the SRT listener binds it through JNA), the PostgreSQL server (the store tests start their own throwaway cluster
# with its initdb/pg_ctl), nftables (the cluster's network-cut test drops a node's packets by cgroup), and headless chromium with its chromedriver for the dashboard's browser
# test (Selenium uses these system binaries; it never downloads a browser or a driver). Idempotent: when everything is present it prints one line and
# changes nothing. Runs without a TTY (CI, containers).
set -euo pipefail

readonly NGINX_MODULES_DIR=/usr/lib/nginx/modules
readonly POSTGRES_ROOT=/usr/lib/postgresql
# The paths DashboardBrowserTest starts (Debian's packages chromium and chromium-driver).
readonly BROWSER_BINARIES=(/usr/bin/chromium /usr/bin/chromedriver)
readonly PACKAGES=(ffmpeg nginx-light libnginx-mod-rtmp libnginx-mod-stream
  gstreamer1.0-tools gstreamer1.0-plugins-base gstreamer1.0-plugins-good
  gstreamer1.0-plugins-bad openssl coreutils procps postgresql util-linux chromium chromium-driver
  libsrt1.5-openssl nftables)

# The encoders the test media is made with (Debian's ffmpeg has all of them): H.264, HEVC, and AV1 for the
# Enhanced RTMP tests (ffmpeg 5.1 cannot publish AV1, the tests build its tags from SVT-AV1's output).
readonly FFMPEG_ENCODERS=(libx264 libx265 libsvtav1 aac)
check_encoders() {
  local encoders
  encoders="$(ffmpeg -hide_banner -encoders 2>/dev/null)"
  for encoder in "${FFMPEG_ENCODERS[@]}"; do
    if ! grep -qw -- "$encoder" <<<"$encoders"; then
      echo "install-test-deps: this ffmpeg ($(command -v ffmpeg)) has no $encoder encoder; the tests need Debian's ffmpeg" >&2
      exit 1
    fi
  done
}

missing=()
for command_name in ffmpeg ffprobe nginx gst-launch-1.0 gst-inspect-1.0 openssl stdbuf; do
  command -v "$command_name" >/dev/null 2>&1 || missing+=("command $command_name")
done
for module in ngx_rtmp_module.so ngx_stream_module.so; do
  [[ -f "$NGINX_MODULES_DIR/$module" ]] || missing+=("file $NGINX_MODULES_DIR/$module")
done
# Debian keeps PostgreSQL's server binaries off PATH, under /usr/lib/postgresql/NN/bin.
for postgres_binary in initdb pg_ctl psql; do
  compgen -G "$POSTGRES_ROOT/*/bin/$postgres_binary" >/dev/null || missing+=("file $POSTGRES_ROOT/NN/bin/$postgres_binary")
done
id -u postgres >/dev/null 2>&1 || missing+=("system user postgres")
for browser_binary in "${BROWSER_BINARIES[@]}"; do
  [[ -x "$browser_binary" ]] || missing+=("file $browser_binary")
done
command -v runuser >/dev/null 2>&1 || missing+=("command runuser")
# nft (nftables): NetworkCut drops the packets of a node's cgroup, every address staying on loopback.
command -v nft >/dev/null 2>&1 || missing+=("command nft")
# The kill program (procps; bash's builtin does not count): the cluster tests freeze a node with SIGSTOP and resume it.
[[ -x /usr/bin/kill || -x /bin/kill ]] || missing+=("program kill")
# The SRT listener binds the system's libsrt through JNA (Debian's libsrt1.5-openssl).
compgen -G "/usr/lib/*/libsrt.so.1.5*" >/dev/null || missing+=("library libsrt.so.1.5")
for element in rtmp2sink openh264enc voaacenc; do
  if ! command -v gst-inspect-1.0 >/dev/null 2>&1 || ! gst-inspect-1.0 "$element" >/dev/null 2>&1; then
    missing+=("gstreamer element $element")
  fi
done

if [[ ${#missing[@]} -eq 0 ]]; then
  check_encoders
  echo "install-test-deps: all test tools present (ffmpeg, ffprobe, nginx+rtmp+stream, gstreamer rtmp2sink, openssl, stdbuf, postgresql, chromium+chromedriver, libsrt, nft)"
  exit 0
fi

echo "install-test-deps: missing: ${missing[*]}"
if [[ $(id -u) -ne 0 ]]; then
  echo "install-test-deps: must run as root to install: ${PACKAGES[*]}" >&2
  exit 1
fi

nginx_was_installed=false
command -v nginx >/dev/null 2>&1 && nginx_was_installed=true
postgres_was_installed=false
compgen -G "$POSTGRES_ROOT/*/bin/pg_ctl" >/dev/null && postgres_was_installed=true

apt-get update
DEBIAN_FRONTEND=noninteractive apt-get install -y "${PACKAGES[@]}" </dev/null

# The Debian package starts a system nginx on port 80; the tests run their own instances.
if [[ $nginx_was_installed == false ]]; then
  service nginx stop || true
fi
# Likewise a system PostgreSQL cluster on 5432; the store tests start a cluster of their own.
if [[ $postgres_was_installed == false ]]; then
  service postgresql stop || true
fi
check_encoders
echo "install-test-deps: installed ${PACKAGES[*]}"
