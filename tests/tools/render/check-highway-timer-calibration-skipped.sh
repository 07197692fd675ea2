#!/bin/sh
# Checks that libhwy's load-time timer calibration calls the tutti executable's own, instant
# hwy::platform::TimerResolution (tools/highway_timer_calibration.cc) rather than its own, which
# samples the cycle counter for milliseconds: the dynamic loader's bindings must send libhwy's
# reference to the executable. Usage: TUTTI_BINARY
binary=$1
symbol=_ZN3hwy8platform15TimerResolutionEv
bindings=$(LD_DEBUG=bindings "$binary" --help 2>&1 >/dev/null) || exit 1
if ! printf '%s\n' "$bindings" | grep -q "binding file [^ ]*libhwy[^ ]* .* to $binary .*\`$symbol'"; then
  echo "libhwy's $symbol is not bound to $binary; the loader's bindings for it:" >&2
  printf '%s\n' "$bindings" | grep "$symbol" >&2
  exit 1
fi
echo "libhwy's timer calibration calls tutti's TimerResolution"
