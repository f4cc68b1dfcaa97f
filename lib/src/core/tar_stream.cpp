#include "sinforge/core/tar_stream.h"

#include "sinforge/core/log.h"

#if SINFORGE_HAVE_LIBARCHIVE
#include <archive.h>
#include <archive_entry.h>
#endif

namespace sinforge {

#if SINFORGE_HAVE_LIBARCHIVE

namespace {
// Large sequential reads suit the network filesystems tar shards live on.
constexpr size_t kReadBlockBytes = 1 << 20;
}  // namespace

TarStream::TarStream(const std::filesystem::path& file) : file_(file), archive_(archive_read_new()) {
  archive_read_support_format_tar(archive_);
  if (archive_read_open_filename(archive_, file.c_str(), kReadBlockBytes) != ARCHIVE_OK) {
    // A constructor that throws runs no destructor: the handle is freed here, after its message is read.
    const char* reason = archive_error_string(archive_);
    std::string message =
        str_cat(file.string(), ": cannot open the tar (", reason != nullptr ? reason : "unknown", ")");
    archive_read_free(archive_);
    archive_ = nullptr;
    throw TarStreamError(message);
  }
}

TarStream::~TarStream() {
  if (archive_ != nullptr) archive_read_free(archive_);
}

void TarStream::fail(const std::string& what) {
  const char* reason = archive_error_string(archive_);
  throw TarStreamError(
      str_cat(file_.string(), ": ", what, " (", reason != nullptr ? reason : "unknown", ")"));
}

bool TarStream::next(std::string& name, uint64_t& size) {
  for (;;) {
    if (data_pending_ && archive_read_data_skip(archive_) != ARCHIVE_OK)
      fail("member " + member_ + " is truncated");
    data_pending_ = false;
    archive_entry* entry = nullptr;
    const int r = archive_read_next_header(archive_, &entry);
    if (r == ARCHIVE_EOF) return false;
    if (r != ARCHIVE_OK && r != ARCHIVE_WARN)
      fail(member_.empty() ? "unreadable first member header" : "unreadable member header after " + member_);
    member_ = archive_entry_pathname(entry) != nullptr ? archive_entry_pathname(entry) : "";
    data_pending_ = true;
    if (archive_entry_filetype(entry) != AE_IFREG) continue;
    name = member_;
    size = static_cast<uint64_t>(archive_entry_size(entry));
    return true;
  }
}

std::string TarStream::read_data() {
  std::string data;
  char buffer[1 << 16];
  for (;;) {
    const la_ssize_t n = archive_read_data(archive_, buffer, sizeof buffer);
    if (n == 0) break;
    if (n < 0) fail("member " + member_ + " is truncated");
    data.append(buffer, static_cast<size_t>(n));
  }
  data_pending_ = false;
  return data;
}

#else  // built without libarchive

TarStream::TarStream(const std::filesystem::path& file) : file_(file) {
  throw TarStreamError(file.string() + ": this sinforge was built without libarchive: tars cannot be read");
}
TarStream::~TarStream() = default;
void TarStream::fail(const std::string& what) { throw TarStreamError(file_.string() + ": " + what); }
bool TarStream::next(std::string&, uint64_t&) { fail("no libarchive"); }
std::string TarStream::read_data() { fail("no libarchive"); }

#endif

std::string tar_member_label(const std::filesystem::path& tar, const std::string& member) {
  return tar.string() + ":" + member;
}

}  // namespace sinforge
