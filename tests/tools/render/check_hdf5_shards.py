#!/usr/bin/env python3
"""Reads tutti's HDF5 shards the way an ML user would (h5py) and checks them against the WAV
renders of the same files: layout, attributes, clip table, MIDI hashes and every sample.

usage: check_hdf5_shards.py SHARD_DIR WAV_DIR MIDI_ROOT SOUNDFONT EXPECTED_CLIPS
"""
import glob
import hashlib
import json
import os
import struct
import sys

import h5py
import numpy as np


def read_wav(path):
    """A WAV file's samples as (frames, channels), for the PCM and float formats tutti writes."""
    with open(path, "rb") as f:
        data = f.read()
    assert data[:4] == b"RIFF" and data[8:12] == b"WAVE", path
    at, fmt, samples = 12, None, None
    while at + 8 <= len(data):
        chunk, size = data[at:at + 4], struct.unpack("<I", data[at + 4:at + 8])[0]
        body = data[at + 8:at + 8 + size]
        if chunk == b"fmt ":
            tag, channels, rate, _, _, bits = struct.unpack("<HHIIHH", body[:16])
            if tag == 0xFFFE:  # WAVE_FORMAT_EXTENSIBLE: the real tag opens the sub-format GUID
                tag = struct.unpack("<H", body[24:26])[0]
            fmt = (tag, channels, bits)
        elif chunk == b"data":
            samples = body
        at += 8 + size + (size & 1)
    tag, channels, bits = fmt
    dtype = {(3, 32): "<f4", (1, 16): "<i2"}[(tag, bits)]
    return np.frombuffer(samples, dtype=dtype).reshape(-1, channels)


def main():
    shard_dir, wav_dir, midi_root, soundfont, expected = sys.argv[1:6]
    shards = sorted(glob.glob(os.path.join(shard_dir, "shard-*.h5")))
    assert shards, "no shards in " + shard_dir
    with open(soundfont, "rb") as f:
        soundfont_sha256 = hashlib.sha256(f.read()).hexdigest()
    clips = 0
    for path in shards:
        with h5py.File(path, "r") as shard:
            audio = shard["audio"]
            assert audio.ndim == 2 and audio.shape[1] == 2, audio.shape
            assert audio.chunks is not None, "audio must be chunked"
            assert audio.dtype == np.float32, audio.dtype
            for name in ("sample_rate", "soundfont", "soundfont_sha256", "tutti_version", "kernel_target", "config"):
                assert name in shard.attrs, "missing attribute " + name
            assert shard.attrs["soundfont_sha256"] == soundfont_sha256
            assert int(shard.attrs["sample_rate"]) == json.loads(shard.attrs["config"])["sample_rate"]
            offsets, frames = shard["clips/offset"][:], shard["clips/frames"][:]
            sources = shard["clips/source"].asstr()[:]
            hashes = shard["clips/sha256"].asstr()[:]
            assert len(offsets) == len(frames) == len(sources) == len(hashes)
            assert offsets.sum() >= 0 and (frames.sum() == audio.shape[0]), "clips must tile the audio"
            for offset, count, source, digest in zip(offsets, frames, sources, hashes):
                with open(os.path.join(midi_root, source), "rb") as f:
                    assert hashlib.sha256(f.read()).hexdigest() == digest, source
                clip = audio[offset:offset + count]
                wav = read_wav(os.path.join(wav_dir, os.path.splitext(source)[0] + ".wav"))
                assert clip.shape == wav.shape, (source, clip.shape, wav.shape)
                assert np.array_equal(clip, wav), source + ": HDF5 clip differs from the WAV render"
                clips += 1
    assert clips == int(expected), "%d clips, expected %s" % (clips, expected)
    print("%d clips match their WAV renders in %d shards" % (clips, len(shards)))


if __name__ == "__main__":
    main()
