// Watching a run: how far it is, how fast it goes, when it will end. On a terminal one line redrawn in
// place a few times a second; in a batch job's log (stderr not a terminal) a plain log line every interval,
// because carriage returns turn a log file into one unreadable line.
#pragma once

#include <cstddef>
#include <functional>
#include <iosfwd>
#include <mutex>
#include <string>
#include <string_view>

namespace sinforge {

enum class ProgressMode { kTerminal, kLog, kOff };

// kTerminal when stderr is a terminal, else kLog.
ProgressMode progress_mode_for_stderr();

struct ProgressCounts {
  size_t total = 0;    // content images planned
  size_t done = 0;     // handled so far: stylized or skipped
  size_t skipped = 0;  // of done, left out
  double elapsed_seconds = 0;
};

// "120/5000 images (2.4%), 35.2 images/s, ETA 2m19s, 3 skipped". The rate is done / elapsed; the ETA
// assumes it holds and reads "?" before anything is done.
std::string progress_line(const ProgressCounts& counts);
// 59 -> "59s", 61 -> "1m01s", 3725 -> "1h02m05s".
std::string format_duration(double seconds);

// A rate (per second) for a log line with its significant digits: one decimal at least, and as many as the
// first two significant digits need (12.0, 2.5, 0.97, 0.040), so a slow stage never reads as 0.
std::string format_rate(double per_second);

struct ProgressSinks {
  std::function<double()> clock;                   // monotonic seconds; default: steady_clock
  std::ostream* terminal = nullptr;                // kTerminal's stream; default: std::cerr
  std::function<void(std::string_view)> log_line;  // kLog's sink; default: log::info
};

// Counts what the stylizer reports and shows it. Thread-safe: done() and skipped() may come from any thread.
class Progress {
 public:
  // interval_seconds: kLog's spacing of lines; kTerminal redraws at most every redraw_seconds.
  Progress(size_t total, ProgressMode mode, double interval_seconds, ProgressSinks sinks = {});
  // Ends a drawn terminal line when finish() was not reached (an error), so the error starts a line.
  ~Progress();
  Progress(const Progress&) = delete;
  Progress& operator=(const Progress&) = delete;

  void done(size_t images);  // stylized (their outputs are queued for writing)
  void skipped(size_t images);
  // The last line: the terminal line is completed with a newline; the log gets a final line.
  void finish();
  ProgressCounts counts() const;

  static constexpr double kRedrawSeconds = 0.25;

 private:
  void maybe_show(bool force);  // called with mutex_ held

  mutable std::mutex mutex_;
  ProgressMode mode_;
  double interval_;
  ProgressSinks sinks_;
  double start_ = 0;
  double last_shown_ = 0;
  bool finished_ = false;
  bool drawn_ = false;  // a terminal line is on the screen
  ProgressCounts counts_;
};

}  // namespace sinforge
