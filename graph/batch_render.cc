#include "graph/batch_render.h"

#include <oneapi/tbb/flow_graph.h>
#include <oneapi/tbb/global_control.h>
#include <oneapi/tbb/info.h>

#include <algorithm>
#include <chrono>
#include <memory>
#include <optional>

#include "graph/cancellation.h"

namespace tutti::graph {

namespace flow = tbb::flow;

namespace {

using Clock = std::chrono::steady_clock;
using Ticket = std::size_t;  // position in the run's list
using ResultPtr = std::shared_ptr<FileResult>;

struct SourceBody {
  std::size_t count;
  std::shared_ptr<std::size_t> next;
  Ticket operator()(tbb::flow_control& control) {
    if (*next >= count || cancellation_requested()) {
      control.stop();
      return 0;
    }
    return (*next)++;
  }
};

struct RenderBody {
  const std::vector<datasets::InputFile>* inputs;
  const std::vector<std::size_t>* to_render;
  OutputStage* stage;
  const FileRenderSettings* settings;
  Progress* progress;
  ResultPtr operator()(Ticket ticket) const {
    auto result = std::make_shared<FileResult>();
    result->sequence = ticket;
    result->input_index = (*to_render)[ticket];
    if (cancellation_requested()) {
      result->cancelled = true;
      result->record.source = (*inputs)[result->input_index].relative;
      return result;
    }
    render_file(*settings, (*inputs)[result->input_index], *stage, *result);
    return result;
  }
};

struct SequenceOf {
  std::size_t operator()(const ResultPtr& result) const { return result->sequence; }
};

struct DeliverBody {
  OutputStage* stage;
  BatchSummary* summary;
  Progress* progress;
  const FileCallback* on_file;
  flow::continue_msg operator()(const ResultPtr& result) const {
    stage->deliver(*result);
    if (!result->cancelled) {
      ++summary->files;
      if (result->record.ok) summary->audio_seconds += result->record.duration_seconds;
      else ++summary->failed;
      if (progress != nullptr) progress->file_done(result->record.ok, result->record.duration_seconds);
      if (*on_file) (*on_file)(result->record);
    }
    return {};
  }
};

}  // namespace

BatchSummary render_batch(const std::vector<datasets::InputFile>& inputs, OutputStage& stage,
                          const BatchOptions& options, Progress* progress, const FileCallback& on_file) {
  const auto started = Clock::now();
  BatchSummary summary;
  summary.skipped = stage.skipped();
  const int threads = options.threads > 0 ? options.threads : tbb::info::default_concurrency();
  tbb::global_control parallelism(tbb::global_control::max_allowed_parallelism, static_cast<std::size_t>(threads));
  // Enough files to keep every thread busy while others wait in the sequencer behind a long
  // one; each costs a window of audio and its live voices (HDF5: plus its spool).
  const std::size_t in_flight =
      options.files_in_flight > 0 ? options.files_in_flight : static_cast<std::size_t>(4 * threads + 2);
  const std::vector<std::size_t>& to_render = stage.to_render();

  flow::graph g;
  flow::input_node<Ticket> source(g, SourceBody{to_render.size(), std::make_shared<std::size_t>(0)});
  flow::limiter_node<Ticket> limiter(g, in_flight);
  flow::function_node<Ticket, ResultPtr> render(g, flow::unlimited,
                                                RenderBody{&inputs, &to_render, &stage, &options.render, progress});
  flow::sequencer_node<ResultPtr> sequencer(g, SequenceOf{});
  flow::function_node<ResultPtr, flow::continue_msg> deliver(g, flow::serial,
                                                             DeliverBody{&stage, &summary, progress, &on_file});

  flow::make_edge(source, limiter);
  flow::make_edge(limiter, render);
  flow::make_edge(render, sequencer);
  flow::make_edge(sequencer, deliver);
  // A slot frees only once its file is delivered (manifest line written), for every stage. Freed
  // at the end of rendering instead, a lone thread runs render after render as bypassed tasks
  // while the queued deliveries wait, so the manifest caught up only at the end of the batch and
  // a kill or Ctrl-C mid-batch found finished outputs unrecorded. A long file does not stall the
  // others for long: it renders its voice groups on every thread (file_render.cc).
  flow::make_edge(deliver, limiter.decrementer());
  source.activate();
  g.wait_for_all();

  summary.cancelled = cancellation_requested();
  auto finished = stage.finish(summary.cancelled);
  if (!finished) summary.stage_errors.push_back(finished.error().message());
  summary.wall_seconds = std::chrono::duration<double>(Clock::now() - started).count();
  return summary;
}

}  // namespace tutti::graph
