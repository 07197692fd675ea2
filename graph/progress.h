#pragma once
// Progress of a batch: on a terminal a bar redrawn a few times a second (files done/total,
// audio hours, real-time factor, ETA, failures); otherwise a plain line every `interval`
// seconds, for logs; nothing with --quiet. Counters are updated from any thread; a small
// thread of its own draws, so a long file does not freeze the display.
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <cstdio>
#include <mutex>
#include <string>
#include <thread>

namespace tutti::graph {

enum class ProgressStyle { bar, lines, quiet };

// The bar on a terminal, lines otherwise, unless quiet.
ProgressStyle progress_style_for(std::FILE* stream, bool quiet);

struct ProgressSnapshot {
  std::size_t total = 0;
  std::size_t done = 0;
  std::size_t failed = 0;
  double audio_seconds = 0.0;
  double wall_seconds = 0.0;
  double real_time_factor() const { return wall_seconds > 0 ? audio_seconds / wall_seconds : 0.0; }
};

// One line: "37/120 files  0.52 h audio  RTF 83.1  ETA 1m05s  2 failed".
std::string describe(const ProgressSnapshot& snapshot);

class Progress {
 public:
  Progress(std::size_t total, ProgressStyle style, std::FILE* stream, double line_interval_seconds = 10.0);
  ~Progress();  // stops the drawing thread (call stop() to draw the last state first)

  void file_done(bool ok, double audio_seconds);
  ProgressSnapshot snapshot() const;
  void stop();

 private:
  void run();
  void draw(bool final_draw);

  std::size_t total_;
  ProgressStyle style_;
  std::FILE* stream_;
  std::chrono::duration<double> interval_;
  std::chrono::steady_clock::time_point started_;
  std::atomic<std::size_t> done_{0}, failed_{0};
  std::atomic<std::uint64_t> audio_milliseconds_{0};
  std::mutex mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace tutti::graph
