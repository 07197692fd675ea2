#include "graph/hdf5_shard_stage.h"

#include <filesystem>
#include <set>

#include "datasets/atomic_file.h"
#include "datasets/clip_spool.h"

namespace tutti::graph {

namespace fs = std::filesystem;

namespace {

class SpoolClip final : public ClipTarget {
 public:
  SpoolClip(const std::string& folder, std::size_t memory_bytes) : spool_(folder, memory_bytes) {}
  Expected<void> write(const float* left, const float* right, std::size_t frames) override {
    return spool_.write(left, right, frames);
  }
  datasets::ClipSpool& spool() { return spool_; }

 private:
  datasets::ClipSpool spool_;
};

}  // namespace

Expected<std::unique_ptr<Hdf5ShardStage>> Hdf5ShardStage::create(const std::vector<datasets::InputFile>& inputs,
                                                                 const Hdf5StageOptions& options) {
  std::unique_ptr<Hdf5ShardStage> stage(new Hdf5ShardStage(inputs, options));
  auto planned = stage->plan();
  if (!planned) return Unexpected{planned.error()};
  return stage;
}

std::string Hdf5ShardStage::shard_path(int number, const char* extension) const {
  return (fs::path(options_.output) / (datasets::shard_stem(number, shards_.shard_count) + extension)).string();
}

Expected<void> Hdf5ShardStage::plan() {
  std::error_code error;
  fs::create_directories(options_.output, error);
  if (error) return Unexpected{Error{options_.output, "", -1, "cannot create output folder: " + error.message()}};
  shards_ = datasets::plan_shards(inputs_.size(), options_.shard_size, options_.task);
  std::set<std::string> owned_names;
  for (const auto& shard : shards_.owned) owned_names.insert(shard_path(shard.number, ".h5"));
  datasets::remove_stale_temporaries(options_.output,
                                     [&](const std::string& path) { return owned_names.count(path) > 0; });
  for (const auto& shard : shards_.owned) {
    bool done = false;
    if (options_.resume && fs::exists(shard_path(shard.number, ".h5"))) {
      auto records = datasets::read_manifest(shard_path(shard.number, ".jsonl"));
      done = records.has_value();
      for (std::size_t i = shard.inputs.first; done && i < shard.inputs.last; ++i) {
        done = records->count(inputs_[i].relative) > 0;
      }
    }
    if (done) {
      skipped_ += shard.inputs.size();
      continue;
    }
    pending_.push_back(&shard);
    for (std::size_t i = shard.inputs.first; i < shard.inputs.last; ++i) to_render_.push_back(i);
  }
  return {};
}

const datasets::ShardPlan::Shard* Hdf5ShardStage::shard_of(std::size_t input_index) const {
  for (std::size_t p = next_pending_; p < pending_.size(); ++p) {
    if (input_index >= pending_[p]->inputs.first && input_index < pending_[p]->inputs.last) return pending_[p];
  }
  return nullptr;
}

Expected<std::unique_ptr<ClipTarget>> Hdf5ShardStage::open(std::size_t, datasets::ManifestRecord& record) {
  record.has_clipping_count = options_.attributes.sample_format != datasets::SampleFormat::f32;
  return std::unique_ptr<ClipTarget>(new SpoolClip(options_.output, options_.spool_memory_bytes));
}

Expected<void> Hdf5ShardStage::complete(ClipTarget&, datasets::ManifestRecord&) { return {}; }

void Hdf5ShardStage::start_shard(const datasets::ShardPlan::Shard& shard) {
  open_.emplace();
  open_->plan = shard;
  auto writer = datasets::Hdf5ShardWriter::create(shard_path(shard.number, ".h5"), options_.attributes,
                                                  *options_.kernels);
  if (writer) {
    open_->writer = std::move(*writer);
  } else {
    open_->failed = true;
    open_->failure = writer.error();
  }
}

void Hdf5ShardStage::store_clip(FileResult& result) {
  datasets::ManifestRecord& record = result.record;
  record.output = fs::path(shard_path(open_->plan.number, ".h5")).filename().string();
  if (!record.ok) return;
  if (open_->failed) {
    record.ok = false;
    record.error = open_->failure.message();
    return;
  }
  auto& spool = static_cast<SpoolClip&>(*result.clip).spool();
  datasets::Hdf5ShardWriter& writer = *open_->writer;
  writer.begin_clip();
  auto copied = spool.read([&](const float* left, const float* right, std::size_t frames) {
    return writer.append(left, right, frames);
  });
  Expected<std::int64_t> clip = copied ? writer.end_clip(record.source, record.sha256)
                                       : Expected<std::int64_t>(Unexpected{copied.error()});
  if (!clip) {
    record.ok = false;
    record.error = clip.error().message();
    // A half-written clip is cut off again; if even that fails the shard cannot be trusted.
    if (!writer.abandon_clip()) {
      open_->failed = true;
      open_->failure = clip.error();
    }
    return;
  }
  record.clip = *clip;
  record.clipped_samples = writer.clip_clipped_samples();
}

Expected<void> Hdf5ShardStage::close_shard() {
  OpenShard shard = std::move(*open_);
  open_.reset();
  ++next_pending_;
  if (!shard.failed) {
    auto committed = shard.writer->commit();
    if (!committed) {
      shard.failed = true;
      shard.failure = committed.error();
    }
  }
  if (shard.failed) {
    // The records say why; without its .h5 the shard is redone by --resume.
    for (auto& record : shard.records) {
      if (record.ok) {
        record.ok = false;
        record.error = shard.failure.message();
      }
    }
  }
  auto written = datasets::write_manifest(shard_path(shard.plan.number, ".jsonl"), shard.records);
  if (shard.failed) return Unexpected{shard.failure};
  return written;
}

void Hdf5ShardStage::deliver(FileResult& result) {
  if (result.cancelled) return;
  const datasets::ShardPlan::Shard* shard = shard_of(result.input_index);
  if (shard == nullptr) return;  // cannot happen: every rendered input belongs to a pending shard
  // Shards whose inputs never reach deliver (none: every input is delivered, ok or not) would
  // be skipped here; empty shards are written by finish().
  while (!open_ || open_->plan.number != shard->number) {
    if (open_) {
      auto closed = close_shard();
      if (!closed) failures_.push_back(closed.error());
    } else {
      start_shard(*pending_[next_pending_]);
    }
  }
  store_clip(result);
  result.clip.reset();
  open_->records.push_back(result.record);
  if (open_->records.size() == open_->plan.inputs.size()) {
    auto closed = close_shard();
    if (!closed) failures_.push_back(closed.error());
  }
}

Expected<void> Hdf5ShardStage::finish(bool cancelled) {
  if (cancelled) {
    open_.reset();  // its temporary goes with it
    return {};
  }
  // Shards left: only empty ones (fewer inputs than tasks), written so the set is complete.
  while (next_pending_ < pending_.size()) {
    if (!open_) start_shard(*pending_[next_pending_]);
    auto closed = close_shard();
    if (!closed) failures_.push_back(closed.error());
  }
  if (!failures_.empty()) return Unexpected{failures_.front()};
  return {};
}

}  // namespace tutti::graph
