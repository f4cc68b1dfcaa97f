#include "support/fixtures.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/file.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <fstream>
#include <iterator>
#include <random>
#include <stdexcept>
#include <thread>

#include "sinforge/core/atomic_file.h"
#include "sinforge/output/tar_file.h"
#include "sinforge/output/webdataset.h"
#include "sinforge/records/records.h"
#include "sinforge/weights/weights.h"
#include "support/test_util.h"

namespace sinforge::testing {
namespace {

namespace fs = std::filesystem;

// Holds an exclusive flock on a file for its lifetime: one process makes a fixture, the others wait.
class FileLock {
 public:
  explicit FileLock(const fs::path& path) : fd_(::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0666)) {
    if (fd_ < 0 || ::flock(fd_, LOCK_EX) != 0) throw std::runtime_error("cannot lock " + path.string());
  }
  ~FileLock() {
    ::flock(fd_, LOCK_UN);
    ::close(fd_);
  }
  FileLock(const FileLock&) = delete;
  FileLock& operator=(const FileLock&) = delete;

 private:
  int fd_;
};

// A short digest of the generator's files: a changed script makes a new fixture, never a stale one.
std::string version_of(const std::string& script, const std::vector<std::string>& version_files) {
  const fs::path reference = source_dir() / "tests" / "reference";
  std::string version = sha256_hex(reference / script).substr(0, 12);
  for (const std::string& f : version_files) version += sha256_hex(reference / f).substr(0, 12);
  return version;
}

}  // namespace

std::vector<std::string> output_files_below(const fs::path& root) {
  std::vector<std::string> out;
  if (!fs::exists(root)) return out;
  for (const auto& e : fs::recursive_directory_iterator(root)) {
    const std::string name = fs::relative(e.path(), root).generic_string();
    if (e.is_regular_file() && !name.starts_with("sinforge.")) out.push_back(name);
  }
  std::sort(out.begin(), out.end());
  return out;
}

void copy_samples_into_classes(const fs::path& root, int classes) {
  for (int c = 0; c < classes; ++c) {
    const fs::path dir = root / ("class" + std::to_string(c));
    fs::create_directories(dir);
    for (const auto& e : fs::directory_iterator(samples_dir() / "content"))
      fs::copy_file(e.path(), dir / e.path().filename());
  }
}

bool wait_for_outputs(const fs::path& out, size_t n, std::chrono::seconds timeout) {
  const auto end = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < end) {
    size_t found = 0;
    std::error_code ec;
    for (auto it = fs::recursive_directory_iterator(out, ec); !ec && it != fs::recursive_directory_iterator();
         it.increment(ec)) {
      const std::string name = it->path().filename().string();
      const bool record = it.depth() == 0 && name.starts_with("sinforge.");
      std::error_code type_ec;
      if (!record && !is_atomic_temporary(name) && it->is_regular_file(type_ec)) ++found;
    }
    if (found >= n) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return false;
}

KillAttempt kill_at_a_random_moment(const std::string& line, const fs::path& out,
                                    const std::function<bool()>& ready, std::chrono::milliseconds span,
                                    int tries) {
  std::mt19937 rng(std::random_device{}());
  for (int t = 0; t < tries; ++t, span = std::max(span / 2, std::chrono::milliseconds(1))) {
    const pid_t pid = spawn(line);
    const bool started = ready();
    if (started) {
      std::this_thread::sleep_for(
          std::chrono::milliseconds(std::uniform_int_distribution<int64_t>(0, span.count() - 1)(rng)));
    }
    kill(pid, SIGKILL);
    const int status = wait_for(pid, std::chrono::seconds(30));
    if (status == -1) return {false, "the run outlived SIGKILL by 30 s"};
    if (!started) return {false, "the run never got ready to be killed"};
    if (WIFSIGNALED(status)) return {true, ""};
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
      return {false, "the run failed before the kill: status " + std::to_string(status)};
    fs::remove_all(out);  // finished first: try again from nothing, sooner
  }
  return {false, "every run finished before its kill: the test needs more images"};
}

std::map<std::string, std::string> output_bytes_below(const fs::path& root) {
  std::map<std::string, std::string> out;
  for (const std::string& name : output_files_below(root)) out[name] = read_bytes(root / name);
  return out;
}

std::set<ManifestPair> manifest_pairs(const fs::path& out) {
  std::set<ManifestPair> pairs;
  for (const ManifestEntry& e : read_manifests(out)) pairs.emplace(e.content, e.painting, e.output);
  return pairs;
}

void write_tar(const fs::path& file, const std::vector<std::pair<std::string, std::string>>& members) {
  TarWriter tar(file);
  for (const auto& [name, data] : members)
    tar.add(name, std::span(reinterpret_cast<const uint8_t*>(data.data()), data.size()));
  tar.commit();
}

TarSamples tar_samples_below(const fs::path& out) {
  TarSamples samples;
  for (const auto& e : fs::directory_iterator(out)) {
    const std::string name = e.path().filename().string();
    if (!e.is_regular_file() || !name.ends_with(".tar") || name.starts_with(".")) continue;
    read_tar(
        e.path(), [](const std::string&) { return true; },
        [&](const std::string& member, const std::string& data) {
          std::string key, ext;
          if (!split_member_name(member, key, ext)) key = member;
          if (!samples.members[key].emplace(ext, data).second) samples.repeated.push_back(key);
        });
  }
  return samples;
}

size_t temporaries_below(const fs::path& root) {
  size_t n = 0;
  for (const auto& e : fs::recursive_directory_iterator(root))
    n += is_atomic_temporary(e.path().filename().string()) ? 1 : 0;
  return n;
}

fs::path reference_fixture(const std::string& script, const std::vector<std::string>& version_files) {
  const std::string stem = fs::path(script).stem().string();
  const fs::path target = fs::current_path() / ("fixture-" + stem + "-" + version_of(script, version_files));
  const FileLock lock(fs::current_path() / ("fixture-" + stem + ".lock"));
  if (fs::exists(target)) return target;  // complete: it appears only by the rename below
  const fs::path staging = fs::current_path() / ("fixture-" + stem + "-tmp-" + std::to_string(::getpid()));
  fs::remove_all(staging);
  const CommandResult result = run_reference(script, quote(staging));
  if (result.exit_code != 0) throw std::runtime_error(script + " failed:\n" + result.output);
  fs::rename(staging, target);
  return target;
}

std::string DemoWeights::flags() const { return " --vgg " + quote(vgg) + " --decoder " + quote(decoder); }

const DemoWeights& demo_weights() {
  static const DemoWeights weights = [] {
    const fs::path dir = reference_fixture("write_demo_weights.py", {"adain_net.py"});
    return DemoWeights{dir / "vgg_normalised.pth", dir / "decoder.pth"};
  }();
  return weights;
}

}  // namespace sinforge::testing
