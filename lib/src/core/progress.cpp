#include "sinforge/core/progress.h"

#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <iostream>

#include "sinforge/core/log.h"

namespace sinforge {
namespace {

double steady_seconds() {
  return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

std::string fixed(double value, int decimals) {
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, "%.*f", decimals, value);
  return buffer;
}

}  // namespace

ProgressMode progress_mode_for_stderr() {
  return ::isatty(STDERR_FILENO) != 0 ? ProgressMode::kTerminal : ProgressMode::kLog;
}

std::string format_duration(double seconds) {
  const long s = std::lround(std::max(0.0, seconds));
  const auto two = [](long v) { return (v < 10 ? "0" : "") + std::to_string(v); };
  if (s < 60) return std::to_string(s) + "s";
  if (s < 3600) return std::to_string(s / 60) + "m" + two(s % 60) + "s";
  return std::to_string(s / 3600) + "h" + two(s / 60 % 60) + "m" + two(s % 60) + "s";
}

std::string format_rate(double per_second) {
  if (!std::isfinite(per_second)) return "?";
  const double magnitude = std::abs(per_second);
  const int decimals =
      magnitude > 0 ? std::clamp(1 - static_cast<int>(std::floor(std::log10(magnitude))), 1, 9) : 1;
  return fixed(per_second, decimals);
}

std::string progress_line(const ProgressCounts& c) {
  const double percent =
      c.total > 0 ? 100.0 * static_cast<double>(c.done) / static_cast<double>(c.total) : 100;
  const double rate = c.elapsed_seconds > 0 ? static_cast<double>(c.done) / c.elapsed_seconds : 0;
  const std::string eta = c.done >= c.total ? "0s"
                          : rate > 0        ? format_duration(static_cast<double>(c.total - c.done) / rate)
                                            : "?";
  return str_cat(c.done, "/", c.total, " images (", fixed(percent, 1), "%), ", format_rate(rate),
                 " images/s, ETA ", eta, ", ", c.skipped, " skipped");
}

Progress::Progress(size_t total, ProgressMode mode, double interval_seconds, ProgressSinks sinks)
    : mode_(mode), interval_(interval_seconds), sinks_(std::move(sinks)) {
  if (!sinks_.clock) sinks_.clock = steady_seconds;
  if (sinks_.terminal == nullptr) sinks_.terminal = &std::cerr;
  if (!sinks_.log_line) sinks_.log_line = [](std::string_view line) { log::info(line); };
  counts_.total = total;
  start_ = last_shown_ = sinks_.clock();
}

Progress::~Progress() {
  if (mode_ == ProgressMode::kTerminal && drawn_ && !finished_) *sinks_.terminal << '\n' << std::flush;
}

void Progress::done(size_t images) {
  const std::lock_guard lock(mutex_);
  counts_.done += images;
  maybe_show(false);
}

void Progress::skipped(size_t images) {
  const std::lock_guard lock(mutex_);
  counts_.done += images;
  counts_.skipped += images;
  maybe_show(false);
}

void Progress::finish() {
  const std::lock_guard lock(mutex_);
  if (finished_) return;
  maybe_show(true);
  if (mode_ == ProgressMode::kTerminal) *sinks_.terminal << '\n' << std::flush;
  finished_ = true;
}

ProgressCounts Progress::counts() const {
  const std::lock_guard lock(mutex_);
  ProgressCounts c = counts_;
  c.elapsed_seconds = sinks_.clock() - start_;
  return c;
}

void Progress::maybe_show(bool force) {
  if (mode_ == ProgressMode::kOff || finished_) return;
  const double now = sinks_.clock();
  const double spacing = mode_ == ProgressMode::kTerminal ? kRedrawSeconds : interval_;
  if (!force && now - last_shown_ < spacing) return;
  last_shown_ = now;
  counts_.elapsed_seconds = now - start_;
  const std::string line = progress_line(counts_);
  if (mode_ == ProgressMode::kLog) {
    sinks_.log_line("progress: " + line);
    return;
  }
  // Carriage return and erase-to-end-of-line: the line is redrawn in place, a shorter one leaves no tail.
  *sinks_.terminal << "\r\033[K" << line << std::flush;
  drawn_ = true;
}

}  // namespace sinforge
