// `sinforge bench` (see bench.h). Every figure is a Google Benchmark: CPU stages timed by the wall clock, GPU
// stages by device events (manual time), items (images) per second and bytes per second as counters.
#include "sinforge/tools/bench.h"

#include "bench_derive.h"
#include "bench_harness.h"

#include <benchmark/benchmark.h>
#include <c10/core/Event.h>
#include <c10/core/InferenceMode.h>
#include <c10/core/impl/VirtualGuardImpl.h>

#include <algorithm>
#include <chrono>
#include <fstream>
#include <future>
#include <iomanip>
#include <map>
#include <memory>
#include <opencv2/imgproc.hpp>
#include <random>
#include <sstream>

#include "sinforge/core/atomic_file.h"
#include "sinforge/core/device.h"
#include "sinforge/core/error.h"
#include "sinforge/core/log.h"
#include "sinforge/core/thread_pool.h"
#include "sinforge/image/image_io.h"
#include "sinforge/image/recipe.h"
#include "sinforge/image/tensor_image.h"
#include "sinforge/model/device_memory.h"
#include "sinforge/model/ops/adain.h"
#include "sinforge/model/session.h"
#include "sinforge/model/style_bank.h"
#include "sinforge/output/folder_sink.h"
#include "sinforge/output/output_writer.h"
#include "sinforge/output/tar_file.h"
#include "sinforge/output/webdataset.h"
#include "sinforge/pipeline/stylizer.h"
#include "sinforge/plan/output_plan.h"
#include "sinforge/plan/scan.h"
#include "sinforge/records/records.h"
#include "sinforge/weights/random_weights.h"
#include "sinforge/weights/weights.h"

namespace sinforge {
namespace {

namespace fs = std::filesystem;
using namespace bench;  // the harness (bench_harness.h)

// The recipes' shapes: ImageNet's typical 500x375 input, and what each recipe makes of it.
struct RecipeSpec {
  std::string name;
  ContentRecipe recipe;
  ImageFormat format;
  int out_w, out_h;  // the network's input and output size
};

const std::vector<RecipeSpec>& all_recipes() {
  static const std::vector<RecipeSpec> recipes = {
      {"sin224", ContentRecipe{256, 224}, ImageFormat::kPng, 224, 224},
      {"full", ContentRecipe{0, 0}, ImageFormat::kJpeg, 500, 375},
      // sin64 stylizes at 224 like sin224, then shrinks the result to 64x64 (recipe.h: output_size).
      {"sin64", ContentRecipe{256, 224, 64}, ImageFormat::kPng, 224, 224}};
  return recipes;
}

constexpr int kInputW = 500, kInputH = 375;
// The paintings' seed (the content's, kMixedContentSeed, is the harness's): the bench's figures and
// write_bench_data's files are the same images.
constexpr uint32_t kPaintingSeed = 77;
constexpr uint32_t kLayoutImages = 64;  // images per iteration of the output layout figures

double total_bytes(const std::vector<std::vector<uint8_t>>& images) {
  double n = 0;
  for (const auto& i : images) n += static_cast<double>(i.size());
  return n;
}

struct Data {
  at::Device device = at::kCPU;
  int mixed_images = 12;
  int paintings = 4;
  std::vector<std::vector<uint8_t>> jpegs;  // content files' bytes
  std::vector<cv::Mat> decoded;
  const StyleNetwork* net = nullptr;  // the session's (run_bench holds the session while figures run)
  std::unique_ptr<StyleNetwork>
      net_fused;                     // on a GPU: the same weights with NetworkOptions::fuse_reflect_pad
  at::Tensor style_mean, style_std;  // [8, 512] on the device
  fs::path scratch;
  int batch = 1;
  int threads = 1;
  int e2e_images = 2;
};

class Collector : public benchmark::BenchmarkReporter {
 public:
  bool ReportContext(const Context&) override { return true; }
  void ReportRuns(const std::vector<Run>& runs) override {
    for (const Run& r : runs) {
      const std::string name = r.run_name.function_name;
      if (r.error_occurred) {
        errors[name] = r.error_message;
        continue;
      }
      BenchFigure& f = figures[name];
      f.name = name;
      f.repetitions = static_cast<int>(r.repetitions);
      const auto counter = [&](const char* key) {
        const auto it = r.counters.find(key);
        return it == r.counters.end() ? 0.0 : static_cast<double>(it->second.value);
      };
      if (r.run_type == Run::RT_Aggregate) {
        if (r.aggregate_name == "median") {
          f.seconds = r.GetAdjustedRealTime();
          f.cpu_seconds = r.GetAdjustedCPUTime();
          f.images_per_second = counter("items_per_second");
          f.bytes_per_second = counter("bytes_per_second");
          f.batch_fill = counter("batch_fill");
        } else if (r.aggregate_name == "stddev") {
          f.seconds_stddev = r.GetAdjustedRealTime();
        }
      } else if (r.repetitions <= 1) {
        f.seconds = r.GetAdjustedRealTime();
        f.cpu_seconds = r.GetAdjustedCPUTime();
        f.images_per_second = counter("items_per_second");
        f.bytes_per_second = counter("bytes_per_second");
        f.batch_fill = counter("batch_fill");
        f.iterations = r.iterations;
      } else {
        f.iterations = r.iterations;
      }
    }
  }
  std::map<std::string, BenchFigure> figures;
  std::map<std::string, std::string> errors;
  std::vector<std::string> order;
};

void load_content(Data& data, const fs::path& dir) {
  const std::vector<fs::path> files = scan_images(dir, default_extensions());
  for (const fs::path& f : files) {
    if (data.jpegs.size() >= 32) break;
    std::ifstream in(dir / f, std::ios::binary);
    data.jpegs.emplace_back(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  }
  if (data.jpegs.empty()) throw UsageError("--content " + dir.string() + ": no images found");
}

// stylize_contents over names (in content) into a fresh folder per iteration, timed by the wall clock;
// images per second, and how full the batches were.
void stylize_timed(benchmark::State& st, const Data& data, const RecipeSpec& spec, const fs::path& content,
                   const std::vector<fs::path>& names, const std::string& out_name) {
  std::vector<fs::path> paintings;
  for (int64_t s = 0; s < data.style_mean.size(0); ++s)
    paintings.emplace_back("p" + std::to_string(s) + ".jpg");
  StyleBank bank;
  bank.paintings = paintings;
  bank.mean = data.style_mean;
  bank.std = data.style_std;
  const std::vector<PlannedContent> planned =
      plan_outputs(names, paintings, {0, 1, spec.format == ImageFormat::kPng});
  ThreadPool decoders(static_cast<size_t>(data.threads));
  int run = 0;
  BatchingStats batching;
  timed_loop(st, at::kCPU, static_cast<double>(names.size()), 0, [&] {
    const fs::path out = data.scratch / out_name / std::to_string(run++);
    OutputWriter writer(static_cast<size_t>(data.threads), {spec.format});
    RunRecorder recorder(out, ShardId{});
    FolderSink sink(out, writer, recorder);
    StylizeSettings settings;
    settings.content_dir = content;
    settings.recipe = spec.recipe;
    settings.batch_size = data.batch;
    settings.batching = &batching;
    stylize_contents(planned, bank, *data.net, settings, decoders, sink, recorder);
    std::error_code ec;
    fs::remove_all(out, ec);  // the disk holds one iteration's outputs at a time
  });
  st.counters["batch_fill"] = batching.fill();
}

// One recipe's figures share its prepared batch (as the network gets it) and a style index per sample.
struct RecipeFigures {
  std::shared_ptr<Data> data;
  RecipeSpec spec;
  std::string prefix;  // "<recipe>/"
  std::vector<cv::Mat> prepared;
  int w = 0, h = 0;
  at::Tensor index;
};

RecipeFigures prepare_recipe_figures(const std::shared_ptr<Data>& data, const RecipeSpec& spec) {
  RecipeFigures r{data, spec, spec.name + "/", {}, 0, 0, {}};
  for (int b = 0; b < data->batch; ++b)
    r.prepared.push_back(
        prepare_content(data->decoded[static_cast<size_t>(b) % data->decoded.size()], spec.recipe));
  r.w = r.prepared[0].cols;
  r.h = r.prepared[0].rows;
  r.index = at::randint(0, data->style_mean.size(0), {data->batch}, at::kLong).to(data->device);
  return r;
}

// Decoding and the recipe's preprocessing, one image at a time on one thread.
void register_decoding(Registrar& reg, const RecipeFigures& r) {
  const std::shared_ptr<Data>& data = r.data;
  const RecipeSpec& spec = r.spec;
  const std::string& p = r.prefix;
  reg.add(p + "decode", [data](benchmark::State& st) {
    size_t i = 0;
    timed_loop(st, at::kCPU, 1, 0, [&] {
      const auto& bytes = data->jpegs[i++ % data->jpegs.size()];
      benchmark::DoNotOptimize(decode_image(bytes, "bench"));
    });
  });
  reg.add(p + "preprocess", [data, spec](benchmark::State& st) {
    size_t i = 0;
    timed_loop(st, at::kCPU, 1, 0, [&] {
      const cv::Mat m = prepare_content(data->decoded[i++ % data->decoded.size()], spec.recipe);
      benchmark::DoNotOptimize(images_to_tensor({m}));
    });
  });
  // The host's share of preprocessing in a GPU run: resize, crop and the copy into the upload batch; the
  // conversion to float is the GPU's (stylizer.cpp).
  reg.add(p + "preprocess_rgb8", [data, spec](benchmark::State& st) {
    size_t i = 0;
    timed_loop(st, at::kCPU, 1, 0, [&] {
      const cv::Mat m = prepare_content(data->decoded[i++ % data->decoded.size()], spec.recipe);
      benchmark::DoNotOptimize(images_to_rgb8({m}, /*pinned=*/false));
    });
  });
}

// Host to GPU: the prepared batch from pinned and pageable memory.
void register_uploads(Registrar& reg, const RecipeFigures& r) {
  const std::shared_ptr<Data>& data = r.data;
  const std::string& p = r.prefix;
  const at::Device device = data->device;
  const int batch = data->batch;
  const std::vector<cv::Mat>& prepared = r.prepared;
  const int w = r.w, h = r.h;
  const double batch_bytes = 4.0 * 3 * w * h * batch;
  if (device.is_cuda()) {
    for (const bool pinned : {true, false}) {
      reg.add(p + (pinned ? "upload_pinned" : "upload_pageable"), [=](benchmark::State& st) {
        const at::Tensor host = images_to_tensor(prepared, pinned);
        timed_loop(st, device, batch, batch_bytes,
                   [&] { benchmark::DoNotOptimize(host.to(device, /*non_blocking=*/pinned)); });
      });
    }
  }
}

// The network on the prepared batch: eager, and on a GPU fused and autotuned.
void register_models(Registrar& reg, const RecipeFigures& r) {
  const std::shared_ptr<Data>& data = r.data;
  const std::string& p = r.prefix;
  const at::Device device = data->device;
  const int batch = data->batch;
  const std::vector<cv::Mat>& prepared = r.prepared;
  const at::Tensor& index = r.index;
  reg.add(p + "model", [=](benchmark::State& st) {
    const at::Tensor input = images_to_tensor(prepared).to(device);
    timed_loop(st, device, batch, 0, [&] {
      const at::Tensor f = data->net->encoder()(input);
      benchmark::DoNotOptimize(data->net->stylize_features(f, data->style_mean, data->style_std, index, 1.f));
    });
  });
  if (device.is_cuda()) {
    // The same with ReLU, upsampling and reflection padding fused into one kernel between convolutions.
    reg.add(p + "model_fused", [=](benchmark::State& st) {
      const at::Tensor input = images_to_tensor(prepared).to(device);
      timed_loop(st, device, batch, 0, [&] {
        const at::Tensor f = data->net_fused->encoder()(input);
        benchmark::DoNotOptimize(
            data->net_fused->stylize_features(f, data->style_mean, data->style_std, index, 1.f));
      });
    });
    // The same with cuDNN's algorithm search on, which runs never do (network.h): the figure that shows
    // whether it would pay for this one fixed shape.
    reg.add(p + "model_autotuned", [=](benchmark::State& st) {
      const at::Tensor input = images_to_tensor(prepared).to(device);
      NetworkOptions tuned = data->net->options();
      tuned.conv_autotune = true;
      apply_conv_algorithm_policy(tuned);
      timed_loop(st, device, batch, 0, [&] {
        const at::Tensor f = data->net->encoder()(input);
        benchmark::DoNotOptimize(
            data->net->stylize_features(f, data->style_mean, data->style_std, index, 1.f));
      });
      apply_conv_algorithm_policy(data->net->options());
    });
  }
}

// The network's output back to bytes: quantized on the device, and the copies to the host.
void register_downloads(Registrar& reg, const RecipeFigures& r) {
  const std::shared_ptr<Data>& data = r.data;
  const std::string& p = r.prefix;
  const at::Device device = data->device;
  const int batch = data->batch;
  const int w = r.w, h = r.h;
  reg.add(p + "postprocess", [=](benchmark::State& st) {
    const at::Tensor out = (at::rand({batch, 3, h, w}) * 1.2 - 0.1).to(device);
    timed_loop(st, device, batch, 0, [&] { benchmark::DoNotOptimize(quantize_to_rgb8(out, w, h)); });
  });
  if (device.is_cuda()) {
    reg.add(p + "download_uint8", [=](benchmark::State& st) {
      const at::Tensor bytes = at::randint(0, 256, {batch, h, w, 3}, at::kByte).to(device);
      const at::Tensor host = at::empty(bytes.sizes(), at::TensorOptions(at::kByte).pinned_memory(true));
      timed_loop(st, device, batch, static_cast<double>(bytes.numel()),
                 [&] { host.copy_(bytes, /*non_blocking=*/true); });
    });
    reg.add(p + "download_fp32", [=](benchmark::State& st) {
      const at::Tensor out = at::rand({batch, 3, h, w}).to(device);
      const at::Tensor host = at::empty(out.sizes(), at::TensorOptions(at::kFloat).pinned_memory(true));
      timed_loop(st, device, batch, static_cast<double>(out.numel() * 4),
                 [&] { host.copy_(out, /*non_blocking=*/true); });
    });
  }
}

// The recipe's output images of the bench's contents, at their sizes (full: each content's own), standing in
// for the network's results: a photo's detail, not a synthetic pattern, is what the encoder meets.
std::vector<cv::Mat> output_images(const Data& data, const RecipeSpec& spec) {
  std::vector<cv::Mat> outputs;
  for (const cv::Mat& content : data.decoded)
    outputs.push_back(finish_output(prepare_content(content, spec.recipe), spec.recipe));
  return outputs;
}

// Encoding and writing one output file. write's cpu ms is its cost to a core; the rest of its time is the
// wait for the disk, which the writer overlaps on its sync threads (output_writer.h).
void register_encoding(Registrar& reg, const RecipeFigures& r) {
  const std::shared_ptr<Data>& data = r.data;
  const RecipeSpec& spec = r.spec;
  const std::string& p = r.prefix;
  reg.add(p + "encode", [=](benchmark::State& st) {
    const std::vector<cv::Mat> outputs = output_images(*data, spec);
    size_t i = 0;
    timed_loop(st, at::kCPU, 1, 0, [&] {
      benchmark::DoNotOptimize(encode_image(outputs[i++ % outputs.size()], spec.format, 75));
    });
  });
  reg.add(p + "write", [=](benchmark::State& st) {
    std::vector<std::vector<uint8_t>> files;
    for (const cv::Mat& m : output_images(*data, spec)) files.push_back(encode_image(m, spec.format, 75));
    size_t i = 0;
    timed_loop(st, at::kCPU, 1, total_bytes(files) / static_cast<double>(files.size()), [&] {
      const size_t k = i++;
      write_file_atomic(data->scratch / "write" / spec.name / (std::to_string(k % 64) + ".out"),
                        files[k % files.size()]);
    });
  });
}

// Writing the two output layouts.
void register_layouts(Registrar& reg, const RecipeFigures& r) {
  const std::shared_ptr<Data>& data = r.data;
  const RecipeSpec& spec = r.spec;
  const std::string& p = r.prefix;
  // The two output layouts on the same 64 encoded images: a file each, written atomically on the writer's
  // pool (folder), against samples appended to one tar on one thread and committed once with its DALI index
  // (webdataset).
  const auto encoded_batch = [spec] {
    std::vector<std::vector<uint8_t>> images;
    for (uint32_t i = 0; i < kLayoutImages; ++i)
      images.push_back(encode_image(synthetic_image(spec.out_w, spec.out_h, 200 + i), spec.format, 75));
    return images;
  };
  reg.add(p + "write_folder_64", [=](benchmark::State& st) {
    const auto images = encoded_batch();
    ThreadPool pool(static_cast<size_t>(data->threads));
    int run = 0;
    timed_loop(st, at::kCPU, kLayoutImages, total_bytes(images), [&] {
      const fs::path dir = data->scratch / "layout-folder" / spec.name / std::to_string(run++);
      std::vector<std::future<void>> done;
      for (size_t i = 0; i < images.size(); ++i)
        done.push_back(pool.submit(
            [&, i] { write_file_atomic(dir / ("img" + std::to_string(i) + ".out"), images[i]); }));
      for (auto& f : done) f.get();
    });
  });
  if (webdataset_available()) {
    reg.add(p + "write_tar_64", [=](benchmark::State& st) {
      const auto images = encoded_batch();
      const std::string ext = spec.format == ImageFormat::kPng ? ".png" : ".jpg";
      int run = 0;
      timed_loop(st, at::kCPU, kLayoutImages, total_bytes(images), [&] {
        const fs::path dir = data->scratch / "layout-tar" / spec.name;
        fs::create_directories(dir);
        TarWriter tar(dir / tar_file_name("bench", 0, static_cast<uint64_t>(run++)));
        for (size_t i = 0; i < images.size(); ++i) {
          const std::string key = "img" + std::to_string(i), cls = "0", json = "{}";
          tar.add(key + ext, images[i]);
          tar.add(key + ".cls", std::span(reinterpret_cast<const uint8_t*>(cls.data()), cls.size()));
          tar.add(key + ".json", std::span(reinterpret_cast<const uint8_t*>(json.data()), json.size()));
        }
        const std::string idx_text = dali_index(tar.members());  // as the tar sink writes it beside each tar
        write_file_atomic(dali_index_path(tar.final_path()),
                          std::span(reinterpret_cast<const uint8_t*>(idx_text.data()), idx_text.size()));
        tar.commit();
      });
    });
  }
}

// AdaIN alone: the kernel against the same in LibTorch ops.
void register_adain(Registrar& reg, const RecipeFigures& r) {
  const std::shared_ptr<Data>& data = r.data;
  const std::string& p = r.prefix;
  const at::Device device = data->device;
  const int batch = data->batch;
  const int w = r.w, h = r.h;
  const at::Tensor& index = r.index;
  // AdaIN alone at this recipe's relu4_1 shape, in the network's dtype and layout.
  const int64_t fh = (h + 7) / 8, fw = (w + 7) / 8;
  const auto dtype = scalar_type(data->net->options().precision);
  const double elem = dtype == at::kFloat ? 4.0 : 2.0;
  const double adain_bytes = 3.0 * batch * 512 * fh * fw * elem;  // read twice (stats, apply), write once
  for (const bool torch_ops : {false, true}) {
    reg.add(p + (torch_ops ? "adain_torch_ops" : "adain_kernel"), [=](benchmark::State& st) {
      at::Tensor x = (at::randn({batch, 512, fh, fw}) * 2 + 1).to(device, dtype);
      if (data->net->options().channels_last) x = x.contiguous(at::MemoryFormat::ChannelsLast);
      timed_loop(st, device, batch, adain_bytes, [&] {
        benchmark::DoNotOptimize(torch_ops
                                     ? detail::adain_aten(x, data->style_mean, data->style_std, index, 1.f)
                                     : adain(x, data->style_mean, data->style_std, index, 1.f));
      });
    });
  }
}

// The whole stylizer, on one size and on ImageNet's mix of sizes.
void register_end_to_end(Registrar& reg, const RecipeFigures& r) {
  const std::shared_ptr<Data>& data = r.data;
  const RecipeSpec& spec = r.spec;
  const std::string& p = r.prefix;
  // End to end: stylize_contents on generated files of the input size, into a fresh folder each time.
  reg.add(p + "end_to_end", [=](benchmark::State& st) {
    const fs::path content = data->scratch / ("content-" + spec.name);
    std::vector<fs::path> names;
    for (int i = 0; i < data->e2e_images; ++i) {
      names.emplace_back("img" + std::to_string(i) + ".jpg");
      write_file_atomic(content / names.back(), data->jpegs[static_cast<size_t>(i) % data->jpegs.size()]);
    }
    stylize_timed(st, *data, spec, content, names, "out-" + spec.name);
  });
  // The same on ImageNet's mix of sizes: batches of one size fill less, and the batch_fill counter says how
  // much less.
  reg.add(p + "end_to_end_mixed", [=](benchmark::State& st) {
    const fs::path content = data->scratch / "content-mixed";
    const std::vector<fs::path> names = write_sized_jpegs(
        content, imagenet_like_sizes(static_cast<size_t>(data->mixed_images), kMixedContentSeed), 5000,
        "img");
    stylize_timed(st, *data, spec, content, names, "out-mixed-" + spec.name);
  });
}

void register_recipe(Registrar& reg, const std::shared_ptr<Data>& data, const RecipeSpec& spec) {
  const RecipeFigures r = prepare_recipe_figures(data, spec);
  register_decoding(reg, r);
  register_uploads(reg, r);
  register_models(reg, r);
  register_downloads(reg, r);
  register_encoding(reg, r);
  register_layouts(reg, r);
  register_adain(reg, r);
  register_end_to_end(reg, r);
}

// The style bank as a run builds it: decode, reduced-scale decode, resize to 512 and encode paintings of
// varied sizes (600-2400 px), paintings per second.
void register_style_bank(Registrar& reg, const std::shared_ptr<Data>& data) {
  reg.add("styles/bank_mixed", [data](benchmark::State& st) {
    const fs::path dir = data->scratch / "paintings-mixed";
    const std::vector<fs::path> found = write_sized_jpegs(
        dir, painting_like_sizes(static_cast<size_t>(data->paintings), kPaintingSeed), 9000, "p");
    ThreadPool pool(static_cast<size_t>(data->threads));
    const StyleRecipe recipe{512, StyleCrop::kNone, ResampleFilter::kBilinear, 0};
    timed_loop(st, at::kCPU, static_cast<double>(found.size()), 0, [&] {
      std::vector<SkippedInput> skipped;
      const StyleBank bank = encode_paintings(dir, found, recipe, *data->net, pool, skipped);
      if (bank.paintings.size() != found.size()) throw std::runtime_error("paintings were skipped");
    });
  });
}

// The device's copy bandwidth (bytes read + bytes written per second): the floor for memory-bound stages.
void register_copy(Registrar& reg, at::Device device) {
  reg.add("memory/copy_256MiB", [device](benchmark::State& st) {
    const int64_t n = int64_t{1} << 26;  // 64 Mi floats
    const at::Tensor a = at::rand({n}).to(device);
    at::Tensor b = at::empty_like(a);
    timed_loop(st, device, 0, 2.0 * 4.0 * static_cast<double>(n), [&] { b.copy_(a); });
  });
}

// The size-bucketed batching on 20,000 ImageNet-like sizes at this batch size, for a range of deadlines:
// what the deadline (QueueDepths::bucket_deadline_batches_*) trades.
std::vector<BatchingFigure> batching_figures(int batch) {
  const std::vector<std::pair<int, int>> sizes = imagenet_like_sizes(20000, 2026);
  std::vector<BatchingFigure> out;
  for (const size_t deadline : {size_t{1}, size_t{4}, size_t{16}, size_t{64}})
    out.push_back({deadline, simulate_batching(sizes, batch, deadline * static_cast<size_t>(batch))});
  return out;
}

void validate(const BenchOptions& o) {
  if (o.vgg.empty() != o.decoder.empty()) throw UsageError("--vgg and --decoder go together");
  if (o.repetitions < 1) throw UsageError("--repetitions must be at least 1");
  if (o.batch_size < 0) throw UsageError("--batch-size must be 0 (default) or positive");
  if (o.mixed_images < 0 || o.paintings < 0)
    throw UsageError("--mixed-images and --paintings must be 0 (default) or positive");
}

SessionOptions session_options(const BenchOptions& o) { return {o.device, o.precision, o.threads, false}; }

// The weight files named, or random weights (calibrated as a test would make them): speed does not depend
// on the values.
std::pair<EncoderWeights, DecoderWeights> bench_weights(const BenchOptions& o, std::string& described) {
  if (o.vgg.empty()) {
    described = "random weights";
    return {random_encoder_weights(1), random_decoder_weights(2)};
  }
  described = "weights " + o.vgg.filename().string() + " + " + o.decoder.filename().string();
  return {load_encoder_weights(o.vgg), load_decoder_weights(o.decoder)};
}

// The sizes of the figures' data: given, or defaults that keep a CPU run short and a GPU busy.
void size_data(const BenchOptions& o, Data& data) {
  const bool gpu = data.device.is_cuda();
  data.batch = o.batch_size > 0 ? o.batch_size : (gpu ? kGpuDefaultBatchSize : 1);
  data.e2e_images = o.end_to_end_images > 0 ? o.end_to_end_images : 2 * data.batch;
  data.mixed_images = o.mixed_images > 0 ? o.mixed_images : (gpu ? 2000 : 12);
  data.paintings = o.paintings > 0 ? o.paintings : (gpu ? 512 : 4);
}

// Eight paintings' statistics, as encode_paintings would make them; and the content files, given or
// synthetic, with their decoded images. Returns what the content is, for the report.
std::string fill_data(const BenchOptions& o, Data& data) {
  {
    const c10::InferenceMode inference;
    const auto [mean, sd] = data.net->style_statistics(
        images_to_tensor({synthetic_image(256, 256, 11), synthetic_image(256, 256, 12)}));
    data.style_mean = mean.repeat({4, 1});
    data.style_std = sd.repeat({4, 1});
  }
  std::string content = "synthetic 500x375 JPEGs";
  if (!o.content_dir.empty()) {
    load_content(data, o.content_dir);
    content = std::to_string(data.jpegs.size()) + " files of " + o.content_dir.string();
  } else {
    for (uint32_t i = 0; i < 8; ++i)
      data.jpegs.push_back(encode_image(synthetic_image(kInputW, kInputH, 100 + i), ImageFormat::kJpeg, 90));
  }
  for (const auto& bytes : data.jpegs) data.decoded.push_back(decode_image(bytes, "bench"));
  return content;
}

void register_figures(const BenchOptions& o, const std::shared_ptr<Data>& data,
                      std::vector<std::string>& order) {
  Registrar reg{o, order};
  register_copy(reg, data->device);
  for (const std::string& name : o.recipes) {
    const auto& all = all_recipes();
    const auto it = std::find_if(all.begin(), all.end(), [&](const RecipeSpec& r) { return r.name == name; });
    if (it == all.end()) throw UsageError("unknown recipe '" + name + "'");
    register_recipe(reg, data, *it);
  }
  register_style_bank(reg, data);
  // derive on at most 48 of the mixed contents: patch writes some hundred outputs per content.
  register_derive_figures(reg, data->scratch, std::min<size_t>(static_cast<size_t>(data->mixed_images), 48),
                          data->threads);
}

// Runs the registered figures (Google Benchmark reads its settings from an argv of its own) and collects
// them in registration order; a figure that failed is logged.
std::vector<BenchFigure> run_figures(const BenchOptions& o, const std::vector<std::string>& order) {
  std::vector<std::string> args = {"sinforge-bench"};
  if (!o.filter.empty()) args.push_back("--benchmark_filter=" + o.filter);
  std::vector<char*> argv;
  for (std::string& a : args) argv.push_back(a.data());
  int argc = static_cast<int>(argv.size());
  benchmark::Initialize(&argc, argv.data());
  Collector collector;
  benchmark::RunSpecifiedBenchmarks(&collector);
  benchmark::ClearRegisteredBenchmarks();
  std::vector<BenchFigure> figures;
  for (const std::string& name : order) {
    const auto it = collector.figures.find(name);
    if (it != collector.figures.end()) figures.push_back(it->second);
    const auto err = collector.errors.find(name);
    if (err != collector.errors.end()) log::warn(str_cat("bench ", name, " failed: ", err->second));
  }
  return figures;
}

}  // namespace

std::vector<std::pair<int, int>> imagenet_like_sizes(size_t count, uint32_t seed) {
  // Shares of the common sizes, roughly those of ImageNet's training set; the rest is the tail.
  static const std::vector<std::pair<std::pair<int, int>, double>> common = {
      {{500, 375}, 0.42}, {{375, 500}, 0.12}, {{500, 333}, 0.10}, {{500, 500}, 0.06}, {{333, 500}, 0.04}};
  std::mt19937 rng(seed);
  std::uniform_real_distribution<double> unit(0, 1);
  std::uniform_int_distribution<int> other_side(150, 500), any_side(120, 1000);
  std::vector<std::pair<int, int>> sizes;
  sizes.reserve(count);
  while (sizes.size() < count) {
    double u = unit(rng);
    bool picked = false;
    for (const auto& [size, share] : common) {
      if (u < share) {
        sizes.push_back(size);
        picked = true;
        break;
      }
      u -= share;
    }
    if (picked) continue;
    // The tail (26 %): mostly one side 500 as ImageNet's are, a few of any size.
    const double kind = unit(rng);
    if (kind < 0.45) {
      sizes.emplace_back(500, other_side(rng));
    } else if (kind < 0.9) {
      sizes.emplace_back(other_side(rng), 500);
    } else {
      sizes.emplace_back(any_side(rng), any_side(rng));
    }
  }
  return sizes;
}

std::vector<std::pair<int, int>> painting_like_sizes(size_t count, uint32_t seed) {
  static const std::vector<double> aspects = {4.0 / 3, 3.0 / 4, 1.0, 3.0 / 2, 2.0 / 3, 5.0 / 4, 4.0 / 5};
  std::mt19937 rng(seed);
  std::uniform_int_distribution<int> long_side(600, 2400);
  std::uniform_int_distribution<size_t> pick(0, aspects.size());  // one past the end: a random aspect
  std::uniform_real_distribution<double> random_aspect(0.5, 2.0);
  std::vector<std::pair<int, int>> sizes;
  sizes.reserve(count);
  for (size_t i = 0; i < count; ++i) {
    const size_t a = pick(rng);
    const double aspect = a < aspects.size() ? aspects[a] : random_aspect(rng);  // width / height
    const int l = long_side(rng);
    if (aspect >= 1) {
      sizes.emplace_back(l, std::max(1, static_cast<int>(l / aspect)));
    } else {
      sizes.emplace_back(std::max(1, static_cast<int>(l * aspect)), l);
    }
  }
  return sizes;
}

void write_bench_data(const fs::path& dir, size_t contents, size_t paintings) {
  write_sized_jpegs(dir / "content", imagenet_like_sizes(contents, kMixedContentSeed), 5000, "img");
  write_sized_jpegs(dir / "styles", painting_like_sizes(paintings, kPaintingSeed), 9000, "p");
}

std::vector<std::string> parse_recipes(const std::string& comma_list) {
  std::vector<std::string> out;
  std::stringstream ss(comma_list);
  std::string name;
  while (std::getline(ss, name, ',')) {
    if (name.empty()) continue;
    const auto& all = all_recipes();
    if (std::none_of(all.begin(), all.end(), [&](const RecipeSpec& r) { return r.name == name; }))
      throw UsageError("--recipes: unknown recipe '" + name + "' (expected sin224, full or sin64)");
    out.push_back(name);
  }
  if (out.empty()) throw UsageError("--recipes names no recipe");
  return out;
}

BenchReport run_bench(const BenchOptions& o) {
  validate(o);
  check_session_options(session_options(o));
  std::string weights;
  const auto [encoder_weights, decoder_weights] = bench_weights(o, weights);
  const Session session(session_options(o), encoder_weights, decoder_weights);
  auto data = std::make_shared<Data>();
  data->device = session.device();
  data->threads = static_cast<int>(session.threads());
  data->net = &session.network();
  size_data(o, *data);
  if (data->device.is_cuda()) {  // the fused glue (network.h), measured beside the eager network
    SessionOptions fused = session_options(o);
    fused.fuse_reflect_pad = true;
    data->net_fused =
        std::make_unique<StyleNetwork>(encoder_weights, decoder_weights, network_options(fused));
  }
  BenchReport report;
  report.device = data->device.str();
  report.precision = to_string(o.precision);
  report.batch_size = data->batch;
  report.threads = data->threads;
  report.data = fill_data(o, *data) + ", " + weights;
  data->scratch = fs::temp_directory_path() / ("sinforge-bench-" + std::to_string(std::random_device{}()));
  fs::create_directories(data->scratch);

  std::vector<std::string> order;
  register_figures(o, data, order);
  report.batching = batching_figures(data->batch);
  report.figures = run_figures(o, order);
  std::error_code ec;
  fs::remove_all(data->scratch, ec);
  return report;
}

namespace {

// Encoder + decoder cost: 48 GFLOP per 224x224 image (docs/REFERENCE.md section 4), scaled by pixels.
double model_gflop_per_image(const std::string& figure) {
  for (const RecipeSpec& r : all_recipes()) {
    if (figure == r.name + "/model" || figure == r.name + "/model_fused" ||
        figure == r.name + "/model_autotuned" || figure == r.name + "/end_to_end")
      return 48.0 * (static_cast<double>(r.out_w) * r.out_h) / (224.0 * 224.0);
  }
  return 0;
}

}  // namespace

void print_report(const BenchReport& report, std::ostream& out) {
  out << "sinforge bench: device " << report.device << ", precision " << report.precision << ", batch "
      << report.batch_size << ", threads " << report.threads << "\n";
  out << "data: " << report.data << "\n\n";
  out << std::left << std::setw(26) << "figure" << std::right << std::setw(12) << "median ms" << std::setw(10)
      << "+- ms" << std::setw(10) << "cpu ms" << std::setw(12) << "images/s" << std::setw(11) << "GB/s"
      << std::setw(10) << "GFLOP/s" << std::setw(6) << "reps"
      << "\n";
  for (const BenchFigure& f : report.figures) {
    const double gflop = model_gflop_per_image(f.name);
    out << std::left << std::setw(26) << f.name << std::right << std::fixed << std::setprecision(3)
        << std::setw(12) << f.seconds * 1e3 << std::setw(10) << f.seconds_stddev * 1e3 << std::setw(10)
        << f.cpu_seconds * 1e3 << std::setprecision(1) << std::setw(12) << f.images_per_second
        << std::setprecision(2) << std::setw(11) << f.bytes_per_second / 1e9 << std::setprecision(1)
        << std::setw(10) << (gflop > 0 ? gflop * f.images_per_second : 0.0) << std::setw(6) << f.repetitions;
    if (f.batch_fill > 0) out << "  batches " << std::setprecision(0) << f.batch_fill * 100 << "% full";
    out << "\n";
  }
  if (!report.batching.empty()) {
    out << "\nbatching of 20000 ImageNet-like sizes at batch " << report.batch_size
        << " (deadline: batches' worth of inputs a size waits):\n";
    for (const BatchingFigure& b : report.batching) {
      out << "  deadline " << std::setw(3) << b.deadline_batches << ": " << std::setw(6) << b.stats.batches
          << " batches, mean " << std::setprecision(1) << std::setw(6) << b.stats.mean_batch() << " images, "
          << std::setprecision(1) << std::setw(5) << b.stats.fill() * 100 << "% full, " << std::setw(5)
          << 100.0 * static_cast<double>(b.stats.images_in_full_batches) /
                 static_cast<double>(std::max<size_t>(1, b.stats.images))
          << "% of images in full batches\n";
    }
  }
}

nlohmann::json to_json(const BenchReport& report) {
  nlohmann::json j;
  j["device"] = report.device;
  j["precision"] = report.precision;
  j["batch_size"] = report.batch_size;
  j["threads"] = report.threads;
  j["data"] = report.data;
  j["batching"] = nlohmann::json::array();
  for (const BatchingFigure& b : report.batching) {
    j["batching"].push_back({{"deadline_batches", b.deadline_batches},
                             {"batches", b.stats.batches},
                             {"images", b.stats.images},
                             {"full_batches", b.stats.full_batches},
                             {"images_in_full_batches", b.stats.images_in_full_batches},
                             {"fill", b.stats.fill()}});
  }
  j["figures"] = nlohmann::json::array();
  for (const BenchFigure& f : report.figures) {
    j["figures"].push_back({{"name", f.name},
                            {"seconds_median", f.seconds},
                            {"seconds_stddev", f.seconds_stddev},
                            {"cpu_seconds_median", f.cpu_seconds},
                            {"images_per_second", f.images_per_second},
                            {"bytes_per_second", f.bytes_per_second},
                            {"gflop_per_image", model_gflop_per_image(f.name)},
                            {"batch_fill", f.batch_fill},
                            {"repetitions", f.repetitions}});
  }
  return j;
}

}  // namespace sinforge
