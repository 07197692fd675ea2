#pragma once
// Registration of each kernel's benchmarks (one file per kernel).
namespace tutti::bench {
void register_oscillator_benchmarks();
void register_biquad_benchmarks();
void register_stereo_mix_benchmarks();
void register_pcm_conversion_benchmarks();
void register_sample_bounds_benchmarks();
void register_signal_peak_benchmarks();
void register_control_lanes_benchmarks();
}  // namespace tutti::bench
