// Reading a tar as a stream through libarchive: member headers in order, each member's data read or skipped,
// nothing extracted to disk. The one tar reader: of --content tar shards, for the scan (tar_scan.h: names
// and the small .cls members) and the decode (image/tar_source.h: the images, in the tar's order), and of
// our own tars for resume and verify (output/tar_file.h read_tar). A damaged tar
// throws TarStreamError at the first header or data that cannot be read; what came before stays valid.
// Builds without libarchive get a constructor that throws.
#pragma once

#include <cstdint>
#include <filesystem>
#include <stdexcept>
#include <string>

struct archive;        // libarchive's handle
struct archive_entry;  // and its header

namespace sinforge {

struct TarStreamError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

class TarStream {
 public:
  // Throws TarStreamError when the file cannot be opened.
  explicit TarStream(const std::filesystem::path& file);
  ~TarStream();
  TarStream(const TarStream&) = delete;
  TarStream& operator=(const TarStream&) = delete;

  // Moves to the next regular-file member (folders and links are passed over) and gives its name and size;
  // false at the end of the archive. The previous member's data, unread, is skipped.
  bool next(std::string& name, uint64_t& size);
  // The current member's data (once per member).
  std::string read_data();
  const std::filesystem::path& file() const { return file_; }

 private:
  [[noreturn]] void fail(const std::string& what);
  std::filesystem::path file_;
  ::archive* archive_ = nullptr;
  std::string member_;
  bool data_pending_ = false;
};

// "<tar>:<member>": how records and messages name a member.
std::string tar_member_label(const std::filesystem::path& tar, const std::string& member);

}  // namespace sinforge
