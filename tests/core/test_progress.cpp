// Progress: the line's arithmetic and format on a fake clock, the terminal's redraw rate, the log's interval,
// counting from many threads, and a CLI run's progress lines on a pipe and on a pseudo-terminal.
#include "sinforge/core/progress.h"

#include <gtest/gtest.h>

#include <sstream>
#include <thread>
#include <vector>

namespace sinforge {
namespace {

struct FakeClock {
  double now = 100;  // any origin: only differences count
  std::function<double()> fn() {
    return [this] { return now; };
  }
};

TEST(Progress, DurationFormat) {
  EXPECT_EQ(format_duration(0), "0s");
  EXPECT_EQ(format_duration(59.4), "59s");
  EXPECT_EQ(format_duration(61), "1m01s");
  EXPECT_EQ(format_duration(3725), "1h02m05s");
  EXPECT_EQ(format_duration(-3), "0s");
}

TEST(Progress, LineArithmetic) {
  // 120 of 5000 in 10 s: 12/s, 4880 left -> 406.67 s.
  EXPECT_EQ(progress_line({5000, 120, 3, 10.0}),
            "120/5000 images (2.4%), 12.0 images/s, ETA 6m47s, 3 skipped");
  EXPECT_EQ(progress_line({10, 0, 0, 5.0}), "0/10 images (0.0%), 0.0 images/s, ETA ?, 0 skipped");
  EXPECT_EQ(progress_line({10, 10, 1, 4.0}), "10/10 images (100.0%), 2.5 images/s, ETA 0s, 1 skipped");
  EXPECT_EQ(progress_line({100, 1, 0, 25.0}), "1/100 images (1.0%), 0.040 images/s, ETA 41m15s, 0 skipped");
}

// Rates keep their significant digits: 0.97 paintings/s must not read as 0.
TEST(Progress, RatesKeepTheirSignificantDigits) {
  EXPECT_EQ(format_rate(0.97), "0.97");
  EXPECT_EQ(format_rate(0.0412), "0.041");
  EXPECT_EQ(format_rate(0.0), "0.0");
  EXPECT_EQ(format_rate(2.5), "2.5");
  EXPECT_EQ(format_rate(35.24), "35.2");
  EXPECT_EQ(format_rate(1234.56), "1234.6");
}

TEST(Progress, TerminalRedrawsInPlaceAtMostFourTimesASecond) {
  FakeClock clock;
  std::ostringstream out;
  Progress progress(100, ProgressMode::kTerminal, 30, {clock.fn(), &out, {}});
  progress.done(1);  // at t=0: too soon after the start
  EXPECT_EQ(out.str(), "");
  clock.now += 0.3;
  progress.done(2);
  // 97 left at 10/s: 9.7 s, shown rounded.
  EXPECT_EQ(out.str(), "\r\033[K3/100 images (3.0%), 10.0 images/s, ETA 10s, 0 skipped");
  clock.now += 0.1;
  progress.skipped(1);  // 0.1 s after the last draw: counted, not drawn
  EXPECT_EQ(out.str().find("4/100"), std::string::npos);
  clock.now += 0.2;
  progress.done(1);
  EXPECT_NE(out.str().find("\r\033[K5/100 images (5.0%)"), std::string::npos) << out.str();
  EXPECT_NE(out.str().find("1 skipped"), std::string::npos);
  progress.finish();
  EXPECT_EQ(out.str().back(), '\n') << "the last line must end the terminal line";
  progress.finish();  // idempotent
  const std::string text = out.str();
  EXPECT_EQ(std::count(text.begin(), text.end(), '\n'), 1);
}

TEST(Progress, AnAbandonedTerminalLineIsEnded) {
  FakeClock clock;
  std::ostringstream out;
  {
    Progress progress(10, ProgressMode::kTerminal, 30, {clock.fn(), &out, {}});
    clock.now += 1;
    progress.done(1);  // drawn; then an error unwinds without finish()
  }
  EXPECT_EQ(out.str().back(), '\n') << "an error message after this must start its own line";
}

TEST(Progress, LogModeWritesOneLineEveryInterval) {
  FakeClock clock;
  std::vector<std::string> lines;
  std::ostringstream terminal;
  Progress progress(1000, ProgressMode::kLog, 30,
                    {clock.fn(), &terminal, [&](std::string_view l) { lines.emplace_back(l); }});
  for (int second = 1; second <= 95; ++second) {
    clock.now += 1;
    progress.done(2);
  }
  ASSERT_EQ(lines.size(), 3u);  // at 30, 60 and 90 s
  EXPECT_EQ(lines[0], "progress: 60/1000 images (6.0%), 2.0 images/s, ETA 7m50s, 0 skipped");
  EXPECT_NE(lines[2].find("180/1000"), std::string::npos);
  progress.finish();
  ASSERT_EQ(lines.size(), 4u);
  EXPECT_NE(lines[3].find("190/1000"), std::string::npos);
  EXPECT_EQ(terminal.str(), "") << "log mode must not draw terminal lines";
}

TEST(Progress, OffShowsNothingButCounts) {
  FakeClock clock;
  std::ostringstream out;
  int logged = 0;
  Progress progress(5, ProgressMode::kOff, 0, {clock.fn(), &out, [&](std::string_view) { ++logged; }});
  clock.now += 10;
  progress.done(3);
  progress.skipped(2);
  progress.finish();
  EXPECT_EQ(out.str(), "");
  EXPECT_EQ(logged, 0);
  EXPECT_EQ(progress.counts().done, 5u);
  EXPECT_EQ(progress.counts().skipped, 2u);
}

TEST(Progress, CountsFromManyThreads) {
  std::ostringstream out;
  Progress progress(40000, ProgressMode::kTerminal, 30, {{}, &out, {}});
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 10000; ++i) (i % 10 == 0) ? progress.skipped(1) : progress.done(1);
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(progress.counts().done, 40000u);
  EXPECT_EQ(progress.counts().skipped, 4000u);
}

}  // namespace
}  // namespace sinforge
