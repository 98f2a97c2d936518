#!/usr/bin/env bash
# Release builds: one NativeAOT binary per Linux platform this machine can build, each smoke-tested end to end
# against the local mock server (`local`, a text to Alice, her echo back), and the .NET tool package.
#
#   OUT=artifacts/release RIDS="linux-x64 linux-arm64" bash deploy/release.sh
#
# linux-arm64 is cross-built on an x64 machine and run under qemu-aarch64; it needs (Debian/Ubuntu):
#   clang gcc-aarch64-linux-gnu binutils-aarch64-linux-gnu libc6-dev-arm64-cross qemu-user socat,
#   and to run the binary: dpkg --add-architecture arm64; apt-get install libssl3:arm64 libicu72:arm64
# osx-arm64 needs a Mac (Apple's linker and SDK): run `dotnet publish src/SignalSharp.Cli -c Release -r osx-arm64` there.
# X64_ISA (e.g. x86-64-v3 or x86-64-v4) builds linux-x64 for a newer x64 level than NativeAOT's baseline: the baseline
# binary never uses AVX2, BMI2 or AVX-512 (NativeAOT compiles each method once, with no run-time dispatch), so
# zkgroup's eight-lane field and MULX products run only in a binary built for them; such a binary refuses to start
# on an older CPU.
set -euo pipefail
cd "$(dirname "$0")/.."

OUT="${OUT:-artifacts/release}"
RIDS="${RIDS:-linux-x64 linux-arm64}"
host_arch="$(uname -m)"
mkdir -p "$OUT"

log() { printf '== %s\n' "$*" >&2; }

publish() {
  local rid="$1" dir="$OUT/$1"
  local extra=()
  if [[ "$rid" == linux-arm64 && "$host_arch" != aarch64 ]]; then
    # Cross-linking: clang targets aarch64 and finds the cross libc (libc6-dev-arm64-cross) as gcc's cross
    # toolchain does; the debug symbols are split with the cross objcopy.
    extra=(-p:ObjCopyName=aarch64-linux-gnu-objcopy)
  fi
  if [[ "$rid" == linux-x64 && -n "${X64_ISA:-}" ]]; then
    extra+=(-p:IlcInstructionSet="$X64_ISA")
  fi
  log "publishing $rid (NativeAOT) into $dir"
  dotnet publish src/SignalSharp.Cli -c Release -r "$rid" -o "$dir" "${extra[@]}" >&2
  rm -f "$dir"/*.dbg "$dir"/*.pdb
  (cd "$OUT" && tar czf "signal-sharp-$rid.tar.gz" "$rid")
}

# How a binary for $1 runs here: directly, or under qemu for another architecture.
runner_for() {
  case "$1:$host_arch" in
    linux-x64:x86_64 | linux-arm64:aarch64) echo "" ;;
    linux-arm64:*) echo "qemu-aarch64 -L /" ;;
    *) echo "unsupported" ;;
  esac
}

smoke() {
  local rid="$1" runner bin config port pid answer
  runner="$(runner_for "$rid")"
  if [[ "$runner" == unsupported ]]; then
    log "$rid: cannot run here; not smoke-tested"
    return 0
  fi

  bin="$OUT/$rid/signal-sharp"
  log "$rid: $($runner "$bin" --version 2>&1 | head -1)"
  config="$(mktemp -d)"
  port="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])' 2>/dev/null || echo 16789)"
  $runner "$bin" --config "$config" local --tcp "127.0.0.1:$port" >"$config/local.log" 2>&1 &
  pid=$!
  trap 'kill $pid 2>/dev/null || true; rm -rf "$config"' RETURN
  for _ in $(seq 1 240); do
    grep -q "Daemon on" "$config/local.log" && break
    kill -0 "$pid" 2>/dev/null || { cat "$config/local.log" >&2; log "$rid: local exited"; return 1; }
    sleep 0.5
  done
  grep -q "Daemon on" "$config/local.log" || { cat "$config/local.log" >&2; log "$rid: local did not come up"; return 1; }

  # The line comes as the daemon starts; under emulation it may take a moment more to accept.
  for _ in $(seq 1 120); do
    (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && break
    sleep 0.5
  done

  local alice
  alice="$(sed -n 's/.*contact Alice \(+[0-9]*\).*/\1/p' "$config/local.log" | head -1)"
  # Right after linking the phone's contact list may still be on its way (a send by number then answers status 2):
  # try again for a while, as a script would.
  local sent="" answer="" tries
  for tries in $(seq 1 30); do
    sent="$(printf "{command:'send_message',recipient:'%s',dataMessage:{message:'release smoke'}}\n" "$alice" | socat -t 15 - "TCP:127.0.0.1:$port")"
    grep -q '"statusCode":0,"timestamp"' <<<"$sent" && break
    sleep 2
  done
  grep -q '"statusCode":0,"timestamp"' <<<"$sent" || { printf '%s\n' "$sent" >&2; log "$rid: smoke test FAILED (the send to Alice)"; return 1; }
  for tries in $(seq 1 12); do
    answer+="$(printf "{command:'receive_messages',timeout:5000}\n" | socat -t 10 - "TCP:127.0.0.1:$port")"
    grep -q 'echo: release smoke' <<<"$answer" && break
  done
  if ! grep -q 'echo: release smoke' <<<"$answer"; then
    printf '%s\n' "$answer" >&2
    log "$rid: smoke test FAILED (no echo from Alice)"
    return 1
  fi
  log "$rid: smoke test passed (sent to Alice, her echo received)"
}

for rid in $RIDS; do
  # SKIP_PUBLISH=1 smoke-tests binaries an earlier run left in $OUT.
  [[ -n "${SKIP_PUBLISH:-}" ]] || publish "$rid"
  smoke "$rid"
done

log "packing the .NET tool"
dotnet pack src/SignalSharp.Cli -c Release -o "$OUT/tool" >&2
log "done: $(cd "$OUT" && ls -1 ./*.tar.gz tool/*.nupkg | tr '\n' ' ')"
