// --content as WebDataset tar shards: which tars (expand_tar_spec), and the samples in them (scan_tars),
// the tar counterpart of scan.h's folder scan.
//
// A sample is the members sharing a key, WebDataset's rule: the member's path up to the first dot of its
// last component (`a/b.c.jpg` -> key `a/b`, extension `c.jpg`). Its image is its first member whose
// extension is one of --extensions (any case); its class the text of its `.cls` member (a class number,
// named by --classes when given), else the key's folder part. The sample then stands for the relative path
// `<class>/<key>.<ext>` (just `<key>.<ext>` when the class is the key's folder part): the path the same
// images would have extracted into folders, and so what pairing, shards, names and resume use. Members that
// belong to no image (.json, ...) are read over, never loaded.
#pragma once

#include <cstddef>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "sinforge/core/tar_stream.h"  // tar_member_label
#include "sinforge/core/thread_pool.h"

namespace sinforge {

// Whether --content names tar shards rather than a folder tree: a `.tar` file, a brace pattern, a file
// listing tars, or a folder whose top level holds `.tar` files. A folder holding both `.tar` files and
// sub-folders is ambiguous and throws UsageError.
bool names_tar_shards(const std::string& content);

// The tars --content names, in order: a brace pattern (`train-{000000..001023}.tar`, `{a,b}`; a range keeps
// its zero padding), a folder's top-level `.tar` files (sorted), a file listing one tar a line (relative to
// the list's folder; blank lines and `#` comments ignored), or one `.tar` file. Throws UsageError when none
// is named, a named tar does not exist (naming the first and how many), or the list is no text (an image
// given as --content: naming the file and what --content takes).
std::vector<std::filesystem::path> expand_tar_spec(const std::string& content);

// The class names of --classes FILE: line i names class i. Throws UsageError on an unreadable file, an empty
// list, or a name that is empty, holds '/' or is "." or "..".
std::vector<std::string> read_class_names(const std::filesystem::path& file);

struct TarSample {
  std::filesystem::path relative;  // <class>/<key>.<ext>: what a folder scan would list
  std::string key;                 // the sample's key in its tar
  size_t tar = 0;                  // index into the tars
  std::string member;              // the image member's name in its tar
  size_t ordinal = 0;              // the image's place among its tar's images: the decode's order
};

struct TarProblem {
  std::string where;  // "<tar>:<member>", or "<tar>" for the tar itself
  std::string reason;
};

struct TarScan {
  std::vector<std::filesystem::path> tars;
  std::vector<TarSample> samples;    // sorted by relative path, as scan_images sorts
  std::vector<TarProblem> problems;  // samples left out (and why), and tars cut short
};

// Reads every tar to its end, tars in parallel on pool: names only, and the data of `.cls` members. A tar
// that breaks off (truncated, corrupt) keeps the samples read before the break; the sample being read
// there and the tar are reported in problems. A sample whose `.cls` is not a class number (or names no
// class of classes), or whose path another sample already has, is reported and left out.
TarScan scan_tars(const std::vector<std::filesystem::path>& tars, const std::vector<std::string>& extensions,
                  const std::optional<std::vector<std::string>>& classes, ThreadPool& pool);

// For the webdataset layout, which keeps the input keys: of samples sharing a key (one key in two tars under
// two classes, or with two image extensions), the first in the tars' order stays; the others are reported
// in problems ("the same key as <tar>:<member>") and left out, as the scan leaves out a repeated path.
void leave_out_shared_keys(TarScan& scan);

}  // namespace sinforge
