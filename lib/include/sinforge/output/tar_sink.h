// The webdataset layout's writer (webdataset.h): encodes results on a pool and appends them, in the order
// they were handed over, to the shard's open tar on one appender thread. At about tar_size bytes the tar is
// committed (its DALI index written beside it, then closed, fsynced, renamed: TarWriter), and only then are
// its samples recorded in the manifest and the journal flushed, so a sample counts as done only once its
// tar is complete. A kill loses at most the open tar's samples (its temporary is removed by the rerun,
// which recomputes them); finish() (also on a stop signal) commits the last, shorter tar.
#pragma once

#include <atomic>
#include <cstdint>
#include <deque>
#include <filesystem>
#include <future>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "sinforge/core/thread_pool.h"
#include "sinforge/image/image_io.h"
#include "sinforge/output/output_sink.h"
#include "sinforge/output/tar_file.h"

namespace sinforge {

struct TarSinkOptions {
  std::filesystem::path out_dir;
  std::string prefix = "sinforge";
  size_t shard = 0;           // K of --shard K/N: the tar series written
  uint64_t first_number = 0;  // the series' next free number (next_tar_number)
  uint64_t tar_size = 1000000000;
  EncodeOptions encoding;
  std::vector<std::string> classes;  // class_names(): the .cls member is the index of the content's folder
  uint64_t seed = 0;                 // for the .json member
  float alpha = 1.f;
  bool derived = false;  // derive's samples: the .json member names the derivation (derived_sample_json)
};

class TarSink : public OutputSink {
 public:
  TarSink(TarSinkOptions options, Recorder& recorder, size_t threads);
  ~TarSink() override;  // waits for the work in flight; an uncommitted tar is discarded

  void write(OutputSample sample, cv::Mat rgb) override;
  void finish() override;
  size_t written() const override { return written_.load(); }
  size_t tars_committed() const { return tars_committed_; }

 private:
  void finish_oldest();
  void append(const OutputSample& sample, const std::vector<uint8_t>& image);  // appender thread only
  void commit_open_tar();                                                      // appender thread only

  TarSinkOptions options_;
  Recorder& recorder_;
  ThreadPool encoders_;
  ThreadPool appender_{1};
  std::deque<std::future<void>> in_flight_;
  // Appender thread's state.
  std::unique_ptr<TarWriter> open_;
  std::vector<ManifestEntry> open_rows_;
  uint64_t next_number_ = 0;
  bool failed_ = false;
  size_t tars_committed_ = 0;
  std::atomic<size_t> written_{0};
};

// The .json member of a sample: content, painting (paths relative to --content and --styles), seed, alpha,
// k, width, height.
std::string sample_json(const OutputSample& sample, uint64_t seed, float alpha);
// The .json member of a derived sample (`sinforge derive`): content, derivation (the manifest's column),
// seed, width, height.
std::string derived_sample_json(const OutputSample& sample, uint64_t seed);

}  // namespace sinforge
