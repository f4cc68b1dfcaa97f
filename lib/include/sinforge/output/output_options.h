// How a run's results are made durable: their encoding and the layout they are written in (folder tree or
// WebDataset tar shards). The encoder threads read `encoding`; the sinks read the layout's fields.
#pragma once

#include <cstdint>
#include <string>

#include "sinforge/image/image_io.h"
#include "sinforge/output/webdataset.h"

namespace sinforge {

struct OutputOptions {
  EncodeOptions encoding;                       // --format, --quality, --png-level
  OutputLayout layout = OutputLayout::kFolder;  // folder tree, or WebDataset tar shards (webdataset.h)
  uint64_t tar_size = 1000000000;       // webdataset: a tar is committed once it holds this many bytes
  std::string tar_prefix = "sinforge";  // webdataset: tars are <out>/<prefix>-<shard>-<NNNNNN>.tar
};

}  // namespace sinforge
