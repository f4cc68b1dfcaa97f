// Files that appear whole or not at all. A writer fills a temporary beside the target, fsyncs it and renames
// it over the target, so a reader (or a resumed run after a kill) sees the old file or the complete new one,
// never a torn one. The temporaries' names follow one format, owned here: a resumed run recognises the
// leftovers of a killed one (resume.h, tar_resume.h) by is_atomic_temporary, not by its own parsing.
#pragma once

#include <cstdint>
#include <filesystem>
#include <span>
#include <string>

namespace sinforge {

// The temporary for target's file name: ".<name>.tmp-<pid>-<counter>", unique per process and call; with an
// owner (letters, digits, '-'; a shard label such as "shard-0-of-2") ".<name>.tmp-<owner>-<pid>-<counter>".
// The owner is for files that several writers share (the settings record, the style bank): a temporary a
// killed writer left behind can then be removed by that writer's next run alone, never while another shard
// is still filling its own.
std::string atomic_temporary_name(const std::string& target_name, const std::string& owner = {});

// Whether a file name is such a temporary; if so, sets target_name to <name> and owner to <owner> (empty
// when the name has none).
bool is_atomic_temporary(const std::string& file_name, std::string* target_name = nullptr,
                         std::string* owner = nullptr);

// Writes bytes to target atomically: the temporary (named with owner, see above) in the same folder, fsync,
// rename. Creates missing parent folders. On failure the temporary is removed and std::runtime_error names
// the path and the OS error.
void write_file_atomic(const std::filesystem::path& target, std::span<const uint8_t> bytes,
                       const std::string& owner = {});

// write_file_atomic in its two halves, so that the wait for the disk can run on another thread than the
// work that made the bytes (output_writer.h): write_file_pending creates the folders and fills the
// temporary; commit() then fsyncs, closes and renames it over the target. Destroyed uncommitted (or after a
// failed commit), the temporary is removed: the target never holds a file that was not made durable.
class PendingFile {
 public:
  PendingFile(PendingFile&& other) noexcept;
  PendingFile& operator=(PendingFile&&) = delete;
  PendingFile(const PendingFile&) = delete;
  ~PendingFile();
  // Throws std::runtime_error naming the target and the OS error. At most once.
  void commit();

 private:
  friend PendingFile write_file_pending(const std::filesystem::path&, std::span<const uint8_t>,
                                        const std::string&);
  PendingFile(std::filesystem::path target, std::filesystem::path temp, int fd);
  [[noreturn]] void fail(const std::string& what, int err);

  std::filesystem::path target_;
  std::filesystem::path temp_;
  int fd_ = -1;
  bool done_ = false;  // renamed, or given up (the temporary removed)
};

PendingFile write_file_pending(const std::filesystem::path& target, std::span<const uint8_t> bytes,
                               const std::string& owner = {});

}  // namespace sinforge
