// The flow graph in process, with a recording output stage: files are delivered in input order
// whatever order they finish in, the number of files holding audio never exceeds the limit
// (the memory bound), every file's audio is the same at any thread count, and cancellation
// stops the source.
#include "graph/batch_render.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <mutex>

#include "engine/sf2/bank.h"
#include "graph/cancellation.h"
#include "kernels/kernel_set.h"
#include "tests/support/hostile_inputs.h"
#include "tests/tools/render/test_corpus.h"

namespace tutti::graph {
namespace {

namespace fs = std::filesystem;

// Keeps each clip's audio as a checksum and counts the clips alive at once.
class RecordingStage final : public OutputStage {
 public:
  explicit RecordingStage(std::size_t inputs) {
    for (std::size_t i = 0; i < inputs; ++i) to_render_.push_back(i);
    checksums_.resize(inputs);
  }
  const std::vector<std::size_t>& to_render() const override { return to_render_; }
  std::size_t skipped() const override { return 0; }
  Expected<std::unique_ptr<ClipTarget>> open(std::size_t input_index, datasets::ManifestRecord&) override {
    return std::unique_ptr<ClipTarget>(new Clip(*this, input_index));
  }
  Expected<void> complete(ClipTarget&, datasets::ManifestRecord&) override { return {}; }
  void deliver(FileResult& result) override {
    delivered.push_back(result.input_index);
    result.clip.reset();
  }
  Expected<void> finish(bool) override { return {}; }

  std::vector<std::size_t> delivered;
  std::atomic<int> alive{0}, most_alive{0};
  std::vector<double> checksums_;

 private:
  class Clip final : public ClipTarget {
   public:
    Clip(RecordingStage& stage, std::size_t index) : stage_(stage), index_(index) {
      const int now = ++stage_.alive;
      int most = stage_.most_alive.load();
      while (now > most && !stage_.most_alive.compare_exchange_weak(most, now)) {
      }
    }
    ~Clip() override { --stage_.alive; }
    Expected<void> write(const float* left, const float* right, std::size_t frames) override {
      // Position-weighted, so a reordering of windows changes it too.
      for (std::size_t i = 0; i < frames; ++i) {
        stage_.checksums_[index_] += (left[i] - 0.5 * right[i]) * static_cast<double>((position_++ % 97) + 1);
      }
      return {};
    }

   private:
    RecordingStage& stage_;
    std::size_t index_;
    std::uint64_t position_ = 0;
  };
  std::vector<std::size_t> to_render_;
};

class BatchRender : public ::testing::Test {
 protected:
  void SetUp() override {
    root_ = fs::path(::testing::TempDir()) / ("tutti_graph_" + std::to_string(getpid()));
    fs::remove_all(root_);
    corpus_ = test::write_test_corpus(root_, 12, 3.0);
    auto bank = engine::sf2::load_bank(corpus_.bank.string());
    ASSERT_TRUE(bank) << bank.error().message();
    bank_ = std::make_unique<engine::synth::PreparedBank>(*bank);
    auto inputs = datasets::collect_inputs({corpus_.root.string()});
    ASSERT_TRUE(inputs);
    inputs_ = *inputs;
    reset_cancellation();
  }
  void TearDown() override {
    reset_cancellation();
    fs::remove_all(root_);
  }

  BatchOptions options(int threads, std::size_t in_flight) const {
    BatchOptions result;
    result.render.bank = bank_.get();
    result.render.kernels = kernels::kernel_set(kernels::Backend::scalar);
    result.threads = threads;
    result.files_in_flight = in_flight;
    return result;
  }

  fs::path root_;
  test::TestCorpus corpus_;
  std::unique_ptr<engine::synth::PreparedBank> bank_;
  std::vector<datasets::InputFile> inputs_;
};

TEST_F(BatchRender, DeliversInInputOrderWithBoundedFilesInFlight) {
  RecordingStage stage(inputs_.size());
  std::vector<std::string> reported;
  const BatchSummary summary = render_batch(inputs_, stage, options(2, 3), nullptr,
                                            [&](const datasets::ManifestRecord& record) {
                                              EXPECT_TRUE(record.ok) << record.error;
                                              reported.push_back(record.source);
                                            });
  EXPECT_EQ(summary.files, inputs_.size());
  EXPECT_EQ(summary.failed, 0u);
  ASSERT_EQ(stage.delivered.size(), inputs_.size());
  for (std::size_t i = 0; i < inputs_.size(); ++i) {
    EXPECT_EQ(stage.delivered[i], i);
    EXPECT_EQ(reported[i], inputs_[i].relative);
  }
  EXPECT_LE(stage.most_alive.load(), 3);
  EXPECT_EQ(stage.alive.load(), 0);
}

TEST_F(BatchRender, AudioDoesNotDependOnThreadsOrFilesInFlight) {
  RecordingStage one(inputs_.size()), two(inputs_.size());
  render_batch(inputs_, one, options(1, 1), nullptr, {});
  render_batch(inputs_, two, options(2, 5), nullptr, {});
  for (std::size_t i = 0; i < inputs_.size(); ++i) {
    EXPECT_NE(one.checksums_[i], 0.0) << inputs_[i].relative;
    EXPECT_EQ(one.checksums_[i], two.checksums_[i]) << inputs_[i].relative;  // exact: same bits
  }
}

TEST_F(BatchRender, CancellationStopsTheSourceAndReportsIt) {
  RecordingStage stage(inputs_.size());
  std::size_t seen = 0;
  const BatchSummary summary = render_batch(inputs_, stage, options(1, 1), nullptr, [&](const auto&) {
    if (++seen == 2) request_cancellation();
  });
  EXPECT_TRUE(summary.cancelled);
  EXPECT_LT(summary.files, inputs_.size());
  EXPECT_GE(summary.files, 2u);
}

}  // namespace
}  // namespace tutti::graph
