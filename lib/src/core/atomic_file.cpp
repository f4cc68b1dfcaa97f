#include "sinforge/core/atomic_file.h"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cctype>
#include <cerrno>
#include <cstring>
#include <stdexcept>
#include <system_error>
#include <utility>

#include "sinforge/core/log.h"

namespace sinforge {
namespace {

bool all_digits(const std::string& s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](unsigned char c) { return std::isdigit(c) != 0; });
}

bool plain_owner(const std::string& s) {
  return !s.empty() &&
         std::all_of(s.begin(), s.end(), [](unsigned char c) { return std::isalnum(c) != 0 || c == '-'; }) &&
         s.front() != '-' && s.back() != '-';
}

}  // namespace

std::string atomic_temporary_name(const std::string& target_name, const std::string& owner) {
  static std::atomic<uint64_t> counter{0};
  if (!owner.empty() && !plain_owner(owner))
    throw std::invalid_argument("atomic_temporary_name: owner must be letters, digits and '-': " + owner);
  return str_cat(".", target_name, ".tmp-", owner, owner.empty() ? "" : "-", ::getpid(), "-",
                 counter.fetch_add(1));
}

bool is_atomic_temporary(const std::string& file_name, std::string* target_name, std::string* owner) {
  // ".<name>.tmp-[<owner>-]<pid>-<counter>", as atomic_temporary_name makes them: the last two fields are
  // numbers, anything between ".tmp-" and them is the owner.
  if (file_name.size() < 2 || file_name[0] != '.') return false;
  const size_t tmp = file_name.rfind(".tmp-");
  if (tmp == std::string::npos || tmp < 2) return false;
  const std::string ids = file_name.substr(tmp + 5);
  const size_t last = ids.rfind('-');
  if (last == std::string::npos || !all_digits(ids.substr(last + 1))) return false;
  const size_t before = last == 0 ? std::string::npos : ids.rfind('-', last - 1);
  const std::string pid =
      before == std::string::npos ? ids.substr(0, last) : ids.substr(before + 1, last - before - 1);
  if (!all_digits(pid)) return false;
  const std::string who = before == std::string::npos ? "" : ids.substr(0, before);
  if (before != std::string::npos && !plain_owner(who)) return false;
  if (target_name != nullptr) *target_name = file_name.substr(1, tmp - 1);
  if (owner != nullptr) *owner = who;
  return true;
}

PendingFile::PendingFile(std::filesystem::path target, std::filesystem::path temp, int fd)
    : target_(std::move(target)), temp_(std::move(temp)), fd_(fd) {}

PendingFile::PendingFile(PendingFile&& other) noexcept
    : target_(std::move(other.target_)), temp_(std::move(other.temp_)), fd_(other.fd_), done_(other.done_) {
  other.fd_ = -1;
  other.done_ = true;
}

PendingFile::~PendingFile() {
  if (fd_ >= 0) ::close(fd_);
  if (!done_) {
    std::error_code ignored;
    std::filesystem::remove(temp_, ignored);
  }
}

void PendingFile::fail(const std::string& what, int err) {
  if (fd_ >= 0) ::close(fd_);
  fd_ = -1;
  std::error_code ignored;
  std::filesystem::remove(temp_, ignored);
  done_ = true;
  throw std::runtime_error(str_cat(target_.string(), ": ", what, " (", std::strerror(err), ")"));
}

void PendingFile::commit() {
  if (done_ || fd_ < 0) throw std::logic_error("PendingFile::commit: called twice");
  if (::fsync(fd_) != 0) fail("fsync failed", errno);
  const int fd = fd_;
  fd_ = -1;
  if (::close(fd) != 0) fail("close failed", errno);
  if (::rename(temp_.c_str(), target_.c_str()) != 0) fail("rename failed", errno);
  done_ = true;
}

PendingFile write_file_pending(const std::filesystem::path& target, std::span<const uint8_t> bytes,
                               const std::string& owner) {
  const std::filesystem::path folder = target.parent_path();
  std::error_code ec;
  if (!folder.empty()) {
    std::filesystem::create_directories(folder, ec);
    if (ec)
      throw std::runtime_error(
          str_cat(target.string(), ": cannot create folder ", folder.string(), " (", ec.message(), ")"));
  }
  std::filesystem::path temp = folder / atomic_temporary_name(target.filename().string(), owner);
  const int fd = ::open(temp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
  if (fd < 0) {
    const int err = errno;
    throw std::runtime_error(
        str_cat(target.string(), ": cannot create ", temp.string(), " (", std::strerror(err), ")"));
  }
  PendingFile pending(target, std::move(temp), fd);  // from here on, a failure removes the temporary
  size_t done = 0;
  while (done < bytes.size()) {
    const ssize_t n = ::write(fd, bytes.data() + done, bytes.size() - done);
    if (n < 0) {
      if (errno == EINTR) continue;
      pending.fail("write failed", errno);
    }
    done += static_cast<size_t>(n);
  }
  return pending;
}

void write_file_atomic(const std::filesystem::path& target, std::span<const uint8_t> bytes,
                       const std::string& owner) {
  write_file_pending(target, bytes, owner).commit();
}

}  // namespace sinforge
