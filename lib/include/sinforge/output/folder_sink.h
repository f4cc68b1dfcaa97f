// The folder layout (the default): every result is a file at its planned path below --out, written
// atomically by the OutputWriter, and recorded in the manifest once it is complete under its final name.
#pragma once

#include <filesystem>

#include "sinforge/output/output_sink.h"
#include "sinforge/output/output_writer.h"

namespace sinforge {

class FolderSink : public OutputSink {
 public:
  FolderSink(std::filesystem::path out_dir, OutputWriter& writer, Recorder& recorder)
      : out_dir_(std::move(out_dir)), writer_(writer), recorder_(recorder) {}

  void write(OutputSample sample, cv::Mat rgb) override {
    const std::filesystem::path target = out_dir_ / sample.entry.output;
    writer_.write(target, std::move(rgb), [&recorder = recorder_, entry = std::move(sample.entry)] {
      recorder.record_output(entry);
    });
  }
  void finish() override { writer_.finish(); }
  size_t written() const override { return writer_.written(); }

 private:
  std::filesystem::path out_dir_;
  OutputWriter& writer_;
  Recorder& recorder_;
};

}  // namespace sinforge
