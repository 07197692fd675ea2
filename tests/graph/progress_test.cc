#include "graph/progress.h"

#include <gtest/gtest.h>

namespace tutti::graph {
namespace {

TEST(Progress, DescribesFilesAudioSpeedEtaAndFailures) {
  ProgressSnapshot snapshot;
  snapshot.total = 120;
  snapshot.done = 30;
  snapshot.failed = 2;
  snapshot.audio_seconds = 1800.0;  // half an hour
  snapshot.wall_seconds = 20.0;
  const std::string line = describe(snapshot);
  EXPECT_NE(line.find("30/120 files"), std::string::npos) << line;
  EXPECT_NE(line.find("0.50 h audio"), std::string::npos) << line;
  EXPECT_NE(line.find("RTF 90.0"), std::string::npos) << line;
  EXPECT_NE(line.find("ETA 1m00s"), std::string::npos) << line;  // 90 files left at 1.5 files/s
  EXPECT_NE(line.find("2 failed"), std::string::npos) << line;
}

TEST(Progress, CountsFromManyThreadsAndQuietDrawsNothing) {
  std::FILE* sink = std::tmpfile();
  ASSERT_NE(sink, nullptr);
  {
    Progress progress(4, ProgressStyle::quiet, sink);
    progress.file_done(true, 10.0);
    progress.file_done(false, 0.0);
    const ProgressSnapshot snapshot = progress.snapshot();
    EXPECT_EQ(snapshot.done, 2u);
    EXPECT_EQ(snapshot.failed, 1u);
    EXPECT_DOUBLE_EQ(snapshot.audio_seconds, 10.0);
    progress.stop();
  }
  EXPECT_EQ(std::ftell(sink), 0L);
  std::fclose(sink);
}

}  // namespace
}  // namespace tutti::graph
