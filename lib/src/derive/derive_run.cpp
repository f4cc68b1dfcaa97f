#include "sinforge/derive/derive_run.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <map>
#include <memory>
#include <set>
#include <utility>

#include "sinforge/core/atomic_file.h"
#include "sinforge/core/error.h"
#include "sinforge/core/log.h"
#include "sinforge/core/ordered_loader.h"
#include "sinforge/core/progress.h"
#include "sinforge/core/queue_depths.h"
#include "sinforge/core/stop.h"
#include "sinforge/core/thread_pool.h"
#include "sinforge/derive/derive_plan.h"
#include "sinforge/derive/manipulations.h"
#include "sinforge/derive/spectrum_file.h"
#include "sinforge/image/image_io.h"
#include "sinforge/image/recipe.h"
#include "sinforge/output/folder_sink.h"
#include "sinforge/output/output_writer.h"
#include "sinforge/output/tar_sink.h"
#include "sinforge/output/webdataset.h"
#include "sinforge/plan/scan.h"
#include "sinforge/records/records.h"
#include "sinforge/records/resume.h"
#include "sinforge/records/run_settings.h"
#include "sinforge/records/tar_resume.h"

namespace sinforge {
namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

// Contents handed to the writer between two journal flushes: a flush is an fsync, too costly per image.
constexpr size_t kContentsPerFlush = 8;
// What power equalisation's spectrum pass keeps of the crops it decoded, for the derivation pass: a set whose
// crops fit (about 7,000 of 224 x 224) is decoded once, a larger one decodes the rest again.
constexpr size_t kKeptCropBytes = size_t{1} << 30;

bool writes_tars(const DeriveOptions& o) { return o.output.layout == OutputLayout::kWebDataset; }

struct DeriveInputs {
  std::vector<fs::path> contents;
  std::vector<SpecialFile> special;  // named like images but no regular files: never opened, skipped
  nlohmann::json settings;
};

// What is read before anything is written: fails (the output folder untouched) on an empty tree or on
// settings that differ from the folder's.
DeriveInputs load_inputs(const DeriveOptions& o) {
  ScanResult scan = scan_tree(o.content_dir, o.extensions);
  if (scan.images.empty()) throw UsageError("--content " + o.content_dir.string() + ": no images found");
  if (writes_tars(o)) require_class_folders(scan.images);
  DeriveInputs in{std::move(scan.images), std::move(scan.special), derive_settings(o)};
  check_settings(o.out_dir, in.settings, o.overwrite);
  return in;
}

// The temporaries below out_dir that a killed run of this shard left: those whose final name is one of the
// shard's outputs (other shards may be writing theirs into the same folder).
void remove_stale_output_temporaries(const DeriveOptions& o, const std::vector<DerivedContent>& planned) {
  if (!fs::is_directory(o.out_dir)) return;
  std::set<fs::path> targets;  // usually none: the plan's outputs are only listed when there are some
  std::vector<std::pair<fs::path, fs::path>> found;
  for (const auto& e : fs::recursive_directory_iterator(o.out_dir)) {
    std::string target;
    if (!e.is_regular_file() || !is_atomic_temporary(e.path().filename().string(), &target)) continue;
    const fs::path relative = (fs::relative(e.path().parent_path(), o.out_dir) / target).lexically_normal();
    found.emplace_back(e.path(), relative);
    targets.insert(relative);
  }
  if (found.empty()) return;
  std::set<fs::path> mine;
  for (const DerivedContent& c : planned) {
    for (const DerivedOutput& d : derived_outputs(c, o))
      if (targets.count(d.output) != 0) mine.insert(d.output);
  }
  for (const auto& [file, relative] : found) {
    std::error_code ec;
    if (mine.count(relative) != 0) fs::remove(file, ec);
    if (ec) log::warn(str_cat("cannot remove the stale temporary ", file.string(), ": ", ec.message()));
  }
}

// Readies the output folder: clears what a killed run left (and with --overwrite this shard's records),
// reads the journal and records the settings.
Journal prepare_out_dir(const DeriveOptions& o, const DeriveInputs& in,
                        const std::vector<DerivedContent>& planned) {
  // The spectrum file is written by every shard, like the style bank of run: its temporaries go by the
  // same owner rule.
  remove_stale_record_temporaries(o.out_dir, o.shard, o.out_dir / kSpectrumFileName);
  if (writes_tars(o)) {
    remove_stale_tar_temporaries(o.out_dir, o.output.tar_prefix, o.shard.index);
  } else {
    remove_stale_output_temporaries(o, planned);
  }
  if (o.overwrite) {
    fs::remove(manifest_path(o.out_dir, o.shard));
    fs::remove(skipped_path(o.out_dir, o.shard));
    if (writes_tars(o)) remove_tar_series(o.out_dir, o.output.tar_prefix, o.shard.index);
  }
  Journal journal = o.overwrite ? Journal{} : read_journal(o.out_dir);
  fs::create_directories(o.out_dir);
  write_settings(o.out_dir, in.settings, o.shard.label());
  return journal;
}

struct RemainingContent {
  const DerivedContent* content = nullptr;
  std::set<fs::path> existing;  // outputs an earlier run completed: not written again
};

struct ResumedPlan {
  std::vector<RemainingContent> remaining;
  size_t done = 0;
};

// Drops every content whose outputs all exist or that is recorded as skipped. The folder layout: an output
// that exists without a manifest row (its row was lost with a killed process) is recorded now, its size
// from the file. The webdataset layout: an output exists once its key is recorded (the committed tars'
// rows were re-recorded before: tar_resume.h).
ResumedPlan resume(const DeriveOptions& o, const std::vector<DerivedContent>& planned, const Journal& journal,
                   RunRecorder& recorder) {
  ResumedPlan r;
  for (const DerivedContent& c : planned) {
    if (o.overwrite) {  // every output recomputed, as run's --overwrite: nothing on the disk counts as done
      r.remaining.push_back({&c, {}});
      continue;
    }
    if (journal.recorded_skips.count({"content", c.relative.generic_string()}) != 0) {
      ++r.done;
      continue;
    }
    RemainingContent left{&c, {}};
    const std::vector<DerivedOutput> outputs = derived_outputs(c, o);
    for (const DerivedOutput& d : outputs) {
      if (writes_tars(o)) {
        if (journal.recorded_outputs.count(sample_key(d.output)) != 0) left.existing.insert(d.output);
        continue;
      }
      if (!fs::exists(o.out_dir / d.output)) continue;
      left.existing.insert(d.output);
      if (journal.recorded_outputs.count(d.output.generic_string()) != 0) continue;
      const cv::Mat image = read_image(o.out_dir / d.output);
      recorder.record_output(
          {c.relative.generic_string(), d.derivation, d.output.generic_string(), image.cols, image.rows, ""});
    }
    if (left.existing.size() == outputs.size()) {
      ++r.done;
    } else {
      r.remaining.push_back(std::move(left));
    }
  }
  recorder.flush();
  return r;
}

struct DerivedImages {
  std::vector<std::pair<ManifestEntry, cv::Mat>> outputs;
  std::string error;  // non-empty: the content is skipped for this reason
};

// Decode, crop, derive: one content's missing outputs (crop: the crop if an earlier pass kept it, else
// empty). Only the file's own defects (DecodeError) make a skip, which resume never retries; anything else
// stops the run, resumable.
DerivedImages derive_one(const DeriveOptions& o, const RemainingContent& r, const DeriveData& data,
                         cv::Mat crop) {
  DerivedImages result;
  try {
    if (crop.empty())
      crop = prepare_content(read_image(o.content_dir / r.content->relative), {o.content_size, o.crop, 0});
  } catch (const DecodeError& e) {
    result.error = e.what();
    return result;
  }
  const std::string relative = r.content->relative.generic_string();
  for (const DerivedOutput& d : derived_outputs(*r.content, o)) {
    if (r.existing.count(d.output) != 0) continue;
    cv::Mat image = make_derived(crop, d, o, relative, data);
    result.outputs.emplace_back(
        ManifestEntry{relative, d.derivation, d.output.generic_string(), image.cols, image.rows, ""},
        std::move(image));
  }
  return result;
}

// The layout's sink; writer is the folder layout's encoder pool, which must outlive the sink.
std::unique_ptr<OutputSink> make_sink(const DeriveOptions& o, const std::vector<std::string>& classes,
                                      RunRecorder& recorder, size_t threads,
                                      std::unique_ptr<OutputWriter>& writer) {
  if (!writes_tars(o)) {
    writer = std::make_unique<OutputWriter>(threads, o.output.encoding);
    return std::make_unique<FolderSink>(o.out_dir, *writer, recorder);
  }
  TarSinkOptions t;
  t.out_dir = o.out_dir;
  t.prefix = o.output.tar_prefix;
  t.shard = o.shard.index;
  t.first_number = next_tar_number(o.out_dir, o.output.tar_prefix, o.shard.index);
  t.tar_size = o.output.tar_size;
  t.encoding = o.output.encoding;
  t.classes = classes;
  t.seed = o.seed;
  t.derived = true;
  return std::make_unique<TarSink>(std::move(t), recorder, threads);
}

// The contents left to do, decoded (unless kept: crops[i], moved out as used) and derived on a pool in
// order, written through the layout's sink; returns how many were skipped. classes: the webdataset layout's
// class names (class_names).
size_t derive_remaining(const DeriveOptions& o, const std::vector<RemainingContent>& remaining,
                        std::vector<cv::Mat>& crops, const std::vector<std::string>& classes,
                        const DeriveData& data, ThreadPool& workers, RunRecorder& recorder, size_t& written) {
  const size_t threads = workers.size();
  std::unique_ptr<OutputWriter> writer;
  const std::unique_ptr<OutputSink> sink = make_sink(o, classes, recorder, threads, writer);
  OrderedLoader<DerivedImages> loader(
      workers, remaining.size(), threads * kQueueDepths.derive_ahead_per_thread,
      [&](size_t i) { return derive_one(o, remaining[i], data, std::move(crops[i])); });
  Progress progress(remaining.size(),
                    o.progress_interval > 0 ? progress_mode_for_stderr() : ProgressMode::kOff,
                    o.progress_interval);
  size_t skipped = 0;
  DerivedImages item;
  for (size_t i = 0; !stop_requested() && loader.next(item); ++i) {
    if (!item.error.empty()) {
      const fs::path relative = remaining[i].content->relative;
      log::warn(str_cat("content image skipped: ", (o.content_dir / relative).string(), ": ", item.error));
      recorder.record_skip({"content", relative, item.error});
      ++skipped;
      progress.skipped(1);
    } else {
      // The webdataset layout's key: the folder layout's name, escaped (webdataset.h sample_key).
      for (auto& [entry, image] : item.outputs) {
        std::string key = writes_tars(o) ? sample_key(entry.output) : std::string();
        sink->write({std::move(entry), 0, std::move(key)}, std::move(image));
      }
      progress.done(1);
    }
    if (i % kContentsPerFlush == kContentsPerFlush - 1) recorder.flush();
  }
  sink->finish();
  recorder.flush();
  progress.finish();
  written = sink->written();
  return skipped;
}

// --gamma-table, read and checked before the output folder is touched.
std::vector<double> read_gamma_table(const DeriveOptions& o) {
  const cv::Mat table = read_npy_array(o.gamma_table_file, "--gamma-table");
  if (table.total() != 256)
    throw UsageError(str_cat("--gamma-table ", o.gamma_table_file.string(), " holds ", table.total(),
                             " values, not one per byte (256)"));
  std::vector<double> values(table.begin<double>(), table.end<double>());
  for (size_t i = 0; i < values.size(); ++i)
    if (!std::isfinite(values[i]))
      throw UsageError(str_cat("--gamma-table ", o.gamma_table_file.string(), ": entry ", i, " is ",
                               values[i], ", not a measured output"));
  return values;
}

// --spectrum, read and checked before the output folder is touched.
// Empty when the spectrum has the crop's size, else what is wrong with it.
std::string spectrum_size_problem(const cv::Mat& spectrum, int crop) {
  if (spectrum.rows == crop && spectrum.cols == crop) return "";
  return str_cat(" is ", spectrum.rows, "x", spectrum.cols, ", not the crop's ", crop, "x", crop);
}

cv::Mat read_checked_spectrum(const DeriveOptions& o) {
  cv::Mat spectrum = read_spectrum_file(o.spectrum_file);
  const std::string problem = spectrum_size_problem(spectrum, o.crop);
  if (!problem.empty()) throw UsageError(str_cat("--spectrum ", o.spectrum_file.string(), problem));
  return spectrum;
}

struct DecodedForSpectrum {
  cv::Mat crop, amplitude;  // both empty: the content cannot be decoded
};

// Power equalisation's spectrum without --spectrum: the mean of every content's amplitude spectrum (every
// shard's contents: each shard computes the same mean, summed in scan order), contents that cannot be
// decoded left out. The crops of the remaining contents are kept in crops (by their index in remaining)
// while they fit in kKeptCropBytes.
cv::Mat mean_amplitude_spectrum(const DeriveOptions& o, const std::vector<fs::path>& contents,
                                const std::vector<RemainingContent>& remaining, std::vector<cv::Mat>& crops,
                                ThreadPool& workers) {
  std::map<fs::path, size_t> remaining_index;
  for (size_t i = 0; i < remaining.size(); ++i) remaining_index[remaining[i].content->relative] = i;
  OrderedLoader<DecodedForSpectrum> loader(workers, contents.size(), workers.size() * 2, [&](size_t i) {
    try {
      DecodedForSpectrum d;
      d.crop = prepare_content(read_image(o.content_dir / contents[i]), {o.content_size, o.crop, 0});
      d.amplitude = amplitude_spectrum(grey_of(d.crop));
      return d;
    } catch (const DecodeError&) {
      return DecodedForSpectrum{};  // skipped, and recorded, when its turn comes
    }
  });
  cv::Mat sum = cv::Mat::zeros(o.crop, o.crop, CV_64FC1);
  size_t count = 0, kept_bytes = 0;
  DecodedForSpectrum d;
  for (size_t i = 0; loader.next(d); ++i) {
    if (d.amplitude.empty()) continue;
    sum += d.amplitude;
    ++count;
    const auto mine = remaining_index.find(contents[i]);
    const size_t bytes = d.crop.total() * d.crop.elemSize();
    if (mine == remaining_index.end() || kept_bytes + bytes > kKeptCropBytes) continue;
    crops[mine->second] = std::move(d.crop);
    kept_bytes += bytes;
  }
  if (count == 0) throw std::runtime_error("--content: no image could be decoded for the mean spectrum");
  log::info(str_cat("power-equalise: the mean amplitude spectrum of ", count, " content images"));
  return sum / static_cast<double>(count);
}

// The spectrum an earlier run (or another shard) recorded in the output folder: a resume reuses it, so that
// every output of the folder shares one spectrum and the set is not decoded again for it. Empty: none (or
// --overwrite, which recomputes everything).
cv::Mat recorded_spectrum(const DeriveOptions& o) {
  const fs::path file = o.out_dir / kSpectrumFileName;
  if (o.overwrite || !fs::exists(file)) return cv::Mat();
  cv::Mat spectrum = read_spectrum_file(file);
  const std::string problem = spectrum_size_problem(spectrum, o.crop);
  if (!problem.empty()) throw std::runtime_error(str_cat(file.string(), problem, ": not this run's record"));
  log::info(str_cat("power-equalise: the mean amplitude spectrum recorded in ", file.string()));
  return spectrum;
}

nlohmann::json summary_json(const DeriveOptions& o, const DeriveSummary& s, const nlohmann::json& settings) {
  nlohmann::json j;
  j["counts"] = {{"content_images", s.contents},
                 {"contents_in_shard", s.planned},
                 {"contents_resumed", s.resumed_contents},
                 {"outputs_written", s.written},
                 {"contents_skipped", s.skipped}};
  j["seconds"] = {{"total", s.seconds}};
  j["stopped_by_signal"] = s.stop_signal;
  j["shard"] = {{"index", o.shard.index}, {"count", o.shard.count}};
  j["settings"] = settings;
  j["settings"]["content"] = o.content_dir.string();
  j["settings"]["out"] = o.out_dir.string();
  j["versions"] = {{"sinforge", SINFORGE_VERSION}};
  return j;
}

}  // namespace

DeriveSummary run_derive(const DeriveOptions& o) {
  const auto start = Clock::now();
  validate(o);
  const DeriveInputs in = load_inputs(o);
  DeriveData data;
  if (!o.spectrum_file.empty()) data.mean_amplitude = read_checked_spectrum(o);
  if (!o.gamma_table_file.empty()) data.gamma_table = read_gamma_table(o);
  std::vector<DerivedContent> planned = plan_derived(in.contents, o);  // names depend on the whole list
  std::erase_if(planned, [&](const DerivedContent& c) { return !in_shard(c.relative, o.shard); });
  DeriveSummary summary;
  summary.contents = in.contents.size();
  summary.planned = planned.size();
  log::info(str_cat("sinforge ", SINFORGE_VERSION, " derive ", to_string(o.variant), ": ", in.contents.size(),
                    " content images, ", planned.size(), " in ", o.shard.label()));

  Journal journal = prepare_out_dir(o, in, planned);
  RunRecorder recorder(o.out_dir, o.shard, writes_tars(o), "derivation");
  std::vector<std::string> classes;
  if (writes_tars(o)) {
    classes = class_names(in.contents);  // every shard: the whole list
    write_classes(o.out_dir, classes, o.shard.label());
    rerecord_committed_tars(o.out_dir, o.output.tar_prefix, o.shard, journal, recorder);
  }
  for (const SpecialFile& s : in.special) {
    if (!in_shard(s.relative, o.shard)) continue;
    ++summary.skipped;
    log::warn(str_cat("content image skipped: ", (o.content_dir / s.relative).string(), ": ", s.reason));
    if (journal.recorded_skips.count({"content", s.relative.generic_string()}) == 0)
      recorder.record_skip({"content", s.relative, s.reason});
  }
  const ResumedPlan resumed = resume(o, planned, journal, recorder);
  summary.resumed_contents = resumed.done;
  if (resumed.done > 0)
    log::info(str_cat("resuming: ", resumed.done, " content images done by an earlier run, ",
                      resumed.remaining.size(), " to do"));
  ThreadPool workers(worker_count(o.threads));
  std::vector<cv::Mat> crops(resumed.remaining.size());  // those a spectrum pass kept; empty: decode
  bool recorded = false;                                 // the spectrum is the folder's record already
  if (o.variant == DeriveVariant::kPowerEqualise && data.mean_amplitude.empty() &&
      !resumed.remaining.empty()) {
    data.mean_amplitude = recorded_spectrum(o);
    recorded = !data.mean_amplitude.empty();
    if (!recorded)
      data.mean_amplitude = mean_amplitude_spectrum(o, in.contents, resumed.remaining, crops, workers);
  }
  // Recorded beside the outputs (verify counts it as a record), for --spectrum to read back.
  if (!data.mean_amplitude.empty() && !recorded)
    write_spectrum_file(o.out_dir / kSpectrumFileName, data.mean_amplitude, o.shard.label());
  try {
    summary.skipped +=
        derive_remaining(o, resumed.remaining, crops, classes, data, workers, recorder, summary.written);
  } catch (const std::exception& e) {
    throw std::runtime_error(str_cat(e.what(), "; the outputs written so far are kept and recorded: fix the ",
                                     "cause and run the same command again to resume"));
  }
  summary.stop_signal = stop_signal();
  summary.seconds = std::chrono::duration<double>(Clock::now() - start).count();
  recorder.write_summary(summary_json(o, summary, in.settings));
  return summary;
}

}  // namespace sinforge
