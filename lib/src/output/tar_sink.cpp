#include "sinforge/output/tar_sink.h"

#include <stdexcept>

#include <nlohmann/json.hpp>

#include "sinforge/core/atomic_file.h"
#include "sinforge/core/fault_injection.h"
#include "sinforge/core/log.h"
#include "sinforge/core/queue_depths.h"
#include "sinforge/output/webdataset.h"

namespace sinforge {
namespace {

std::span<const uint8_t> bytes_of(const std::string& s) {
  return {reinterpret_cast<const uint8_t*>(s.data()), s.size()};
}

}  // namespace

std::string sample_json(const OutputSample& sample, uint64_t seed, float alpha) {
  const nlohmann::json j = {{"content", sample.entry.content},
                            {"painting", sample.entry.painting},
                            {"seed", seed},
                            {"alpha", alpha},
                            {"k", sample.style},
                            {"width", sample.entry.width},
                            {"height", sample.entry.height}};
  return j.dump();
}

std::string derived_sample_json(const OutputSample& sample, uint64_t seed) {
  const nlohmann::json j = {{"content", sample.entry.content},
                            {"derivation", sample.entry.painting},
                            {"seed", seed},
                            {"width", sample.entry.width},
                            {"height", sample.entry.height}};
  return j.dump();
}

TarSink::TarSink(TarSinkOptions options, Recorder& recorder, size_t threads)
    : options_(std::move(options)),
      recorder_(recorder),
      encoders_(threads),
      next_number_(options_.first_number) {}

TarSink::~TarSink() {
  for (auto& f : in_flight_) f.wait();
  open_.reset();  // uncommitted: removed; the rerun recomputes its samples
}

void TarSink::write(OutputSample sample, cv::Mat rgb) {
  while (in_flight_.size() >= encoders_.size() * kQueueDepths.encode_ahead_per_thread) finish_oldest();
  auto encoded = encoders_
                     .submit([rgb = std::move(rgb), encoding = options_.encoding] {
                       return encode_image(rgb, encoding);
                     })
                     .share();
  // One appender thread takes the samples in the order they were handed over.
  in_flight_.push_back(appender_.submit(
      [this, sample = std::move(sample), encoded = std::move(encoded)] { append(sample, encoded.get()); }));
}

void TarSink::finish() {
  while (!in_flight_.empty()) finish_oldest();
  appender_.submit([this] { commit_open_tar(); }).get();
}

void TarSink::finish_oldest() {
  std::future<void> oldest = std::move(in_flight_.front());
  in_flight_.pop_front();
  oldest.get();  // rethrows a failed append: the run stops (disk full, folder unwritable)
}

void TarSink::append(const OutputSample& sample, const std::vector<uint8_t>& image) {
  // After a failure the open tar is gone: later samples must not start a tar with a gap before them.
  if (failed_) throw std::runtime_error("an earlier write to the tar failed");
  try {
    if (!open_) {
      open_ = std::make_unique<TarWriter>(options_.out_dir /
                                          tar_file_name(options_.prefix, options_.shard, next_number_));
    }
    fail_if_fault_injected(open_->final_path());
    const std::string& key = sample.key;
    const std::optional<size_t> cls = class_index(options_.classes, sample.entry.content);
    if (!cls) throw std::runtime_error(sample.entry.content + ": content image outside every class folder");
    open_->add(key + (options_.encoding.format == ImageFormat::kPng ? ".png" : ".jpg"), image);
    open_->add(key + ".cls", bytes_of(std::to_string(*cls)));
    open_->add(key + ".json",
               bytes_of(options_.derived ? derived_sample_json(sample, options_.seed)
                                         : sample_json(sample, options_.seed, options_.alpha)));
    ManifestEntry row = sample.entry;
    row.output = key;
    row.tar = open_->final_path().filename().string();
    open_rows_.push_back(std::move(row));
    if (open_->size() >= options_.tar_size) commit_open_tar();
  } catch (...) {
    failed_ = true;
    open_.reset();  // the temporary is removed: no partial tar under any name
    open_rows_.clear();
    throw;
  }
}

void TarSink::commit_open_tar() {
  if (failed_ || !open_) return;
  try {
    // The index first: a tar under its final name always has its index (a kill between the two leaves an
    // index whose tar number the rerun writes again, overwriting it).
    const std::string index = dali_index(open_->members());
    write_file_atomic(dali_index_path(open_->final_path()),
                      std::span(reinterpret_cast<const uint8_t*>(index.data()), index.size()));
    open_->commit();
  } catch (...) {
    failed_ = true;
    open_.reset();
    open_rows_.clear();
    throw;
  }
  open_.reset();
  ++next_number_;
  ++tars_committed_;
  // The tar is complete under its final name: now its samples are done. Flushed at once, so that at most
  // the last committed tar's rows can be torn by a kill (resume re-reads that one: tar_resume.h).
  for (const ManifestEntry& row : open_rows_) recorder_.record_output(row);
  recorder_.flush();
  written_ += open_rows_.size();
  open_rows_.clear();
}

}  // namespace sinforge
