// `sinforge run`, start to end: validate, load weights, scan, encode the paintings once (style_bank), plan
// the pairs and names (plan), stylize the contents (stylizer) and write (output_writer).
#include "sinforge/pipeline/run.h"

#include <torch/headeronly/version.h>

#include <algorithm>
#include <chrono>
#include <map>
#include <memory>
#include <optional>
#include <tuple>

#include "sinforge/core/device.h"
#include "sinforge/core/error.h"
#include "sinforge/core/log.h"
#include "sinforge/core/stop.h"
#include "sinforge/core/thread_pool.h"
#include "sinforge/image/tar_source.h"
#include "sinforge/model/device_memory.h"
#include "sinforge/model/session.h"
#include "sinforge/model/style_bank.h"
#include "sinforge/output/folder_sink.h"
#include "sinforge/output/output_writer.h"
#include "sinforge/output/tar_sink.h"
#include "sinforge/output/webdataset.h"
#include "sinforge/pipeline/run_recipe.h"
#include "sinforge/pipeline/stylizer.h"
#include "sinforge/plan/cue_conflict_plan.h"
#include "sinforge/plan/output_plan.h"
#include "sinforge/plan/pairs_file.h"
#include "sinforge/plan/scan.h"
#include "sinforge/plan/shard.h"
#include "sinforge/plan/tar_scan.h"
#include "sinforge/records/records.h"
#include "sinforge/records/resume.h"
#include "sinforge/records/run_settings.h"
#include "sinforge/records/style_bank_cache.h"
#include "sinforge/records/tar_resume.h"
#include "sinforge/weights/weights.h"

namespace sinforge {
namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

bool starts_with_path(const fs::path& a, const fs::path& b) {
  auto ai = a.begin();
  for (auto bi = b.begin(); bi != b.end(); ++bi, ++ai) {
    if (bi->empty()) continue;  // trailing separator
    if (ai == a.end() || *ai != *bi) return false;
  }
  return true;
}

// Whether the scan of outer could reach inner: by the resolved paths, and by the paths as written, since the
// scan follows symlinked folders (content/linked/out resolves elsewhere but is scanned as content).
bool is_inside(const fs::path& inner, const fs::path& outer) {
  std::error_code ec;
  if (starts_with_path(fs::weakly_canonical(inner, ec), fs::weakly_canonical(outer, ec))) return true;
  return starts_with_path(fs::absolute(inner, ec).lexically_normal(),
                          fs::absolute(outer, ec).lexically_normal());
}

double seconds_between(Clock::time_point a, Clock::time_point b) {
  return std::chrono::duration<double>(b - a).count();
}
double seconds_since(Clock::time_point t) { return seconds_between(t, Clock::now()); }

// The summary record: counts, timings per stage, settings, versions and the weights' digests.
nlohmann::json summary_json(const RunOptions& o, const RunSummary& s, const nlohmann::json& stage_seconds,
                            const nlohmann::json& settings) {
  nlohmann::json j;
  j["counts"] = {{"content_images", s.contents},           {"contents_resumed", s.resumed_contents},
                 {"paintings_usable", s.paintings},        {"outputs_written", s.written},
                 {"contents_skipped", s.skipped_contents}, {"paintings_skipped", s.skipped_paintings}};
  j["seconds"] = stage_seconds;
  j["seconds"]["total"] = s.seconds;
  j["stopped_by_signal"] = s.stop_signal;
  j["shard"] = {{"index", o.shard.index}, {"count", o.shard.count}};
  j["images_per_second"] = s.seconds > 0 ? static_cast<double>(s.written) / s.seconds : 0.0;
  j["paintings_per_second"] = s.paintings_per_second;
  j["batching"] = {{"batches", s.batching.batches},
                   {"images", s.batching.images},
                   {"full_batches", s.batching.full_batches},
                   {"images_in_full_batches", s.batching.images_in_full_batches},
                   {"fill", s.batching.fill()}};
  j["settings"] = recipe_settings(o);
  // What chose each content's paintings: the seed's draw, or the --pairs map (its file and digest).
  j["settings"]["pairing"] = !o.pairs_file.empty() ? "pairs" : o.cue_conflict ? "cue-conflict" : "seed";
  if (!o.pairs_file.empty())
    j["settings"]["pairs"] = {{"file", o.pairs_file.string()}, {"digest", settings.value("pairs", "")}};
  j["settings"]["content"] = o.content_dir.string();
  j["settings"]["styles"] = o.styles_dir.string();
  j["settings"]["out"] = o.out_dir.string();
  j["settings"]["quality"] = o.output.encoding.jpeg_quality;
  if (o.output.encoding.format == ImageFormat::kPng) j["settings"]["png_level"] = o.output.encoding.png_level;
  j["settings"]["device"] = o.session.device;
  j["settings"]["batch_size"] = s.batch_size;
  j["settings"]["output_layout"] = to_string(o.output.layout);
  if (o.output.layout == OutputLayout::kWebDataset) {
    j["settings"]["tar_size"] = o.output.tar_size;
    j["settings"]["tar_prefix"] = o.output.tar_prefix;
  }
  j["versions"] = {{"sinforge", SINFORGE_VERSION}, {"libtorch", TORCH_VERSION}};
  j["weights"] = {{"vgg", o.vgg.string()},
                  {"vgg_sha256", settings["vgg_sha256"]},
                  {"decoder", o.decoder.string()},
                  {"decoder_sha256", settings["decoder_sha256"]}};
  return j;
}

// The bank file a run reuses or builds: --style-bank, else a top-level file of the output folder (a folder
// there would read as one more class to ImageFolder).
fs::path style_bank_file(const RunOptions& o) {
  return o.style_bank.empty() ? o.out_dir / kDefaultStyleBankName : o.style_bank;
}

BankRequest style_bank_request(const RunOptions& o, const std::vector<fs::path>& paintings,
                               const std::string& vgg_sha256) {
  BankRequest request;
  request.named_explicitly = !o.style_bank.empty();
  request.file = style_bank_file(o);
  request.styles_dir = o.styles_dir;
  request.found = paintings;
  request.key = make_bank_key_with_digest(o.styles_dir, paintings, vgg_sha256, o.session.precision, o.style);
  request.temporary_owner = o.shard.label();
  return request;
}

void validate_out_dir(const RunOptions& o) {
  if (o.out_dir.empty()) throw UsageError("--out is required");
  if (fs::exists(o.out_dir) && !fs::is_directory(o.out_dir)) {
    throw UsageError(str_cat("--out ", o.out_dir.string(), " exists and is not a folder"));
  }
  if (is_inside(o.out_dir, o.content_dir) || is_inside(o.out_dir, o.styles_dir)) {
    throw UsageError("--out must not lie inside --content or --styles (a rerun would read its own outputs)");
  }
}

// Prepares the output folder for a rerun, builds the sink of the layout and resumes the plan: what is left
// to do. The folder layout: its files are the truth (resume.h); the webdataset layout: its committed tars
// (tar_resume.h).
struct OutputSetup {
  std::unique_ptr<OutputWriter> writer;
  std::unique_ptr<OutputSink> sink;
  ResumeResult resumed;
};

void clear_for_overwrite(const RunOptions& o) {
  fs::remove(manifest_path(o.out_dir, o.shard));
  fs::remove(skipped_path(o.out_dir, o.shard));
  if (o.output.layout == OutputLayout::kWebDataset)
    remove_tar_series(o.out_dir, o.output.tar_prefix, o.shard.index);
}

OutputSetup resume_folder(const RunOptions& o, const std::vector<PlannedContent>& planned,
                          const std::vector<fs::path>& paintings, const Journal& journal,
                          RunRecorder& recorder, size_t threads) {
  OutputSetup setup;
  setup.resumed = {planned, 0, 0, {}};
  if (!o.overwrite) setup.resumed = resume_plan(planned, paintings, o.out_dir, journal, recorder);
  setup.writer = std::make_unique<OutputWriter>(threads, o.output.encoding);
  setup.sink = std::make_unique<FolderSink>(o.out_dir, *setup.writer, recorder);
  return setup;
}

OutputSetup resume_tars(const RunOptions& o, const std::vector<PlannedContent>& planned,
                        const std::vector<fs::path>& contents, Journal& journal, RunRecorder& recorder,
                        size_t threads) {
  const std::vector<std::string> classes = class_names(contents);  // every shard: the whole list
  write_classes(o.out_dir, classes, o.shard.label());
  rerecord_committed_tars(o.out_dir, o.output.tar_prefix, o.shard, journal, recorder);
  OutputSetup setup;
  setup.resumed = resume_tar_plan(planned, journal);
  TarSinkOptions t;
  t.out_dir = o.out_dir;
  t.prefix = o.output.tar_prefix;
  t.shard = o.shard.index;
  t.first_number = next_tar_number(o.out_dir, o.output.tar_prefix, o.shard.index);
  t.tar_size = o.output.tar_size;
  t.encoding = o.output.encoding;
  t.classes = classes;
  t.seed = o.seed;
  t.alpha = o.alpha;
  setup.sink = std::make_unique<TarSink>(std::move(t), recorder, threads);
  return setup;
}

// What a run reads before it writes anything: the weights, both scans and the settings record. Fails (and
// the output folder is untouched) on missing weights, empty folders or settings that differ from the
// folder's.
struct RunInputs {
  EncoderWeights encoder;
  DecoderWeights decoder;
  std::vector<fs::path> contents;
  std::vector<fs::path> paintings;
  std::optional<ExplicitPairs> pairs;  // --pairs, checked against both scans
  std::optional<TarScan> tars;         // --content tar shards: contents are its samples' relative paths
  nlohmann::json settings;             // output_settings (run_recipe.h)
  // Named like images but no regular files (FIFOs, sockets, devices): never opened, reported as skipped.
  std::vector<SkippedInput> special_files;
};

RunInputs load_run_inputs(const RunOptions& o) {
  ScanResult styles = scan_tree(o.styles_dir, o.extensions);
  RunInputs in{load_encoder_weights(o.vgg),
               load_decoder_weights(o.decoder),
               {},
               std::move(styles.images),
               {},
               {},
               {},
               {}};
  std::vector<SpecialFile> content_special;
  if (names_tar_shards(o.content_dir.string())) {
    in.tars = scan_content_tars(o);
    for (const TarSample& s : in.tars->samples) in.contents.push_back(s.relative);
  } else {
    ScanResult content = scan_tree(o.content_dir, o.extensions);
    in.contents = std::move(content.images);
    content_special = std::move(content.special);
  }
  for (const SpecialFile& s : content_special) {
    log::warn(str_cat("content image skipped: ", (o.content_dir / s.relative).string(), ": ", s.reason));
    in.special_files.push_back({"content", s.relative, s.reason});
  }
  for (const SpecialFile& s : styles.special) {
    log::warn(str_cat("painting skipped: ", (o.styles_dir / s.relative).string(), ": ", s.reason));
    in.special_files.push_back({"painting", s.relative, s.reason});
  }
  if (in.contents.empty()) throw UsageError("--content " + o.content_dir.string() + ": no images found");
  if (o.output.layout == OutputLayout::kWebDataset) require_class_folders(in.contents);
  if (in.paintings.size() < o.num_styles) {
    throw UsageError(str_cat("--styles ", o.styles_dir.string(), " holds ", in.paintings.size(),
                             " images, fewer than --num-styles ", o.num_styles));
  }
  if (o.cue_conflict) check_cue_conflict_inputs(in.contents, in.paintings, o.num_styles);
  if (!o.pairs_file.empty()) {
    in.pairs = read_pairs_file(o.pairs_file);
    check_pairs_known(*in.pairs, in.contents, in.paintings);
  }
  in.settings = output_settings(o, sha256_hex(o.vgg), sha256_hex(o.decoder), in.paintings,
                                in.pairs ? pairs_digest(*in.pairs) : "");
  check_settings(o.out_dir, in.settings, o.overwrite);  // before any work: exit 2 naming what differs
  return in;
}

// The paintings' statistics, from the bank file or encoded now; their counts and rate go into summary.
StyleBank encode_paintings(const RunOptions& o, const RunInputs& in, const StyleNetwork& net,
                           ThreadPool& decoders, std::vector<SkippedInput>& skipped, RunSummary& summary) {
  StyleBank bank =
      obtain_style_bank(style_bank_request(o, in.paintings, in.settings["vgg_sha256"].get<std::string>()),
                        net, decoders, skipped);
  summary.paintings = bank.paintings.size();
  if (bank.encode_seconds > 0)
    summary.paintings_per_second = static_cast<double>(in.paintings.size()) / bank.encode_seconds;
  summary.skipped_paintings = skipped.size();
  if (bank.paintings.size() < o.num_styles) {
    throw std::runtime_error(str_cat("only ", bank.paintings.size(), " of ", in.paintings.size(),
                                     " paintings could be read: fewer than --num-styles ", o.num_styles));
  }
  return bank;
}

// The seeded draw, the cue-conflict draw (numbered by the scanned paintings), or with --pairs the listed
// pairs. A listed painting that could not be read is already in the skipped record as a painting; its
// pairs are left out with a warning, not recorded as skipped contents, since resume takes a skipped content
// for done and the content may have other paintings.
std::vector<PlannedContent> plan_contents(const RunOptions& o, const RunInputs& in,
                                          const std::vector<fs::path>& usable_paintings) {
  const bool png = o.output.encoding.format == ImageFormat::kPng;
  if (o.cue_conflict)
    return plan_cue_conflict_outputs(in.contents, in.paintings, usable_paintings,
                                     {o.seed, o.num_styles, png});
  if (!in.pairs) return plan_outputs(in.contents, usable_paintings, {o.seed, o.num_styles, png});
  std::vector<std::pair<std::string, std::string>> dropped;
  std::vector<PlannedContent> planned =
      plan_listed_outputs(in.contents, usable_paintings, *in.pairs, png, &dropped);
  if (!dropped.empty()) {
    log::warn(str_cat("--pairs: ", dropped.size(), " listed pair", dropped.size() == 1 ? "" : "s",
                      " left out: the painting could not be used (see the skipped record); the first: ",
                      dropped.front().first, " with ", dropped.front().second));
  }
  return planned;
}

// Each planned sample of a tar shard named by "<tar>:<member>" in messages and the skipped record, and
// given its key, which the webdataset layout keeps. Over the whole plan: check_unique_keys needs every key.
void name_tar_sources(const TarScan& scan, std::vector<PlannedContent>& planned) {
  std::map<std::string, const TarSample*> sample_of;
  for (const TarSample& s : scan.samples) sample_of.emplace(s.relative.generic_string(), &s);
  for (PlannedContent& p : planned) {
    const TarSample& s = *sample_of.at(p.relative.generic_string());
    p.source = tar_member_label(scan.tars[s.tar], s.member);
    p.key = s.key;
  }
}

// Readies the output folder: clears what a killed run left (temporaries of outputs and records; everything
// of this shard with --overwrite), reads the journal of earlier runs and records the settings. Before the
// recorder opens its files, since --overwrite removes them.
Journal prepare_out_dir(const RunOptions& o, const RunInputs& in,
                        const std::vector<PlannedContent>& planned) {
  remove_stale_record_temporaries(o.out_dir, o.shard, style_bank_file(o));
  if (o.output.layout == OutputLayout::kWebDataset) {
    remove_stale_tar_temporaries(o.out_dir, o.output.tar_prefix, o.shard.index);
  } else {
    remove_stale_temporaries(o.out_dir, planned);
  }
  if (o.overwrite) clear_for_overwrite(o);  // a fresh journal for this shard: every output recomputed
  Journal journal = o.overwrite ? Journal{} : read_journal(o.out_dir);
  write_settings(o.out_dir, in.settings, o.shard.label());
  return journal;
}

// Records the skipped paintings and special files not yet recorded and resumes the plan in the layout's way.
OutputSetup resume_output(const RunOptions& o, const RunInputs& in,
                          const std::vector<PlannedContent>& planned,
                          const std::vector<fs::path>& usable_paintings,
                          const std::vector<SkippedInput>& skipped_paintings, Journal& journal,
                          RunRecorder& recorder, size_t threads) {
  for (const std::vector<SkippedInput>* skipped : {&skipped_paintings, &in.special_files}) {
    for (const SkippedInput& s : *skipped) {
      if (journal.recorded_skips.count({s.kind, s.path.generic_string()}) == 0) recorder.record_skip(s);
    }
  }
  // The tars' bad members and breaks: each recorded once, by the shard its label falls in.
  for (const TarProblem& p : in.tars ? in.tars->problems : std::vector<TarProblem>{}) {
    if (in_shard(p.where, o.shard) && journal.recorded_skips.count({"content", p.where}) == 0)
      recorder.record_skip({"content", p.where, p.reason});
  }
  OutputSetup output = o.output.layout == OutputLayout::kWebDataset
                           ? resume_tars(o, planned, in.contents, journal, recorder, threads)
                           : resume_folder(o, planned, usable_paintings, journal, recorder, threads);
  if (output.resumed.contents_done > 0) {
    log::info(str_cat("resuming: ", output.resumed.contents_done, " content images done by an earlier run, ",
                      output.resumed.remaining.size(), " to do"));
  }
  return output;
}

// Tar shards stream: the contents left to do in their tars' order, the tars interleaved (each tar's first
// image, then each one's second, ...) so that the decode pool reads several tars at once; the reader of
// those items (tar_source.h). Interleaved in groups of `streams` tars, one group after the other: a tar's
// stream stays open from its first item to its last, and 1,024 open at once would exhaust the open-file
// limit and hold a read buffer each.
std::unique_ptr<TarContentSource> order_for_tars(const TarScan& scan, size_t streams,
                                                 std::vector<PlannedContent>& remaining) {
  std::map<std::string, const TarSample*> sample_of;
  for (const TarSample& s : scan.samples) sample_of.emplace(s.relative.generic_string(), &s);
  std::vector<std::pair<const TarSample*, PlannedContent>> keyed;
  for (PlannedContent& p : remaining)
    keyed.emplace_back(sample_of.at(p.relative.generic_string()), std::move(p));
  const size_t group = std::max<size_t>(streams, 1);
  std::stable_sort(keyed.begin(), keyed.end(), [group](const auto& a, const auto& b) {
    return std::tuple(a.first->tar / group, a.first->ordinal, a.first->tar) <
           std::tuple(b.first->tar / group, b.first->ordinal, b.first->tar);
  });
  remaining.clear();
  std::vector<TarContentSource::Item> items;
  for (auto& [sample, p] : keyed) {
    items.push_back({sample->tar, sample->member});
    remaining.push_back(std::move(p));
  }
  return std::make_unique<TarContentSource>(scan.tars, items);
}

// The stylizer over what is left to do; returns how many contents were skipped. An error keeps what was
// written and says how to resume.
size_t stylize_remaining(const RunOptions& o, const RunInputs& in, OutputSetup& output, const StyleBank& bank,
                         const StyleNetwork& net, ThreadPool& decoders, RunRecorder& recorder,
                         RunSummary& summary) {
  std::unique_ptr<TarContentSource> tar_source;
  if (in.tars) tar_source = order_for_tars(*in.tars, decoders.size(), output.resumed.remaining);
  StylizeSettings settings{o.content_dir, o.content, o.alpha, summary.batch_size,
                           std::move(output.resumed.existing_outputs)};
  settings.tar_source = tar_source.get();
  settings.batching = &summary.batching;
  settings.progress_mode = o.progress_interval > 0 ? progress_mode_for_stderr() : ProgressMode::kOff;
  settings.progress_interval = o.progress_interval;
  try {
    return stylize_contents(output.resumed.remaining, bank, net, settings, decoders, *output.sink, recorder);
  } catch (const std::exception& e) {
    throw std::runtime_error(str_cat(e.what(), "; the outputs written so far are kept and recorded: fix the ",
                                     "cause and run the same command again to resume"));
  }
}

}  // namespace

TarScan scan_content_tars(const RunOptions& o) {
  std::optional<std::vector<std::string>> classes;
  if (!o.classes_file.empty()) classes = read_class_names(o.classes_file);
  ThreadPool pool(worker_count(o.session.threads));
  TarScan scan = scan_tars(expand_tar_spec(o.content_dir.string()), o.extensions, classes, pool);
  if (o.output.layout == OutputLayout::kWebDataset) leave_out_shared_keys(scan);  // its outputs keep the keys
  log::info(str_cat("--content: ", scan.samples.size(), " samples in ", scan.tars.size(), " tars",
                    scan.problems.empty() ? "" : str_cat(", ", scan.problems.size(), " problems")));
  for (const TarProblem& p : scan.problems) log::warn(str_cat("content skipped: ", p.where, ": ", p.reason));
  return scan;
}

void validate_inputs(const RunOptions& o) {
  if (o.content_dir.empty()) throw UsageError("--content is required");
  if (names_tar_shards(o.content_dir.string())) {
    expand_tar_spec(o.content_dir.string());  // every named tar exists
  } else if (!o.classes_file.empty()) {
    throw UsageError("--classes names the classes of tar shards' .cls members; --content is a folder tree");
  }
  for (const auto& [dir, flag] :
       {std::pair{o.content_dir, "--content"}, std::pair{o.styles_dir, "--styles"}}) {
    if (dir.empty()) throw UsageError(str_cat(flag, " is required"));
    if (flag == std::string("--content") && names_tar_shards(dir.string())) continue;
    if (!fs::is_directory(dir)) throw UsageError(str_cat(flag, " ", dir.string(), ": no such folder"));
  }
  if (o.extensions.empty()) throw UsageError("--extensions names no extension");
}

void validate_recipe(const RunOptions& o) {
  if (!(o.alpha >= 0.f && o.alpha <= 1.f))
    throw UsageError(str_cat("--alpha must lie in [0, 1], got ", o.alpha));
  if (o.content.size < 0) throw UsageError("--content-size must be 0 (keep) or positive");
  if (o.style.size < 0) throw UsageError("--style-size must be 0 (keep) or positive");
  if (o.content.crop < 0) throw UsageError("--crop must be 0 (none) or positive");
  if (o.content.crop > 0 && o.content.crop < kMinImageSide)
    throw UsageError(str_cat("--crop must be at least ", kMinImageSide));
}

void validate(const RunOptions& o) {
  validate_inputs(o);
  validate_out_dir(o);
  if (o.num_styles < 1) throw UsageError("--num-styles must be at least 1");
  if (!o.pairs_file.empty()) {
    if (!fs::is_regular_file(o.pairs_file))
      throw UsageError(str_cat("--pairs ", o.pairs_file.string(), ": no such file"));
    if (o.num_styles != 1)
      throw UsageError("--pairs fixes each content's paintings; --num-styles cannot be given with it");
    if (o.cue_conflict)
      throw UsageError("--pairs fixes each content's paintings; --cue-conflict cannot be given with it");
  }
  if (o.cue_conflict && o.output.layout == OutputLayout::kWebDataset)
    throw UsageError("--cue-conflict names files as shape-bias --stimuli reads them: the folder layout only");
  validate_recipe(o);
  if (o.content.output_size < 0) throw UsageError("--output-size must be 0 (keep) or positive");
  if (o.content.output_size > 0 && o.content.crop == 0)
    throw UsageError("--output-size needs --crop: it shrinks the square result to NxN");
  if (!o.style_bank.empty() && fs::is_directory(o.style_bank))
    throw UsageError(str_cat("--style-bank ", o.style_bank.string(), " is a folder; it names a file"));
  if (o.style.min_size < 0) throw UsageError("--style-min-size must be 0 (none) or positive");
  validate_encode_flags(o.output.encoding);
  if (o.batch_size < 0) throw UsageError("--batch-size must be auto or at least 1");
  if (!(o.progress_interval >= 0)) throw UsageError("--progress-interval must be 0 (none) or positive");
  if (o.output.layout == OutputLayout::kWebDataset)
    validate_webdataset_flags(o.output.tar_size, o.output.tar_prefix);
  check_session_options(o.session);
}

RunSummary run_stylize(const RunOptions& o) {
  const auto start = Clock::now();
  validate(o);
  // Everything that can fail on bad input fails here, before the output folder is touched.
  const RunInputs in = load_run_inputs(o);
  const Session session(o.session, in.encoder, in.decoder);
  log::info(str_cat("sinforge ", SINFORGE_VERSION, ": ", in.contents.size(), " content images, ",
                    in.paintings.size(), " paintings, device ", session.device().str(), ", ",
                    to_string(o.session.precision)));
  RunSummary summary;
  summary.contents = in.contents.size();

  const auto styles_start = Clock::now();
  ThreadPool decoders(session.threads());
  std::vector<SkippedInput> skipped_paintings;
  const StyleBank bank = encode_paintings(o, in, session.network(), decoders, skipped_paintings, summary);
  const double styles_seconds = seconds_since(styles_start);
  // The plan covers every content image (names and keys depend on the whole list), then keeps this shard's.
  std::vector<PlannedContent> all_planned = plan_contents(o, in, bank.paintings);
  if (in.tars) name_tar_sources(*in.tars, all_planned);
  if (in.tars && o.output.layout == OutputLayout::kWebDataset) check_unique_keys(all_planned);
  std::vector<PlannedContent> planned = select_shard(std::move(all_planned), o.shard);

  Journal journal = prepare_out_dir(o, in, planned);
  RunRecorder recorder(o.out_dir, o.shard, o.output.layout == OutputLayout::kWebDataset);
  OutputSetup output =
      resume_output(o, in, planned, bank.paintings, skipped_paintings, journal, recorder, session.threads());
  summary.resumed_contents = output.resumed.contents_done;
  const auto contents_start = Clock::now();
  summary.batch_size = o.batch_size > 0 ? o.batch_size : default_batch_size(session.device());
  summary.skipped_contents =
      stylize_remaining(o, in, output, bank, session.network(), decoders, recorder, summary);
  for (const TarProblem& p : in.tars ? in.tars->problems : std::vector<TarProblem>{})
    summary.skipped_contents += in_shard(p.where, o.shard) ? 1 : 0;
  for (const SkippedInput& s : in.special_files)
    ++(s.kind == "content" ? summary.skipped_contents : summary.skipped_paintings);
  summary.written = output.sink->written();
  summary.stop_signal = stop_signal();
  summary.seconds = seconds_since(start);
  recorder.write_summary(summary_json(o, summary,
                                      {{"load_and_scan", seconds_between(start, styles_start)},
                                       {"paintings", styles_seconds},
                                       {"contents", seconds_since(contents_start)},
                                       {"journal_flush", recorder.flush_seconds()}},
                                      in.settings));
  return summary;
}

}  // namespace sinforge
