// Fixtures shared by the test files, written once here: reading and writing whole files, folders made once
// by a reference script and shared by every test process of a build, and the demo weights most end-to-end
// tests run with.
//
// Why shared across processes: CTest runs each test in a process of its own, so a suite's SetUpTestSuite
// runs once per test. A generator that starts Python and PyTorch costs seconds; made once per build folder
// (and generator version) it costs them once.
#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <functional>
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

// The bundled sample photos copied into root/class0 .. root/class<classes-1>: 15 images in three classes by
// default, the small tree the end-to-end suites run on.
void copy_samples_into_classes(const std::filesystem::path& root, int classes = 3);

// For the kill tests: waits until at least n outputs stand under their final names in out (records and
// temporaries not counted: the style bank's temporary, written before any image, would otherwise let the
// kill come before any output exists). The run renames files while this looks; a file gone between
// listing and looking is not counted, never an error. False at the timeout.
bool wait_for_outputs(const std::filesystem::path& out, size_t n, std::chrono::seconds timeout);

// A SIGKILL at a random moment of a run: starts the command line, waits until ready() (which waits with its
// own timeout), sleeps a moment drawn from [0, span) and kills. A run that finishes before its kill (a
// long draw on a fast machine: the runs of the tests are small) is no kill, not a failure: its out folder
// is removed and the next try draws from half the span. landed: a kill hit a running process; why: what
// went wrong otherwise.
struct KillAttempt {
  bool landed = false;
  std::string why;
};
KillAttempt kill_at_a_random_moment(const std::string& line, const std::filesystem::path& out,
                                    const std::function<bool()>& ready, std::chrono::milliseconds span,
                                    int tries = 6);

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
