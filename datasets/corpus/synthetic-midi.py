#!/usr/bin/env python3
"""Writes COUNT small General MIDI songs (or one long one) with a fixed seed, for throughput
and memory measurements at dataset scale: a melody, chords, a bass line and drums on random GM
programs, about SECONDS long each. Needs only the Python standard library.

usage: synthetic-midi.py OUTDIR COUNT SECONDS [SEED]
   e.g. synthetic-midi.py /tmp/small 3000 6        # 3,000 files of ~6 s in 30 folders
        synthetic-midi.py /tmp/long 1 1800          # one 30-minute file
"""
import os
import random
import struct
import sys

TICKS = 480  # per quarter note


def vlq(value):
    out = [value & 0x7F]
    value >>= 7
    while value:
        out.append(0x80 | (value & 0x7F))
        value >>= 7
    return bytes(reversed(out))


def track(events):
    """events: (tick, bytes) in any order -> an MTrk chunk."""
    data, now = bytearray(), 0
    for tick, message in sorted(events, key=lambda e: (e[0], e[1][0] & 0xF0 != 0x80)):
        data += vlq(tick - now) + message
        now = tick
    data += vlq(0) + b"\xff\x2f\x00"
    return b"MTrk" + struct.pack(">I", len(data)) + bytes(data)


def song(rng, seconds):
    tempo_bpm = rng.choice([90, 100, 110, 120, 132, 140])
    beats = max(4, int(seconds * tempo_bpm / 60))
    key = rng.randrange(48, 60)
    scale = [0, 2, 4, 5, 7, 9, 11]
    tracks = [track([(0, b"\xff\x51\x03" + (60000000 // tempo_bpm).to_bytes(3, "big"))])]
    parts = [(0, rng.randrange(0, 8), 12, 0.5), (1, rng.randrange(40, 56), 0, 2.0),
             (2, rng.randrange(32, 40), -12, 1.0)]
    for channel, program, octave, length in parts:
        events = [(0, bytes([0xC0 | channel, program])), (0, bytes([0xB0 | channel, 7, 100]))]
        beat = 0.0
        while beat < beats:
            pitch = key + octave + scale[rng.randrange(7)]
            start, end = int(beat * TICKS), int((beat + length * 0.9) * TICKS)
            notes = [pitch] if channel != 1 else [pitch, pitch + 4, pitch + 7]
            for note in notes:
                events.append((start, bytes([0x90 | channel, note, rng.randrange(60, 110)])))
                events.append((end, bytes([0x80 | channel, note, 64])))
            beat += length
        tracks.append(track(events))
    drums = []
    for step in range(beats * 2):
        tick = step * TICKS // 2
        for note, every in ((36, 4), (38, 4), (42, 1)):
            if step % every == (2 if note == 38 else 0):
                drums += [(tick, bytes([0x99, note, 100])), (tick + TICKS // 4, bytes([0x89, note, 64]))]
    tracks.append(track(drums))
    header = b"MThd" + struct.pack(">IHHH", 6, 1, len(tracks), TICKS)
    return header + b"".join(tracks)


def main():
    outdir, count, seconds = sys.argv[1], int(sys.argv[2]), float(sys.argv[3])
    rng = random.Random(int(sys.argv[4]) if len(sys.argv) > 4 else 1)
    for i in range(count):
        folder = os.path.join(outdir, "set-%02d" % (i // 100)) if count > 100 else outdir
        os.makedirs(folder, exist_ok=True)
        with open(os.path.join(folder, "song-%05d.mid" % i), "wb") as f:
            f.write(song(rng, seconds * rng.uniform(0.6, 1.4)))


if __name__ == "__main__":
    main()
