#include "sinforge/output/tar_file.h"

#include <fcntl.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstring>
#include <stdexcept>

#include "sinforge/core/atomic_file.h"
#include "sinforge/core/log.h"
#include "sinforge/core/tar_stream.h"
#include "sinforge/output/webdataset.h"

#if SINFORGE_HAVE_LIBARCHIVE
#include <archive.h>
#include <archive_entry.h>
#endif

namespace sinforge {

namespace fs = std::filesystem;

#if SINFORGE_HAVE_LIBARCHIVE

namespace {

constexpr int kBlockBytes = 64 * 1024;  // fewer write calls than tar's 10 KiB default; readers do not care

uint64_t padded(uint64_t n) { return (n + 511) / 512 * 512; }

// fsync of the folder, so the rename itself survives a power cut.
void sync_folder(const fs::path& folder) {
  const int fd = ::open(folder.empty() ? "." : folder.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return;
  ::fsync(fd);
  ::close(fd);
}

}  // namespace

bool webdataset_available() { return true; }

TarWriter::TarWriter(fs::path final_path) : final_(std::move(final_path)) {
  temp_ = final_.parent_path() / atomic_temporary_name(final_.filename().string());
  fd_ = ::open(temp_.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
  if (fd_ < 0) {
    const int err = errno;
    throw std::runtime_error(
        str_cat(final_.string(), ": cannot create ", temp_.string(), " (", std::strerror(err), ")"));
  }
  archive_ = archive_write_new();
  if (archive_ == nullptr || archive_write_set_format_pax_restricted(archive_) != ARCHIVE_OK ||
      archive_write_set_bytes_per_block(archive_, kBlockBytes) != ARCHIVE_OK ||
      archive_write_set_bytes_in_last_block(archive_, 1) != ARCHIVE_OK ||
      archive_write_open_fd(archive_, fd_) != ARCHIVE_OK) {
    fail("cannot start the archive", archive_ != nullptr ? archive_errno(archive_) : ENOMEM);
  }
}

TarWriter::~TarWriter() {
  if (!committed_) discard();
}

void TarWriter::discard() noexcept {
  if (archive_ != nullptr) archive_write_free(archive_);  // may try to write the end: harmless, then removed
  archive_ = nullptr;
  if (fd_ >= 0) ::close(fd_);
  fd_ = -1;
  std::error_code ignored;
  fs::remove(temp_, ignored);
}

void TarWriter::fail(const std::string& what, int err) {
  const std::string detail =
      archive_ != nullptr && archive_error_string(archive_) != nullptr ? archive_error_string(archive_) : "";
  discard();
  throw std::runtime_error(str_cat(final_.string(), ": ", what, " (", std::strerror(err != 0 ? err : EIO),
                                   detail.empty() ? "" : "; " + detail, ")"));
}

void TarWriter::add(const std::string& name, std::span<const uint8_t> bytes) {
  if (archive_ == nullptr) throw std::runtime_error(final_.string() + ": the archive was discarded");
  archive_entry* entry = archive_entry_new();
  archive_entry_set_pathname(entry, name.c_str());
  archive_entry_set_size(entry, static_cast<la_int64_t>(bytes.size()));
  archive_entry_set_filetype(entry, AE_IFREG);
  archive_entry_set_perm(entry, 0644);
  archive_entry_set_mtime(entry, 0, 0);
  const int header = archive_write_header(archive_, entry);
  archive_entry_free(entry);
  if (header != ARCHIVE_OK) fail("write failed", archive_errno(archive_));
  // The format writes the whole header (a pax extension too) at once: the stream position is the data's.
  members_.push_back({name, static_cast<uint64_t>(archive_filter_bytes(archive_, 0)), bytes.size()});
  const la_ssize_t n = archive_write_data(archive_, bytes.data(), bytes.size());
  if (n < 0 || static_cast<size_t>(n) != bytes.size()) fail("write failed", archive_errno(archive_));
  size_ += 512 + padded(bytes.size()) + (name.size() > 100 ? 1536 : 0);  // a pax header for long names
}

void TarWriter::commit() {
  if (archive_ == nullptr) throw std::runtime_error(final_.string() + ": the archive was discarded");
  if (archive_write_close(archive_) != ARCHIVE_OK) fail("write failed", archive_errno(archive_));
  archive_write_free(archive_);
  archive_ = nullptr;
  if (::fsync(fd_) != 0) fail("fsync failed", errno);
  const int closed = ::close(fd_);
  fd_ = -1;
  if (closed != 0) fail("close failed", errno);
  if (::rename(temp_.c_str(), final_.c_str()) != 0) fail("rename failed", errno);
  committed_ = true;
  sync_folder(final_.parent_path());
}

#else  // built without libarchive

bool webdataset_available() { return false; }

namespace {
[[noreturn]] void unavailable() {
  throw std::runtime_error(
      "this sinforge was built without libarchive: the webdataset layout is unavailable");
}
}  // namespace

TarWriter::TarWriter(fs::path final_path) : final_(std::move(final_path)) { unavailable(); }
TarWriter::~TarWriter() = default;
void TarWriter::add(const std::string&, std::span<const uint8_t>) { unavailable(); }
void TarWriter::commit() { unavailable(); }
void TarWriter::fail(const std::string&, int) { unavailable(); }
void TarWriter::discard() noexcept {}

#endif

// One libarchive reader for every tar sinforge reads (core/tar_stream.h): resume and verify here, the
// --content shards there. Without libarchive its constructor throws.
void read_tar(const fs::path& file, const std::function<bool(const std::string&)>& wants_data,
              const std::function<void(const std::string& name, const std::string& data)>& on_member) {
  TarStream tar(file);
  std::string name;
  uint64_t size = 0;
  while (tar.next(name, size)) on_member(name, wants_data(name) ? tar.read_data() : std::string());
}

}  // namespace sinforge
