#include "engine/sf2/sample_rules.h"

#include <cstdio>
#include <utility>

namespace tutti::engine::sf2::detail {

namespace {

constexpr std::uint16_t kChannelBits = kMonoSample | kRightSample | kLeftSample;
constexpr std::uint16_t kKnownBits = kChannelBits | kLinkedSample | kRomSample;
// Section 7.10: "a value of zero is illegal ... the nearest practical value should be used";
// the same paragraph names 400 Hz as the low end of what is practical.
constexpr std::uint32_t kLowestPracticalRate = 400;

std::string hex16(std::uint16_t value) {
  char text[8];
  std::snprintf(text, sizeof text, "0x%04x", value);
  return text;
}

std::string quoted(const SampleHeader& header) { return "sample '" + header.name + "'"; }

// FluidSynth's loop repair (fluid_sample_sanitize_loop): swap reversed points, then move a point
// that lies before the sample start or past the whole smpl chunk to the sample start/end. Loops
// that end past the sample but inside smpl are kept, as FluidSynth keeps them (the 46 guard
// points usually make them harmless). Returns what was changed, or an empty string.
std::string repair_loop(SampleHeader& header, std::size_t sample_points) {
  std::string changes;
  auto note = [&changes](const std::string& text) { changes += (changes.empty() ? "" : "; ") + text; };
  if (header.loop_start > header.loop_end) {
    note("loop " + std::to_string(header.loop_start) + "-" + std::to_string(header.loop_end) + " reversed, swapped");
    std::swap(header.loop_start, header.loop_end);
  }
  if (header.loop_start < header.start || header.loop_start > sample_points) {
    note("loop start " + std::to_string(header.loop_start) + " moved to sample start " + std::to_string(header.start));
    header.loop_start = header.start;
  }
  if (header.loop_end < header.start || header.loop_end > sample_points) {
    note("loop end " + std::to_string(header.loop_end) + " moved to sample end " + std::to_string(header.end));
    header.loop_end = header.end;
  }
  return changes;
}

}  // namespace

std::optional<std::string> check_sample(SampleHeader& header, std::size_t sample_points,
                                        std::size_t sample_count, std::vector<std::string>& warnings) {
  // ROM samples point into a wavetable ROM we do not have; their offsets mean nothing in smpl.
  if ((header.sample_type & kRomSample) != 0) {
    return "it is a ROM sample (sample_type " + hex16(header.sample_type) + "); tutti cannot play ROM data";
  }
  if ((header.sample_type & ~kKnownBits) != 0) {
    return "its sample_type " + hex16(header.sample_type) + " has unknown flags (compressed data?)";
  }
  if (header.start >= header.end) {
    return "it is empty (start " + std::to_string(header.start) + ", end " + std::to_string(header.end) + ")";
  }
  if (header.end > sample_points) {
    return "its end " + std::to_string(header.end) + " is past the smpl data (" + std::to_string(sample_points) +
           " points)";
  }
  // FluidSynth 2.3.1 refuses one-point samples as well (it stores the last point, not one past it).
  if (header.end - header.start < 2) return "it has a single point";

  std::string repairs;
  auto note = [&repairs](const std::string& text) { repairs += (repairs.empty() ? "" : "; ") + text; };
  if ((header.sample_type & kChannelBits) == 0) {
    note("no mono/left/right flag in sample_type " + hex16(header.sample_type) + ", read as mono");
    header.sample_type = kMonoSample;  // FluidSynth does the same
  }
  if ((header.sample_type & kMonoSample) == 0 && header.sample_link >= sample_count) {
    note("stereo link " + std::to_string(header.sample_link) + " is out of range (" + std::to_string(sample_count) +
         " samples), read as mono");
    header.sample_type = kMonoSample;
    header.sample_link = 0;
  }
  if (header.sample_rate == 0) {
    note("sample rate 0 is illegal, read as " + std::to_string(kLowestPracticalRate));
    header.sample_rate = kLowestPracticalRate;
  }
  if (header.original_pitch > 127 && header.original_pitch != 255) {
    note("original pitch " + std::to_string(header.original_pitch) + " is illegal, read as 60");
  }
  std::string loop_changes = repair_loop(header, sample_points);
  if (!loop_changes.empty()) note(loop_changes);
  if (!repairs.empty()) warnings.push_back(quoted(header) + ": " + repairs);
  return std::nullopt;
}

}  // namespace tutti::engine::sf2::detail
