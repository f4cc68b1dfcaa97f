#include "sinforge/core/atomic_file.h"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cctype>
#include <cerrno>
#include <cstring>
#include <stdexcept>

#include "sinforge/core/log.h"

namespace sinforge {
namespace {

bool all_digits(const std::string& s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](unsigned char c) { return std::isdigit(c) != 0; });
}

}  // namespace

std::string atomic_temporary_name(const std::string& target_name) {
  static std::atomic<uint64_t> counter{0};
  return str_cat(".", target_name, ".tmp-", ::getpid(), "-", counter.fetch_add(1));
}

bool is_atomic_temporary(const std::string& file_name, std::string* target_name) {
  // ".<name>.tmp-<pid>-<counter>", as atomic_temporary_name makes them.
  if (file_name.size() < 2 || file_name[0] != '.') return false;
  const size_t tmp = file_name.rfind(".tmp-");
  if (tmp == std::string::npos || tmp < 2) return false;
  const std::string ids = file_name.substr(tmp + 5);
  const size_t dash = ids.find('-');
  if (dash == std::string::npos || !all_digits(ids.substr(0, dash)) || !all_digits(ids.substr(dash + 1))) {
    return false;
  }
  if (target_name != nullptr) *target_name = file_name.substr(1, tmp - 1);
  return true;
}

void write_file_atomic(const std::filesystem::path& target, std::span<const uint8_t> bytes) {
  const std::filesystem::path folder = target.parent_path();
  std::error_code ec;
  if (!folder.empty()) {
    std::filesystem::create_directories(folder, ec);
    if (ec)
      throw std::runtime_error(
          str_cat(target.string(), ": cannot create folder ", folder.string(), " (", ec.message(), ")"));
  }
  const std::filesystem::path temp = folder / atomic_temporary_name(target.filename().string());
  const auto fail = [&](const std::string& what, int err) {
    std::error_code ignored;
    std::filesystem::remove(temp, ignored);
    throw std::runtime_error(str_cat(target.string(), ": ", what, " (", std::strerror(err), ")"));
  };
  const int fd = ::open(temp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
  if (fd < 0) {
    const int err = errno;
    throw std::runtime_error(
        str_cat(target.string(), ": cannot create ", temp.string(), " (", std::strerror(err), ")"));
  }
  size_t done = 0;
  while (done < bytes.size()) {
    const ssize_t n = ::write(fd, bytes.data() + done, bytes.size() - done);
    if (n < 0) {
      if (errno == EINTR) continue;
      const int err = errno;
      ::close(fd);
      fail("write failed", err);
    }
    done += static_cast<size_t>(n);
  }
  if (::fsync(fd) != 0) {
    const int err = errno;
    ::close(fd);
    fail("fsync failed", err);
  }
  if (::close(fd) != 0) fail("close failed", errno);
  if (::rename(temp.c_str(), target.c_str()) != 0) fail("rename failed", errno);
}

}  // namespace sinforge
