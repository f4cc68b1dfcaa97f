// The cue-conflict stimuli of the shape bias test (Geirhos et al., ICLR 2019; model-vs-human's
// cue-conflict.tar.gz): DIR/<class>/<shape><i>-<texture><j>.png for the 16 classes of human_categories.h,
// where the folder is the shape class and the name's second part the texture class. Images whose shape and
// texture classes are equal carry no conflict and are left out, as the published analysis does.
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string_view>
#include <vector>

namespace sinforge {

struct CueConflictImage {
  std::filesystem::path path;
  int shape = -1;    // index into human_categories()
  int texture = -1;  // likewise; never equal to shape
};

struct CueConflictStimuli {
  std::filesystem::path dir;                      // the folder scanned
  std::vector<CueConflictImage> images;           // by class folder, then file name
  int64_t same_class = 0;                         // images left out: shape class == texture class
  std::vector<std::filesystem::path> not_images;  // files that are not .png, ignored (and reported)
};

struct CueConflictName {
  int shape = -1;
  int texture = -1;
};

// "cat3-elephant10.png" -> {cat, elephant}. The extension is matched case-insensitively; nullopt when the
// name is not <class><digits>-<class><digits>.png with both classes among the 16.
std::optional<CueConflictName> parse_cue_conflict_name(std::string_view file_name);

// Lists the stimuli below dir. Throws UsageError naming the path when dir or one of the 16 class folders is
// missing, a .png file's name is malformed, or its shape part is not its folder's class. Folders beside the
// 16 and files that are not .png are logged and not counted.
CueConflictStimuli scan_cue_conflict(const std::filesystem::path& dir);

}  // namespace sinforge
