#!/bin/sh
# Checks that the window renderer's sample prefetch is in the compiled kernels library: GCC once
# deleted it without a word (a function whose only effect was __builtin_prefetch counted as pure,
# and unused calls to pure functions go), so every render ran without it. Usage: OBJDUMP LIBRARY
objdump=$1
library=$2
symbol=_ZN5tutti7kernels25prefetch_oscillator_lanesERKNS0_10SampleDataERKNS0_15OscillatorLanesE
listing=$("$objdump" -d --no-show-raw-insn --disassemble="$symbol" "$library") || exit 1
if ! printf '%s\n' "$listing" | grep -q "<$symbol>:"; then
  echo "prefetch_oscillator_lanes not found in $library" >&2
  exit 1
fi
if ! printf '%s\n' "$listing" | grep -qE '^ +[0-9a-f]+:\s+prefetch(t0|t1|t2|nta|w) '; then
  echo "prefetch_oscillator_lanes in $library holds no prefetch instruction:" >&2
  printf '%s\n' "$listing" >&2
  exit 1
fi
echo "prefetch_oscillator_lanes prefetches"
