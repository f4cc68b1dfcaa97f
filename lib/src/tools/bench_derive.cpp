#include "bench_derive.h"

#include <algorithm>
#include <cmath>
#include <future>
#include <memory>
#include <mutex>
#include <stdexcept>

#include "sinforge/core/atomic_file.h"
#include "sinforge/core/log.h"
#include "sinforge/core/thread_pool.h"
#include "sinforge/derive/derive_plan.h"
#include "sinforge/derive/derive_run.h"
#include "sinforge/derive/manipulations.h"
#include "sinforge/derive/spectrum_file.h"
#include "sinforge/image/image_io.h"
#include "sinforge/image/recipe.h"

namespace sinforge::bench {
namespace {

namespace fs = std::filesystem;

constexpr const char* kOneContent = "class0/img0.jpg";

// The figures' data, made by the first figure that runs (a filtered-out bench writes no file).
struct DeriveBenchData {
  fs::path scratch;
  size_t images = 0;
  int threads = 1;
  fs::path content;      // scratch/derive-content: class0/img<i>.jpg of the mixed sizes
  fs::path gamma_table;  // a made-up monitor gamma, for false-colour's opponent level
  std::vector<double> gamma;
  cv::Mat crop;  // img0's 224x224 crop
  std::once_flag made;

  const DeriveBenchData& ready() {
    std::call_once(made, [this] {
      content = scratch / "derive-content";
      write_sized_jpegs(content / "class0", imagenet_like_sizes(images, kMixedContentSeed), 5000, "img");
      crop = prepare_content(read_image(content / kOneContent), {256, 224, 0});
      // x^(1/2.2) in a 16x16 .npy: 256 values, what --gamma-table reads.
      cv::Mat table(16, 16, CV_64FC1);
      for (int i = 0; i < 256; ++i) table.at<double>(i / 16, i % 16) = std::pow(i / 255.0, 1 / 2.2);
      gamma.assign(table.begin<double>(), table.end<double>());
      gamma_table = scratch / "derive-gamma.npy";
      write_spectrum_file(gamma_table, table, "bench");
    });
    return *this;
  }
};

DeriveOptions options_for(DeriveVariant v, const DeriveBenchData& d, const fs::path& out) {
  DeriveOptions o;
  o.content_dir = d.content;
  o.out_dir = out;
  o.variant = v;
  o.threads = d.threads;
  o.overwrite = true;  // every iteration recomputes every output
  o.progress_interval = 0;
  if (v == DeriveVariant::kFalseColour) o.gamma_table_file = d.gamma_table;
  return o;
}

// The command logs a line per run: kept out of the bench's report while a figure runs (a quieter level the
// user chose stays).
class QuietLog {
 public:
  QuietLog() : was_(log::level()) { log::set_level(std::max(was_, log::Level::kWarn)); }
  ~QuietLog() { log::set_level(was_); }
  QuietLog(const QuietLog&) = delete;
  QuietLog& operator=(const QuietLog&) = delete;

 private:
  log::Level was_;
};

void register_floor(Registrar& reg, const std::shared_ptr<DeriveBenchData>& data) {
  reg.add("derive/decode_crop_encode", [data](benchmark::State& st) {
    const DeriveBenchData* d = &data->ready();
    ThreadPool pool(static_cast<size_t>(d->threads));
    const fs::path out = d->scratch / "derive-floor";
    timed_loop(st, at::kCPU, static_cast<double>(d->images), 0, [&] {
      std::vector<std::future<void>> done;
      for (size_t i = 0; i < d->images; ++i) {
        done.push_back(pool.submit([&, i] {
          const std::string name = "img" + std::to_string(i) + ".jpg";
          const cv::Mat crop = prepare_content(read_image(d->content / "class0" / name), {256, 224, 0});
          write_file_atomic(out / name, encode_image(crop, ImageFormat::kJpeg, 75));
        }));
      }
      for (auto& f : done) f.get();
    });
  });
}

void register_variant(Registrar& reg, const std::shared_ptr<DeriveBenchData>& data, DeriveVariant v) {
  const std::string prefix = "derive/" + to_string(v) + "/";
  reg.add(prefix + "derive", [data, v](benchmark::State& st) {
    const DeriveBenchData* d = &data->ready();
    const DeriveOptions o = options_for(v, *d, d->scratch / "unused");
    const std::vector<DerivedOutput> outputs = derived_outputs({kOneContent, "img0", ".jpg"}, o);
    DeriveData extra;  // what power-equalise and false-colour need beside the crop
    if (v == DeriveVariant::kPowerEqualise) extra.mean_amplitude = amplitude_spectrum(grey_of(d->crop));
    if (v == DeriveVariant::kFalseColour) extra.gamma_table = d->gamma;
    timed_loop(st, at::kCPU, static_cast<double>(outputs.size()), 0, [&] {
      for (const DerivedOutput& out : outputs)
        benchmark::DoNotOptimize(make_derived(d->crop, out, o, kOneContent, extra));
    });
  });
  reg.add(prefix + "command", [data, v](benchmark::State& st) {
    const DeriveBenchData* d = &data->ready();
    const DeriveOptions o = options_for(v, *d, d->scratch / ("derive-" + to_string(v)));
    const size_t per_content = derived_outputs({kOneContent, "img0", ".jpg"}, o).size();
    const size_t expected = per_content * d->images;
    const QuietLog quiet;
    timed_loop(st, at::kCPU, static_cast<double>(expected), 0, [&] {
      const size_t written = run_derive(o).written;
      if (written != expected)
        throw std::runtime_error(str_cat("derive wrote ", written, " outputs, expected ", expected));
    });
  });
}

}  // namespace

void register_derive_figures(Registrar& reg, const fs::path& scratch, size_t images, int threads) {
  const auto d = std::make_shared<DeriveBenchData>();
  d->scratch = scratch;
  d->images = images;
  d->threads = threads;
  register_floor(reg, d);
  for (const DeriveVariant v :
       {DeriveVariant::kScramble, DeriveVariant::kPatch, DeriveVariant::kGreyscale, DeriveVariant::kContrast,
        DeriveVariant::kUniformNoise, DeriveVariant::kLowPass, DeriveVariant::kHighPass,
        DeriveVariant::kRotation, DeriveVariant::kSaltAndPepper, DeriveVariant::kPhaseNoise,
        DeriveVariant::kPowerEqualise, DeriveVariant::kFalseColour})
    register_variant(reg, d, v);
}

}  // namespace sinforge::bench
