#pragma once
// Reads the pdta list (the "hydra", SoundFont 2.04 section 7): nine record arrays tied together
// by indices. Every index is checked before use; structural defects (sizes, non-monotonic or
// out-of-range indices) are errors naming the sub-chunk and the record's byte offset, while the
// defects the spec or FluidSynth 2.3.1 let a player work around become warnings.
#include <cstddef>
#include <string>
#include <vector>

#include "engine/common/expected.h"
#include "engine/sf2/bank.h"
#include "engine/sf2/riff.h"

namespace tutti::engine::sf2::detail {

struct Hydra {
  std::vector<Preset> presets;
  std::vector<Instrument> instruments;
  std::vector<SampleHeader> samples;
};

// `pdta` is the LIST pdta chunk; `sample_points` the length of smpl in 16-bit points, against
// which sample headers are checked. Errors leave Error::file empty for the caller to fill.
Expected<Hydra> read_hydra(const riff::Chunk& pdta, std::size_t sample_points, std::vector<std::string>& warnings);

}  // namespace tutti::engine::sf2::detail
