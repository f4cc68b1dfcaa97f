#include "sinforge/records/records.h"

#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <chrono>
#include <cstring>
#include <fstream>
#include <iterator>
#include <stdexcept>

#include "sinforge/core/atomic_file.h"
#include "sinforge/image/image_io.h"

namespace sinforge {
namespace {

// A row torn by a kill (no newline yet) is cut off before appending: read_csv drops it anyway, and the next
// row must not be glued onto it.
void drop_torn_row(const std::filesystem::path& file) {
  std::error_code ec;
  const auto size = std::filesystem::file_size(file, ec);
  if (ec || size == 0) return;
  std::ifstream in(file, std::ios::binary);
  auto end = static_cast<std::streamoff>(size);
  char c = 0;
  while (end > 0) {
    in.seekg(end - 1);
    if (!in.get(c) || c == '\n') break;
    --end;
  }
  if (end != static_cast<std::streamoff>(size))
    std::filesystem::resize_file(file, static_cast<uintmax_t>(end));
}

std::FILE* open_for_append(const std::filesystem::path& file, const std::vector<std::string>& header) {
  drop_torn_row(file);
  const bool fresh = !std::filesystem::exists(file) || std::filesystem::file_size(file) == 0;
  std::FILE* f = std::fopen(file.c_str(), "ab");
  if (f == nullptr) throw std::runtime_error("cannot open " + file.string() + " for writing");
  if (fresh) std::fputs(csv_row(header).c_str(), f);
  return f;
}

void write_row(std::FILE* f, const std::vector<std::string>& fields, const std::filesystem::path& file) {
  const std::string row = csv_row(fields);
  if (std::fwrite(row.data(), 1, row.size(), f) != row.size()) {
    throw std::runtime_error("cannot write to " + file.string());
  }
}

// Returns 0 or the errno of the failing step.
int sync(std::FILE* f) {
  if (f == nullptr) return 0;
  if (std::fflush(f) != 0) return errno;
  if (::fsync(::fileno(f)) != 0) return errno;
  return 0;
}

}  // namespace

std::filesystem::path manifest_path(const std::filesystem::path& out_dir, const ShardId& shard) {
  return out_dir / ("sinforge.manifest." + shard.label() + ".csv");
}
std::filesystem::path skipped_path(const std::filesystem::path& out_dir, const ShardId& shard) {
  return out_dir / ("sinforge.skipped." + shard.label() + ".csv");
}
std::filesystem::path summary_path(const std::filesystem::path& out_dir, const ShardId& shard) {
  return out_dir / ("sinforge.summary." + shard.label() + ".json");
}

RunRecorder::RunRecorder(const std::filesystem::path& out_dir, const ShardId& shard, bool with_tar_column,
                         const std::string& second_column)
    : out_dir_(out_dir), shard_(shard), with_tar_column_(with_tar_column) {
  std::filesystem::create_directories(out_dir);
  std::vector<std::string> header = {"content", second_column, "output", "width", "height"};
  if (with_tar_column) header.push_back("tar");
  manifest_ = open_for_append(manifest_path(out_dir, shard), header);
  skipped_ = open_for_append(skipped_path(out_dir, shard), {"kind", "path", "reason"});
}

RunRecorder::~RunRecorder() {
  sync(manifest_);
  sync(skipped_);
  if (manifest_ != nullptr) std::fclose(manifest_);
  if (skipped_ != nullptr) std::fclose(skipped_);
}

void RunRecorder::record_output(const ManifestEntry& e) {
  const std::lock_guard lock(mutex_);
  std::vector<std::string> row = {e.content, e.painting, e.output, std::to_string(e.width),
                                  std::to_string(e.height)};
  if (with_tar_column_) row.push_back(e.tar);
  write_row(manifest_, row, manifest_path(out_dir_, shard_));
}

void RunRecorder::record_skip(const SkippedInput& s) {
  const std::lock_guard lock(mutex_);
  write_row(skipped_, {s.kind, s.path.generic_string(), s.reason}, skipped_path(out_dir_, shard_));
}

void RunRecorder::flush() {
  const std::lock_guard lock(mutex_);
  const auto start = std::chrono::steady_clock::now();
  const int manifest_error = sync(manifest_), skipped_error = sync(skipped_);
  flush_seconds_ += std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  if (manifest_error != 0 || skipped_error != 0) {
    throw std::runtime_error("cannot write the records in " + out_dir_.string() + " (" +
                             std::strerror(manifest_error != 0 ? manifest_error : skipped_error) + ")");
  }
}

void RunRecorder::write_summary(const nlohmann::json& summary) {
  const std::string text = summary.dump(2) + "\n";
  write_file_atomic(summary_path(out_dir_, shard_),
                    std::span(reinterpret_cast<const uint8_t*>(text.data()), text.size()));
}

std::vector<std::vector<std::string>> read_csv(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) throw std::runtime_error("cannot read " + file.string());
  const std::string text{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
  // Anything after the last newline is a row torn by a crash: dropped.
  return parse_csv(text, CsvTail::kDropTorn);
}

ManifestEntry manifest_entry(const std::vector<std::string>& r, const std::string& where) {
  if (r.size() != 5 && r.size() != 6) throw std::runtime_error(where + " is malformed");
  // from_chars, not stoi: a damaged number must be this file's error (runtime_error naming the row), not
  // std::invalid_argument("stoi") from deep inside, and "12abc" must not read as 12.
  const auto number = [&](const std::string& field, const char* what) {
    int value = 0;
    const auto [end, ec] = std::from_chars(field.data(), field.data() + field.size(), value);
    if (ec != std::errc() || end != field.data() + field.size() || field.empty())
      throw std::runtime_error(where + ": the " + what + " '" + field + "' is not a number");
    return value;
  };
  return {r[0], r[1], r[2], number(r[3], "width"), number(r[4], "height"), r.size() == 6 ? r[5] : ""};
}

std::vector<ManifestEntry> read_manifests(const std::filesystem::path& out_dir) {
  std::vector<std::filesystem::path> files;
  for (const auto& e : std::filesystem::directory_iterator(out_dir)) {
    const std::string name = e.path().filename().string();
    if (name.starts_with("sinforge.manifest.") && name.ends_with(".csv")) files.push_back(e.path());
  }
  std::sort(files.begin(), files.end());
  std::vector<ManifestEntry> entries;
  for (const auto& file : files) {
    const auto rows = read_csv(file);
    for (size_t i = 1; i < rows.size(); ++i)
      entries.push_back(manifest_entry(rows[i], file.string() + ": row " + std::to_string(i + 1)));
  }
  return entries;
}

}  // namespace sinforge
