#include "bench_harness.h"

#include <opencv2/imgproc.hpp>

#include "sinforge/core/atomic_file.h"
#include "sinforge/image/image_io.h"

namespace sinforge::bench {

namespace fs = std::filesystem;

void synchronize(at::Device device) {
  if (!device.is_cuda()) return;
  c10::Event e(device.type());
  e.record(c10::impl::VirtualGuardImpl(device.type()).getStream(device));
  e.synchronize();
}

cv::Mat synthetic_image(int w, int h, uint32_t seed) {
  cv::Mat coarse(h / 16 + 1, w / 16 + 1, CV_8UC3);
  cv::randu(coarse, 0, 255);
  cv::Mat img;
  cv::resize(coarse, img, cv::Size(w, h), 0, 0, cv::INTER_CUBIC);
  cv::Mat noise(h, w, CV_8UC3);
  cv::theRNG().state = seed;
  cv::randn(noise, 0, 12);
  cv::add(img, noise, img);
  return img;
}

std::vector<fs::path> write_sized_jpegs(const fs::path& dir, const std::vector<std::pair<int, int>>& sizes,
                                        uint32_t seed, const std::string& prefix) {
  std::vector<fs::path> names;
  for (size_t i = 0; i < sizes.size(); ++i) {
    names.emplace_back(prefix + std::to_string(i) + ".jpg");
    if (fs::exists(dir / names.back())) continue;
    const cv::Mat img = synthetic_image(sizes[i].first, sizes[i].second, seed + static_cast<uint32_t>(i));
    write_file_atomic(dir / names.back(), encode_image(img, ImageFormat::kJpeg, 90));
  }
  return names;
}

void add_counters(benchmark::State& st, double items_per_iteration, double bytes_per_iteration) {
  const auto iterations = static_cast<double>(st.iterations());
  if (items_per_iteration > 0)
    st.counters["items_per_second"] =
        benchmark::Counter(items_per_iteration * iterations, benchmark::Counter::kIsRate);
  if (bytes_per_iteration > 0)
    st.counters["bytes_per_second"] =
        benchmark::Counter(bytes_per_iteration * iterations, benchmark::Counter::kIsRate);
}

}  // namespace sinforge::bench
