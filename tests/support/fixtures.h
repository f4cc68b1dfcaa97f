// Fixtures shared by the test files, written once here: reading and writing whole files, folders made once
// by a reference script and shared by every test process of a build, and the demo weights most end-to-end
// tests run with.
//
// Why shared across processes: CTest runs each test in a process of its own, so a suite's SetUpTestSuite
// runs once per test. A generator that starts Python and PyTorch costs seconds; made once per build folder
// (and generator version) it costs them once.
#pragma once

#include <cstdint>
#include <filesystem>
#include <map>
#include <set>
#include <span>
#include <string>
#include <string_view>
#include <tuple>
#include <utility>
#include <vector>

#include "support/files.h"  // read_bytes, write_bytes

namespace sinforge::testing {

// The files below an output folder, relative and sorted, without the run's own records (sinforge.*):
// what a run wrote. Empty when root does not exist. output_bytes_below: the same with each file's bytes.
std::vector<std::string> output_files_below(const std::filesystem::path& root);
std::map<std::string, std::string> output_bytes_below(const std::filesystem::path& root);

// Every (content, painting, output) the run in out recorded, over all shards' manifests.
using ManifestPair = std::tuple<std::string, std::string, std::string>;
std::set<ManifestPair> manifest_pairs(const std::filesystem::path& out);

// A committed tar of the given (member name, bytes), written by the project's own TarWriter.
void write_tar(const std::filesystem::path& file,
               const std::vector<std::pair<std::string, std::string>>& members);

// Every member of the committed tars at the top of out (a webdataset-layout run's; temporaries left out), by
// WebDataset's key and extension. repeated lists each key met a second time with one extension (the same
// sample in two tars, or twice in one).
struct TarSamples {
  std::map<std::string, std::map<std::string, std::string>> members;  // key -> extension -> bytes
  std::vector<std::string> repeated;
};
TarSamples tar_samples_below(const std::filesystem::path& out);

// How many temporaries of atomic writes (atomic_file.h) lie below root: a clean stop leaves none.
size_t temporaries_below(const std::filesystem::path& root);

// The message of the E that f throws; "" when it throws nothing (anything else propagates).
template <typename E, typename F>
std::string error_of(F&& f) {
  try {
    f();
  } catch (const E& e) {
    return e.what();
  }
  return "";
}

// The folder tests/reference/<script> writes when given a folder, made once per build folder and version of
// the script and of the reference files it imports (version_files, relative to tests/reference), under the
// test processes' working folder. Concurrent processes wait on a lock; a failed script throws with its
// output.
std::filesystem::path reference_fixture(const std::string& script,
                                        const std::vector<std::string>& version_files);

// Random, calibrated weights in the official (legacy) format, as tests/reference/write_demo_weights.py
// writes them: stand-ins for the official files, which cannot be downloaded here.
struct DemoWeights {
  std::filesystem::path vgg;      // vgg_normalised.pth
  std::filesystem::path decoder;  // decoder.pth
  // " --vgg '<vgg>' --decoder '<decoder>'", for a command line.
  std::string flags() const;
};
const DemoWeights& demo_weights();

}  // namespace sinforge::testing
