// `sinforge derive`, start to end, on the engine of `sinforge run`: validate, scan (plan/scan.h), plan
// (derive_plan.h) and keep this shard's contents (plan/shard.h), check and record the settings
// (records/run_settings.h), resume from the manifests and the files (records/resume.h's journal), then
// decode + crop + derive on a pool, write atomically (output/folder_sink.h) and record each output once it
// is complete. A content that cannot be decoded is skipped and recorded; a stop request (SIGINT, SIGTERM)
// ends between contents with the journal flushed.
#pragma once

#include <cstddef>

#include "sinforge/derive/derive_options.h"

namespace sinforge {

struct DeriveSummary {
  size_t contents = 0;          // content images found (every shard's)
  size_t planned = 0;           // of them, this shard's
  size_t resumed_contents = 0;  // done by an earlier run
  size_t written = 0;           // outputs written by this run
  size_t skipped = 0;           // contents skipped (recorded with their reasons)
  int stop_signal = 0;          // non-zero: stopped early by this signal; resumable
  double seconds = 0;
};

DeriveSummary run_derive(const DeriveOptions& options);

}  // namespace sinforge
