// Helpers shared by the test files: temporary folders, running commands, the reference Python.
#pragma once

#include <sys/mount.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <random>
#include <string>
#include <thread>

namespace sinforge::testing {

// Where this build's checkout, reference Python and CLI are (test_paths.cpp, the one file that knows).
std::filesystem::path source_dir();
std::string python();
std::filesystem::path cli();
inline std::filesystem::path shared_testdata() { return source_dir().parent_path() / "shared" / "testdata"; }
inline std::filesystem::path samples_dir() { return source_dir() / "samples"; }

// A fresh folder under the system's temp folder, removed with everything in it at scope exit.
// Special files as a careless copy can leave them in an image tree: a FIFO and a bound unix socket at path.
// Return false when the filesystem refuses.
inline bool make_fifo(const std::filesystem::path& path) { return ::mkfifo(path.c_str(), 0644) == 0; }
inline bool make_unix_socket(const std::filesystem::path& path) {
  const int fd = ::socket(AF_UNIX, SOCK_STREAM, 0);
  if (fd < 0) return false;
  sockaddr_un address{};
  address.sun_family = AF_UNIX;
  const std::string name = path.string();
  if (name.size() >= sizeof(address.sun_path)) {
    ::close(fd);
    return false;
  }
  std::copy(name.begin(), name.end(), address.sun_path);
  const bool bound = ::bind(fd, reinterpret_cast<const sockaddr*>(&address), sizeof(address)) == 0;
  ::close(fd);  // the socket file stays
  return bound;
}

// While alive, this process cannot open another file: EMFILE, as a machine out of descriptors gives it. The
// soft limit is lowered to the lowest free descriptor (a new one would need a number at least that high).
class NoFreeFileDescriptors {
 public:
  NoFreeFileDescriptors() {
    ::getrlimit(RLIMIT_NOFILE, &saved_);
    const int lowest_free = ::dup(0);
    if (lowest_free >= 0) ::close(lowest_free);
    rlimit lowered = saved_;
    lowered.rlim_cur = static_cast<rlim_t>(lowest_free < 0 ? 0 : lowest_free);
    ::setrlimit(RLIMIT_NOFILE, &lowered);
  }
  ~NoFreeFileDescriptors() { ::setrlimit(RLIMIT_NOFILE, &saved_); }
  NoFreeFileDescriptors(const NoFreeFileDescriptors&) = delete;
  NoFreeFileDescriptors& operator=(const NoFreeFileDescriptors&) = delete;

 private:
  rlimit saved_{};
};

class TempDir {
 public:
  TempDir() {
    std::random_device rd;
    path_ = std::filesystem::temp_directory_path() /
            ("sinforge-test-" + std::to_string(rd()) + std::to_string(rd()));
    std::filesystem::create_directories(path_);
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::filesystem::path& path() const { return path_; }
  std::filesystem::path operator/(const std::string& name) const { return path_ / name; }

 private:
  std::filesystem::path path_;
};

struct CommandResult {
  int exit_code = -1;
  std::string output;  // stdout and stderr together
};

// Runs a shell command line and captures what it prints (cli::run_command, by contrast, is `sinforge run`).
inline CommandResult run_shell(const std::string& command) {
  CommandResult result;
  FILE* pipe = popen((command + " 2>&1").c_str(), "r");
  if (pipe == nullptr) return result;
  std::array<char, 4096> buffer{};
  size_t n = 0;
  while ((n = fread(buffer.data(), 1, buffer.size(), pipe)) > 0) result.output.append(buffer.data(), n);
  const int status = pclose(pipe);
  result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return result;
}

inline std::string quote(const std::filesystem::path& p) { return "'" + p.string() + "'"; }

// Runs a script under tests/reference with the reference interpreter (the venv's torch).
inline CommandResult run_reference(const std::string& script, const std::string& args) {
  return run_shell(quote(python()) + " " + quote(source_dir() / "tests" / "reference" / script) + " " + args);
}

// A small tmpfs over dir for the full-disk tests, unmounted at scope exit. Mounting needs privileges: where
// it fails, mounted() is false and a test falls back to the write-fault seam (SINFORGE_FAULT_WRITE_AFTER).
class SmallTmpfs {
 public:
  SmallTmpfs(const std::filesystem::path& dir, const std::string& size)
      : dir_(dir), mounted_(mount("tmpfs", dir.c_str(), "tmpfs", 0, ("size=" + size).c_str()) == 0) {}
  ~SmallTmpfs() {
    if (mounted_) umount2(dir_.c_str(), MNT_DETACH);
  }
  SmallTmpfs(const SmallTmpfs&) = delete;
  SmallTmpfs& operator=(const SmallTmpfs&) = delete;
  bool mounted() const { return mounted_; }
  // Makes room (the disk "fixed"), keeping what is on it.
  bool grow(const std::string& size) {
    return mount("tmpfs", dir_.c_str(), "tmpfs", MS_REMOUNT, ("size=" + size).c_str()) == 0;
  }

 private:
  std::filesystem::path dir_;
  bool mounted_;
};

// Starts a shell command line in the background (output discarded); returns the pid of the program it
// execs, for the tests that signal a run (SIGKILL, SIGTERM) while it works.
inline pid_t spawn(const std::string& command) {
  const pid_t pid = fork();
  if (pid == 0) {
    const std::string line = "exec " + command + " >/dev/null 2>&1";
    execl("/bin/sh", "sh", "-c", line.c_str(), static_cast<char*>(nullptr));
    _exit(127);
  }
  return pid;
}

// The raw wait status of pid, or -1 when it is still running after timeout.
inline int wait_for(pid_t pid, std::chrono::milliseconds timeout) {
  const auto end = std::chrono::steady_clock::now() + timeout;
  int status = 0;
  while (std::chrono::steady_clock::now() < end) {
    if (waitpid(pid, &status, WNOHANG) == pid) return status;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return -1;
}

}  // namespace sinforge::testing
