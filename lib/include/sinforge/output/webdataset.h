// The WebDataset layout (--output-layout webdataset): names, keys and class numbers, shared by the writer
// (tar_sink.h), resume (tar_resume.h) and verify.
//
//   <out>/<prefix>-<K>-<NNNNNN>.tar   shard K's tar series, numbered from 000000; about --tar-size each
//   <out>/<prefix>-<K>-<NNNNNN>.idx   its index for DALI's fn.readers.webdataset (wds2idx's v1.2 format)
//   <out>/classes.txt                 the class names, one per line: line i is class index i
//
// Each sample is three consecutive members with one key: <key>.<jpg|png> (the image), <key>.cls (the class
// index as decimal text) and <key>.json (content, painting, seed, alpha, k, width, height). From a folder
// tree the key is the sample's planned folder-layout path without its extension, escaped so that it holds
// neither '.' nor '/': unique (the planned paths are), stable across reruns and shards (it depends on the
// plan, not on arrival order) and readable. From --content tar shards the key is the input sample's own
// key, followed by what the planned name adds to the content's name (with several styles
// "-stylized-<label>"), escaped the same way: a sample keeps its key from the input to the output.
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "sinforge/output/tar_file.h"
#include "sinforge/plan/output_plan.h"

namespace sinforge {

enum class OutputLayout { kFolder, kWebDataset };

// "folder" or "webdataset"; false on anything else.
bool parse_output_layout(const std::string& text, OutputLayout& layout);
std::string to_string(OutputLayout layout);

// "1G", "500M", "64k", "1GiB", "4096": bytes (k, M, G decimal; Ki, Mi, Gi binary; an optional trailing B).
// Throws UsageError naming --tar-size when the text is none of these or is 0.
uint64_t parse_byte_size(const std::string& text);

// Whether this build can write and read tars (libarchive was found when it was configured).
bool webdataset_available();

// The checks of --output-layout webdataset's flags that `run` and `derive` share: libarchive built in, a
// positive --tar-size, a --tar-prefix of letters, digits, '-' and '_'. Throws UsageError naming the flag.
void validate_webdataset_flags(uint64_t tar_size, const std::string& tar_prefix);

// The layout numbers classes by the content's top-level folder, as ImageFolder does: throws UsageError
// naming the first content that lies at the top of --content (it has no class; ImageFolder would not see
// it either).
void require_class_folders(const std::vector<std::filesystem::path>& contents);

// The planned output path (relative to --out) without its extension, escaped: letters, digits and '-' stay,
// '/' becomes "_s", '.' "_d", '_' "__" and any other byte "_xHH". Injective, so unique paths give unique
// keys.
std::string sample_key(const std::filesystem::path& planned_output);

// The key of planned.outputs[k] in the tars: sample_key of the planned path for a file of a folder tree; for
// a sample of --content tar shards (planned.key set) that key, then the escaped rest of the output's name
// after the content's name ("" with one style, "-stylized-<label>" with several).
std::string output_key(const PlannedContent& planned, size_t k);

// Throws UsageError naming the two contents when two planned outputs would get one key (output_key): only
// possible from tar shards, whose keys are the input's (the same key in two tars under two classes, or a key
// that another key plus a style's suffix spells). Called on the whole plan, before any work.
void check_unique_keys(const std::vector<PlannedContent>& planned);

// The class names of a content list: the sorted distinct top-level folders, as torchvision's ImageFolder
// numbers the classes of a tree (sorted folder names, index = position).
std::vector<std::string> class_names(const std::vector<std::filesystem::path>& contents);
// A content image's class: the index of its top-level folder in names; nullopt for a file at the top.
std::optional<size_t> class_index(const std::vector<std::string>& names,
                                  const std::filesystem::path& content_relative);

std::filesystem::path classes_path(const std::filesystem::path& out_dir);
// Writes classes.txt atomically (every shard writes the same list; owner, a shard label, names the
// temporary as write_settings's does).
void write_classes(const std::filesystem::path& out_dir, const std::vector<std::string>& names,
                   const std::string& owner = {});
// Reads classes.txt; empty when it does not exist.
std::vector<std::string> read_classes(const std::filesystem::path& out_dir);

// "<prefix>-<shard>-<number, 6 digits>.tar".
std::string tar_file_name(const std::string& prefix, size_t shard, uint64_t number);
// Whether name is a tar of prefix's series of that shard; sets number if so.
bool is_series_tar(const std::string& name, const std::string& prefix, size_t shard,
                   uint64_t* number = nullptr);

// The tars at the top of out_dir that belong to a shard's series, in number order.
std::vector<std::filesystem::path> series_tars(const std::filesystem::path& out_dir,
                                               const std::string& prefix, size_t shard);
// One more than the highest number in the shard's series (0 when there is none).
uint64_t next_tar_number(const std::filesystem::path& out_dir, const std::string& prefix, size_t shard);

// DALI's index of a tar in the text format of its wds2idx tool (v1.2): "v1.2 <samples>", then a line per
// sample (consecutive members with one key): "<ext> <data offset> <size> <member name>" per member.
std::string dali_index(const std::vector<TarMember>& members);
// <tar without .tar>.idx, beside the tar.
std::filesystem::path dali_index_path(const std::filesystem::path& tar);

// Splits a member name "<key>.<ext>" at its first dot, as webdataset does; false without a dot.
bool split_member_name(const std::string& name, std::string& key, std::string& ext);

}  // namespace sinforge
