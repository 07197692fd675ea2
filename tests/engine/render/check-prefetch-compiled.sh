#!/bin/sh
# Checks that the window renderer's prefetches are in its compiled library: GCC once deleted a
# sample prefetch without a word (a function whose only effect was __builtin_prefetch counted as
# pure, and unused calls to pure functions go), so every render ran without it.
# WindowRenderer::collect_block asks for three lines: the control record two blocks ahead, and
# the first sample points of the block it gathers, 16-bit words and sm24 low bytes.
# Usage: OBJDUMP LIBRARY
objdump=$1
library=$2
symbol=_ZN5tutti6engine6render14WindowRenderer13collect_blockERKNS2_5GroupEjPKfRNS2_10BlockLanesE
listing=$("$objdump" -d --no-show-raw-insn --disassemble="$symbol" "$library") || exit 1
if ! printf '%s\n' "$listing" | grep -q "<$symbol>:"; then
  echo "WindowRenderer::collect_block not found in $library" >&2
  exit 1
fi
prefetches=$(printf '%s\n' "$listing" | grep -cE '^ +[0-9a-f]+:\s+prefetch(t0|t1|t2|nta|w) ')
if [ "$prefetches" -lt 3 ]; then
  echo "WindowRenderer::collect_block in $library holds $prefetches prefetch instructions, not 3:" >&2
  printf '%s\n' "$listing" >&2
  exit 1
fi
echo "WindowRenderer::collect_block prefetches ($prefetches instructions)"
