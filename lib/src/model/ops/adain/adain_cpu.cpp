// AdaIN on the CPU: the reference path. Two passes per (sample, channel) with double accumulators, so the
// statistics are exact to fp32 rounding for any H*W; the GPU kernel is tested against this.
#include <ATen/Parallel.h>

#include <cmath>

#include "sinforge/model/ops/adain.h"

namespace sinforge::detail {
namespace {

struct MeanStd {
  double mean;
  double std;
};

MeanStd plane_stats(const float* x, int64_t hw) {
  double sum = 0.0;
  for (int64_t i = 0; i < hw; ++i) sum += x[i];
  const double mean = sum / static_cast<double>(hw);
  double squares = 0.0;
  for (int64_t i = 0; i < hw; ++i) {
    const double d = x[i] - mean;
    squares += d * d;
  }
  // Unbiased: H*W == 1 divides 0 by 0 and gives NaN, as the reference does.
  const double var = squares / static_cast<double>(hw - 1);
  return {mean, std::sqrt(var + static_cast<double>(kAdainEpsilon))};
}

// float32, contiguous NCHW: the one layout the loops below read.
at::Tensor as_planes(const at::Tensor& t) {
  return t.to(at::kFloat).contiguous(at::MemoryFormat::Contiguous);
}

}  // namespace

std::pair<at::Tensor, at::Tensor> channel_stats_cpu(const at::Tensor& features) {
  const at::Tensor x = as_planes(features);
  const int64_t n = x.size(0), c = x.size(1), hw = x.size(2) * x.size(3);
  at::Tensor mean = at::empty({n, c}, at::kFloat);
  at::Tensor std = at::empty({n, c}, at::kFloat);
  const float* in = x.const_data_ptr<float>();
  float* mean_out = mean.mutable_data_ptr<float>();
  float* std_out = std.mutable_data_ptr<float>();
  at::parallel_for(0, n * c, 1, [&](int64_t begin, int64_t end) {
    for (int64_t p = begin; p < end; ++p) {
      const MeanStd s = plane_stats(in + p * hw, hw);
      mean_out[p] = static_cast<float>(s.mean);
      std_out[p] = static_cast<float>(s.std);
    }
  });
  return {mean, std};
}

at::Tensor adain_cpu(const at::Tensor& content, const at::Tensor& style_mean, const at::Tensor& style_std,
                     const at::Tensor& style_index, float alpha) {
  const at::Tensor x = as_planes(content);
  const at::Tensor s_mean = style_mean.to(at::kFloat).contiguous();
  const at::Tensor s_std = style_std.to(at::kFloat).contiguous();
  const at::Tensor index = style_index.contiguous();
  const int64_t n = x.size(0), c = x.size(1), hw = x.size(2) * x.size(3);
  const int64_t num_styles = s_mean.size(0);
  at::Tensor y = at::empty_like(x);
  const float* in = x.const_data_ptr<float>();
  float* out = y.mutable_data_ptr<float>();
  const float* sm = s_mean.const_data_ptr<float>();
  const float* ss = s_std.const_data_ptr<float>();
  const int64_t* idx = index.const_data_ptr<int64_t>();
  for (int64_t i = 0; i < n; ++i) {
    TORCH_CHECK(idx[i] >= 0 && idx[i] < num_styles, "style_index[", i, "] = ", idx[i], " is out of range");
  }
  const double a = alpha;
  at::parallel_for(0, n * c, 1, [&](int64_t begin, int64_t end) {
    for (int64_t p = begin; p < end; ++p) {
      const int64_t sample = p / c, channel = p % c;
      const int64_t s = idx[sample] * c + channel;
      const float* plane = in + p * hw;
      const MeanStd st = plane_stats(plane, hw);
      const double gain = ss[s] / st.std;
      for (int64_t i = 0; i < hw; ++i) {
        const double t = (plane[i] - st.mean) * gain + sm[s];
        out[p * hw + i] = static_cast<float>(a * t + (1.0 - a) * plane[i]);
      }
    }
  });
  return y.to(content.scalar_type()).contiguous(content.suggest_memory_format());
}

}  // namespace sinforge::detail
