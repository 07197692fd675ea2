#pragma once
// One file, start to finish, inside the graph: read and hash the MIDI file, parse it, score it
// window by window and render each window's voice groups in parallel (the next window is scored
// while this one renders), check the audio, and stream it to the file's ClipTarget.
#include <atomic>
#include <cstddef>

#include "datasets/input_list.h"
#include "engine/render/song_renderer.h"
#include "engine/synth/prepared_bank.h"
#include "graph/output_stage.h"
#include "kernels/kernel_set.h"

namespace tutti::graph {

struct FileRenderSettings {
  const engine::synth::PreparedBank* bank = nullptr;
  const kernels::KernelSet* kernels = nullptr;
  engine::render::RenderOptions render;
};

// Fills result.record (status, error, statistics) and result.clip; never throws. A render
// that produces NaN or infinity, or silence although the song plays notes, is an error.
void render_file(const FileRenderSettings& settings, const datasets::InputFile& input,
                 OutputStage& stage, FileResult& result);

}  // namespace tutti::graph
