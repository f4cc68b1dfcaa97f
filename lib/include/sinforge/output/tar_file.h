// Writing and reading tar files through libarchive (Debian's libarchive-dev), in the pax-restricted format:
// plain ustar headers unless a name needs pax's extension, which Python's tarfile, webdataset and DALI read.
// Builds configured without libarchive (the carried GPU build, docs/GPU.md) get versions that throw.
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <span>
#include <string>
#include <vector>

struct archive;  // libarchive's handle

namespace sinforge {

// A member as written: its name, where its data starts in the tar and its size (for index files).
struct TarMember {
  std::string name;
  uint64_t data_offset = 0;
  uint64_t size = 0;
};

// A tar being written under a temporary name beside its final one (".<name>.tmp-<pid>-<n>", the name
// atomic_file.h's is_atomic_temporary recognises). Nothing appears under the final name until commit(): the
// archive is closed, fsynced and renamed, and the folder fsynced. Destroyed uncommitted (an error, a
// stop), the temporary is removed. Errors throw std::runtime_error naming the file and the OS error.
class TarWriter {
 public:
  explicit TarWriter(std::filesystem::path final_path);
  ~TarWriter();
  TarWriter(const TarWriter&) = delete;
  TarWriter& operator=(const TarWriter&) = delete;

  // Appends a regular file member (mode 0644, mtime 0: the same bytes on every run).
  void add(const std::string& name, std::span<const uint8_t> bytes);
  // Bytes the archive takes so far: headers, data and padding.
  uint64_t size() const { return size_; }
  const std::filesystem::path& final_path() const { return final_; }
  const std::vector<TarMember>& members() const { return members_; }
  void commit();

 private:
  [[noreturn]] void fail(const std::string& what, int err);
  void discard() noexcept;

  std::filesystem::path final_, temp_;
  int fd_ = -1;
  ::archive* archive_ = nullptr;
  uint64_t size_ = 0;
  std::vector<TarMember> members_;
  bool committed_ = false;
};

// Calls on_member for every regular-file member of a tar in order (core/tar_stream.h reads it), with its
// data when wants_data(name) says so (others are skipped without reading). Throws std::runtime_error naming
// the file on a truncated or corrupt tar.
void read_tar(const std::filesystem::path& file, const std::function<bool(const std::string&)>& wants_data,
              const std::function<void(const std::string& name, const std::string& data)>& on_member);

}  // namespace sinforge
