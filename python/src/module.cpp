// sinforge._C: the Python package's binding over the project's library, and nothing of its own: the network
// (model/network.h), AdaIN (model/ops/adain.h, the CPU reference or the CUDA kernel) and the style bank file
// reader (records/style_bank_file.h). The augmentation's drawing and batching is Python
// (sinforge/augment.py).
//
// torch.ops.sinforge.adain is registered as a custom op with a CPU, a CUDA and a Meta (shape only) kernel,
// so torch.compile traces it and TorchScript calls it. Every entry point runs without gradients: the
// augmentation is not trained.
#include <pybind11/stl.h>
#include <pybind11/stl/filesystem.h>
#include <torch/extension.h>
#include <torch/library.h>

#include <string>
#include <tuple>

#include "sinforge/core/error.h"
#include "sinforge/image/resize.h"
#include "sinforge/model/network.h"
#include "sinforge/model/ops/adain.h"
#include "sinforge/records/style_bank_file.h"
#include "sinforge/weights/weights.h"

namespace {

namespace py = pybind11;
using sinforge::StyleNetwork;

at::Tensor adain_op(const at::Tensor& content, const at::Tensor& style_mean, const at::Tensor& style_std,
                    const at::Tensor& style_index, double alpha) {
  const at::NoGradGuard no_grad;
  return sinforge::adain(content, style_mean, style_std, style_index, static_cast<float>(alpha));
}

// The op's result without computing it: what torch.compile's tracing needs.
at::Tensor adain_meta(const at::Tensor& content, const at::Tensor&, const at::Tensor&, const at::Tensor&,
                      double) {
  return at::empty_like(content);
}

// One StyleNetwork on one device, fp32, with the files' SHA-256 (a bank names the VGG it was made with).
class Network {
 public:
  Network(const std::string& vgg, const std::string& decoder, const std::string& device)
      : vgg_sha256_(sinforge::sha256_hex(vgg)),
        net_(sinforge::load_encoder_weights(vgg), sinforge::load_decoder_weights(decoder),
             sinforge::NetworkOptions{at::Device(device)}) {}

  at::Tensor encode(const at::Tensor& images) const {
    const at::NoGradGuard no_grad;
    return net_.encoder()(images);
  }
  std::tuple<at::Tensor, at::Tensor> style_statistics(const at::Tensor& images) const {
    const at::NoGradGuard no_grad;
    const auto [mean, std] = net_.style_statistics(images);
    return {mean, std};
  }
  at::Tensor decode(const at::Tensor& features) const {
    const at::NoGradGuard no_grad;
    return net_.decoder()(features);
  }
  const std::string& vgg_sha256() const { return vgg_sha256_; }

 private:
  std::string vgg_sha256_;
  StyleNetwork net_;
};

py::dict load_bank(const std::string& file) {
  const sinforge::LoadedBank loaded = sinforge::load_style_bank(file);
  py::list names;
  for (const auto& p : loaded.bank.paintings) names.append(p.generic_string());
  py::dict out;
  out["mean"] = loaded.bank.mean;
  out["std"] = loaded.bank.std;
  out["names"] = names;
  out["vgg_sha256"] = loaded.key.vgg_sha256;
  out["precision"] = loaded.key.precision;
  out["style_size"] = loaded.key.recipe.size;
  return out;
}

}  // namespace

TORCH_LIBRARY(sinforge, m) {
  m.def(
      "adain(Tensor content, Tensor style_mean, Tensor style_std, Tensor style_index, float alpha) -> "
      "Tensor");
}
TORCH_LIBRARY_IMPL(sinforge, CPU, m) { m.impl("adain", adain_op); }
TORCH_LIBRARY_IMPL(sinforge, CUDA, m) { m.impl("adain", adain_op); }
TORCH_LIBRARY_IMPL(sinforge, Meta, m) { m.impl("adain", adain_meta); }

PYBIND11_MODULE(TORCH_EXTENSION_NAME, m) {
  m.doc() = "sinforge's network, AdaIN and style bank reader (the library itself, bound)";
  py::class_<Network>(m, "Network")
      .def(py::init<const std::string&, const std::string&, const std::string&>(), py::arg("vgg"),
           py::arg("decoder"), py::arg("device"))
      .def("encode", &Network::encode, "relu4_1 features of float [N, 3, H, W] in [0, 1]")
      .def("style_statistics", &Network::style_statistics, "(mean, std) [N, 512] of the images' features")
      .def("decode", &Network::decode, "images [N, 3, 8h, 8w] (unclamped) from features [N, 512, h, w]")
      .def_property_readonly("vgg_sha256", &Network::vgg_sha256);
  m.def("load_bank", &load_bank, py::arg("file"));
  m.def("sha256_hex", &sinforge::sha256_hex, py::arg("file"),
        "the file's SHA-256, as a bank records its VGG's");
  m.def("shorter_side_size", &sinforge::shorter_side_size, py::arg("width"), py::arg("height"),
        py::arg("target"), "(width, height) of torchvision's Resize(target), as the recipes resize");
  // The library's errors reach Python as what they are: a bad file is a ValueError, not a crash.
  py::register_exception<sinforge::BankFileError>(m, "BankFileError", PyExc_ValueError);
  py::register_exception<sinforge::WeightsError>(m, "WeightsError", PyExc_ValueError);
}
