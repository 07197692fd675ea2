#pragma once
// SoundFont unit conversions, computed the way FluidSynth 2.3 computes them. Several of them
// quantise (pitch to whole cents, attenuation to whole centibels); tutti keeps those steps
// because they decide the exact pitch and level of every note, and a null test against
// FluidSynth fails on a tenth of a cent of drift.
namespace tutti::engine::synth {

// Absolute cents (6900 = 440 Hz) to Hz. Non-negative values are truncated to whole cents and
// read from a 1200-entry octave table; negative values use the exact formula.
double cents_to_hz(double cents);

// Filter cutoff in absolute cents to Hz, limited to 1500..13500 cents (about 20 Hz..20 kHz).
double filter_cents_to_hz(double cents);

// Attenuation in centibels to linear gain: 1 for cb <= 0, 0 from 1441 cB, else a table read at
// the truncated whole centibel.
double centibels_to_gain(double centibels);

// Timecents to seconds without range limits (2^(tc/1200)).
double timecents_to_seconds(double timecents);
// Delay and attack: -32768 means zero; otherwise clamped to -12000..5000 (delay) or
// -12000..8000 (attack/release).
double delay_timecents_to_seconds(double timecents);
double attack_timecents_to_seconds(double timecents);
double release_timecents_to_seconds(double timecents);

// The SF2 modulator curves on a 0..127 input, linearly interpolated between table points:
// concave rises slowly then fast (attenuation-like), convex is its mirror.
double concave_curve(double value_0_127);
double convex_curve(double value_0_127);

// Equal-power pan gain for a pan value in 0.1% units (-500 left .. 500 right), from a
// 1002-entry sine table read at the truncated index.
double pan_gain(double pan, bool left_channel);

}  // namespace tutti::engine::synth
