#include "graph/progress.h"

#include <unistd.h>

#include <cmath>

namespace tutti::graph {

namespace {

std::string duration_text(double seconds) {
  if (!std::isfinite(seconds) || seconds < 0) return "?";
  const auto whole = static_cast<long long>(seconds + 0.5);
  char text[32];
  if (whole >= 3600) std::snprintf(text, sizeof text, "%lldh%02lldm", whole / 3600, whole / 60 % 60);
  else if (whole >= 60) std::snprintf(text, sizeof text, "%lldm%02llds", whole / 60, whole % 60);
  else std::snprintf(text, sizeof text, "%llds", whole);
  return text;
}

}  // namespace

ProgressStyle progress_style_for(std::FILE* stream, bool quiet) {
  if (quiet) return ProgressStyle::quiet;
  return ::isatty(::fileno(stream)) ? ProgressStyle::bar : ProgressStyle::lines;
}

std::string describe(const ProgressSnapshot& s) {
  char text[256];
  const double eta = s.done > 0 ? s.wall_seconds * static_cast<double>(s.total - s.done) / static_cast<double>(s.done)
                                : -1.0;
  std::snprintf(text, sizeof text, "%zu/%zu files  %.2f h audio  RTF %.1f  ETA %s  %zu failed", s.done, s.total,
                s.audio_seconds / 3600.0, s.real_time_factor(), duration_text(eta).c_str(), s.failed);
  return text;
}

Progress::Progress(std::size_t total, ProgressStyle style, std::FILE* stream, double line_interval_seconds)
    : total_(total),
      style_(style),
      stream_(stream),
      interval_(style == ProgressStyle::bar ? 0.2 : line_interval_seconds),
      started_(std::chrono::steady_clock::now()) {
  if (style_ != ProgressStyle::quiet) thread_ = std::thread([this] { run(); });
}

Progress::~Progress() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void Progress::file_done(bool ok, double audio_seconds) {
  if (!ok) failed_.fetch_add(1);
  audio_milliseconds_.fetch_add(static_cast<std::uint64_t>(audio_seconds * 1000.0));
  done_.fetch_add(1);
}

ProgressSnapshot Progress::snapshot() const {
  ProgressSnapshot s;
  s.total = total_;
  s.done = done_.load();
  s.failed = failed_.load();
  s.audio_seconds = static_cast<double>(audio_milliseconds_.load()) / 1000.0;
  s.wall_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started_).count();
  return s;
}

void Progress::run() {
  std::unique_lock lock(mutex_);
  while (!wake_.wait_for(lock, interval_, [this] { return stopping_; })) draw(false);
}

void Progress::stop() {
  {
    std::lock_guard lock(mutex_);
    if (stopping_) return;
    stopping_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
  if (style_ == ProgressStyle::bar) draw(true);
}

void Progress::draw(bool final_draw) {
  const ProgressSnapshot s = snapshot();
  const std::string line = describe(s);
  if (style_ == ProgressStyle::lines) {
    std::fprintf(stream_, "progress: %s\n", line.c_str());
  } else {
    constexpr int kWidth = 24;
    const int filled = s.total > 0 ? static_cast<int>(kWidth * s.done / s.total) : kWidth;
    std::string bar(static_cast<std::size_t>(filled), '#');
    bar.append(static_cast<std::size_t>(kWidth - filled), '.');
    // \r and erase-to-end-of-line redraw in place.
    std::fprintf(stream_, "\r[%s] %s\x1b[K%s", bar.c_str(), line.c_str(), final_draw ? "\n" : "");
  }
  std::fflush(stream_);
}

}  // namespace tutti::graph
