#pragma once
// A batch of MIDI files through one bank, as a oneTBB flow graph:
//
//   source ─► limiter ─► render (parallel files; inside each, the voice groups of a window in
//   parallel and the next window scored meanwhile) ─► sequencer (input order) ─► deliver
//   (serial: manifest, shard) ─► limiter.decrementer()
//
// The limiter bounds the files in flight, so memory is bank + files in flight × (window +
// live voices [+ spooled clip, HDF5]) whatever the batch size. Audio never depends on the
// thread count: every file's windows are mixed in a fixed group order. Cancellation (Ctrl-C,
// SIGTERM) stops the source and the files in flight; what finished stays recorded.
#include <cstddef>
#include <functional>
#include <string>
#include <vector>

#include "datasets/input_list.h"
#include "graph/file_render.h"
#include "graph/output_stage.h"
#include "graph/progress.h"

namespace tutti::graph {

struct BatchOptions {
  FileRenderSettings render;
  int threads = 0;               // 0: every core
  std::size_t files_in_flight = 0;  // 0: a few per thread
};

struct BatchSummary {
  std::size_t files = 0;    // delivered this run
  std::size_t failed = 0;
  std::size_t skipped = 0;  // done by an earlier run (--resume)
  double audio_seconds = 0.0;
  double wall_seconds = 0.0;
  bool cancelled = false;
  std::vector<std::string> stage_errors;  // outputs that could not be finished (manifest, shard)
  double real_time_factor() const { return wall_seconds > 0 ? audio_seconds / wall_seconds : 0.0; }
};

// Called serially, in input order, for each delivered file (failed ones included).
using FileCallback = std::function<void(const datasets::ManifestRecord&)>;

BatchSummary render_batch(const std::vector<datasets::InputFile>& inputs, OutputStage& stage,
                          const BatchOptions& options, Progress* progress, const FileCallback& on_file);

}  // namespace tutti::graph
