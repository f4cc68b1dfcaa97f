// What the weight reader's tests share: the fixture files the reference Python writes (legacy and zip
// state dicts with their expected tensors' digests) and small helpers over them.
#pragma once

#include <gtest/gtest.h>

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "sinforge/core/error.h"
#include "sinforge/weights/state_dict.h"
#include "sinforge/weights/weights.h"
#include "support/fixtures.h"
#include "support/test_util.h"

namespace sinforge::testing::weights {

namespace fs = std::filesystem;

// The weight fixtures (tests/reference/write_weights.py), made once per build folder and script version.
inline const fs::path& fixtures() {
  static const fs::path dir = reference_fixture("write_weights.py", {"adain_net.py"});
  return dir;
}

inline fs::path fixture(const std::string& name) { return fixtures() / name; }

// The message of the WeightsError that `f` throws; fails the test when it throws nothing or something else.
template <typename F>
inline std::string weights_error(F&& f) {
  try {
    f();
  } catch (const WeightsError& e) {
    return e.what();
  } catch (const std::exception& e) {
    ADD_FAILURE() << "threw something other than WeightsError: " << e.what();
    return {};
  }
  ADD_FAILURE() << "did not throw";
  return {};
}

inline std::string tensor_sha256(const at::Tensor& t) {
  TempDir dir;
  const at::Tensor c = t.to(at::kFloat).contiguous();
  write_bytes(dir / "t.bin",
              std::string_view(static_cast<const char*>(c.data_ptr()), static_cast<std::size_t>(c.nbytes())));
  return sinforge::sha256_hex(dir / "t.bin");
}

struct ExpectedTensor {
  std::string key, sha256;
  std::vector<std::int64_t> shape;
};

inline std::vector<ExpectedTensor> expected(const std::string& name) {
  std::ifstream in(fixture(name + ".expected.txt"));
  std::vector<ExpectedTensor> out;
  std::string line;
  while (std::getline(in, line)) {
    std::istringstream fields(line);
    ExpectedTensor e;
    fields >> e.key >> e.sha256;
    std::int64_t d = 0;
    while (fields >> d) e.shape.push_back(d);
    out.push_back(e);
  }
  return out;
}

inline void expect_state_dict_equals(const sinforge::StateDict& sd, const std::string& expected_name) {
  const auto want = expected(expected_name);
  ASSERT_FALSE(want.empty());
  ASSERT_EQ(sd.size(), want.size());
  for (std::size_t i = 0; i < want.size(); ++i) {
    SCOPED_TRACE(want[i].key);
    EXPECT_EQ(sd[i].first, want[i].key);
    const at::Tensor& t = sd[i].second;
    EXPECT_EQ(t.sizes(), at::IntArrayRef(want[i].shape));
    EXPECT_EQ(t.scalar_type(), at::kFloat);
    EXPECT_TRUE(t.is_contiguous());
    EXPECT_TRUE(t.device().is_cpu());
    EXPECT_EQ(tensor_sha256(t), want[i].sha256);
  }
}

// A byte string from a literal, embedded NULs included.
template <std::size_t N>
inline std::string bytes(const char (&literal)[N]) {
  return std::string(literal, N - 1);
}

inline bool contains(const std::string& haystack, const std::string& needle) {
  return haystack.find(needle) != std::string::npos;
}

}  // namespace sinforge::testing::weights
