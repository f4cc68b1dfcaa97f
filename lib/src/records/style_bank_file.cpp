#include "sinforge/records/style_bank_file.h"

#include <bit>
#include <chrono>
#include <cstring>
#include <fstream>
#include <iterator>
#include <map>

#include "sinforge/core/atomic_file.h"
#include "sinforge/core/error.h"
#include "sinforge/core/log.h"
#include "sinforge/weights/weights.h"

namespace sinforge {
namespace {

namespace fs = std::filesystem;

// Values are written as the host stores them; the format is little-endian.
static_assert(std::endian::native == std::endian::little, "the bank format assumes a little-endian host");

constexpr char kMagic[8] = {'S', 'I', 'N', 'F', 'B', 'A', 'N', 'K'};

uint64_t fnv1a(const uint8_t* data, size_t n) {
  uint64_t h = 1469598103934665603ull;
  for (size_t i = 0; i < n; ++i) h = (h ^ data[i]) * 1099511628211ull;
  return h;
}

class Writer {
 public:
  template <typename T>
  void put(T v) {
    const auto* p = reinterpret_cast<const uint8_t*>(&v);
    bytes_.insert(bytes_.end(), p, p + sizeof(T));
  }
  void put_string(const std::string& s) {
    put(static_cast<uint32_t>(s.size()));
    bytes_.insert(bytes_.end(), s.begin(), s.end());
  }
  void put_floats(const at::Tensor& t) {
    const at::Tensor c = t.to(at::kCPU, at::kFloat).contiguous();
    const auto* p = reinterpret_cast<const uint8_t*>(c.data_ptr<float>());
    bytes_.insert(bytes_.end(), p, p + c.numel() * sizeof(float));
  }
  std::vector<uint8_t>& bytes() { return bytes_; }

 private:
  std::vector<uint8_t> bytes_;
};

// Bounds-checked reads: a truncated or corrupt file is reported, never read past.
class Reader {
 public:
  Reader(const std::vector<uint8_t>& bytes, size_t end, std::string name)
      : bytes_(bytes), end_(end), name_(std::move(name)) {}
  template <typename T>
  T get() {
    T v;
    std::memcpy(&v, take(sizeof(T)), sizeof(T));
    return v;
  }
  std::string get_string() {
    const uint32_t n = get<uint32_t>();
    const uint8_t* p = take(n);
    return {reinterpret_cast<const char*>(p), n};
  }
  // A count of items of at least item_bytes each: bounded by what is left, so a corrupt count cannot
  // make the reader allocate gigabytes.
  uint64_t get_count(size_t item_bytes) {
    const uint64_t n = get<uint64_t>();
    if (n > (end_ - pos_) / item_bytes) fail("a count runs past the end of the file");
    return n;
  }
  at::Tensor get_floats(int64_t rows, int64_t cols) {
    at::Tensor t = at::empty({rows, cols}, at::kFloat);
    std::memcpy(t.data_ptr<float>(), take(static_cast<size_t>(rows * cols) * sizeof(float)),
                static_cast<size_t>(rows * cols) * sizeof(float));
    return t;
  }
  bool at_end() const { return pos_ == end_; }
  [[noreturn]] void fail(const std::string& what) const {
    throw BankFileError(str_cat(name_, ": not a usable style bank (", what, ")"));
  }

 private:
  const uint8_t* take(size_t n) {
    if (n > end_ - pos_) fail("truncated");
    const uint8_t* p = bytes_.data() + pos_;
    pos_ += n;
    return p;
  }
  const std::vector<uint8_t>& bytes_;
  size_t pos_ = 0;
  size_t end_;
  std::string name_;
};

void put_key(Writer& w, const BankKey& key) {
  w.put_string(key.vgg_sha256);
  w.put_string(key.precision);
  w.put(static_cast<int32_t>(key.recipe.size));
  w.put(static_cast<int32_t>(key.recipe.crop));
  w.put(static_cast<int32_t>(key.recipe.filter));
  w.put(static_cast<int32_t>(key.recipe.min_size));
  w.put(static_cast<uint64_t>(key.paintings.size()));
  for (const PaintingStamp& p : key.paintings) {
    w.put_string(p.path);
    w.put(p.bytes);
    w.put(p.mtime_ns);
  }
}

BankKey get_key(Reader& r) {
  BankKey key;
  key.vgg_sha256 = r.get_string();
  key.precision = r.get_string();
  key.recipe.size = r.get<int32_t>();
  const int32_t crop = r.get<int32_t>(), filter = r.get<int32_t>();
  if (crop < 0 || crop > 1 || filter < 0 || filter > 2) r.fail("bad recipe");
  key.recipe.crop = static_cast<StyleCrop>(crop);
  key.recipe.filter = static_cast<ResampleFilter>(filter);
  key.recipe.min_size = r.get<int32_t>();
  key.paintings.resize(r.get_count(4 + 16));
  for (PaintingStamp& p : key.paintings) {
    p.path = r.get_string();
    p.bytes = r.get<uint64_t>();
    p.mtime_ns = r.get<int64_t>();
  }
  return key;
}

std::string recipe_changes(const StyleRecipe& a, const StyleRecipe& b) {
  std::string out;
  const auto note = [&](const char* name, const std::string& x, const std::string& y) {
    if (x != y) out += str_cat(out.empty() ? "" : ", ", name, " ", x, " -> ", y);
  };
  note("style-size", std::to_string(a.size), std::to_string(b.size));
  note("style-crop", to_string(a.crop), to_string(b.crop));
  note("style-filter", to_string(a.filter), to_string(b.filter));
  note("style-min-size", std::to_string(a.min_size), std::to_string(b.min_size));
  return out;
}

std::string painting_changes(const std::vector<PaintingStamp>& stored,
                             const std::vector<PaintingStamp>& now) {
  std::map<std::string, const PaintingStamp*> old_by_path;
  for (const PaintingStamp& p : stored) old_by_path[p.path] = &p;
  size_t added = 0, modified = 0;
  std::string example;
  for (const PaintingStamp& p : now) {
    const auto it = old_by_path.find(p.path);
    if (it == old_by_path.end()) {
      ++added;
      if (example.empty()) example = p.path + " added";
      continue;
    }
    if (!(*it->second == p)) {
      ++modified;
      if (example.empty()) example = p.path + " modified (size or time)";
    }
    old_by_path.erase(it);
  }
  const size_t removed = old_by_path.size();
  if (example.empty() && removed > 0) example = old_by_path.begin()->first + " removed";
  if (added + modified + removed == 0) return stored == now ? "" : "the paintings' order changed";
  return str_cat("paintings: ", added, " added, ", removed, " removed, ", modified, " modified (", example,
                 ")");
}

std::vector<uint8_t> read_all(const fs::path& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) throw BankFileError(str_cat(file.string(), ": cannot open (", std::strerror(errno), ")"));
  std::vector<uint8_t> bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (in.bad()) throw BankFileError(str_cat(file.string(), ": read error"));
  return bytes;
}

}  // namespace

BankKey make_bank_key(const fs::path& styles_dir, const std::vector<fs::path>& found, const fs::path& vgg,
                      Precision precision, const StyleRecipe& recipe) {
  return make_bank_key_with_digest(styles_dir, found, sha256_hex(vgg), precision, recipe);
}

BankKey make_bank_key_with_digest(const fs::path& styles_dir, const std::vector<fs::path>& found,
                                  const std::string& vgg_sha256, Precision precision,
                                  const StyleRecipe& recipe) {
  BankKey key{vgg_sha256, to_string(precision), recipe, {}};
  for (const fs::path& rel : found) {
    const fs::path file = styles_dir / rel;
    std::error_code ec;
    const uint64_t bytes = fs::file_size(file, ec);
    const auto mtime = fs::last_write_time(file, ec);
    const int64_t ns = std::chrono::duration_cast<std::chrono::nanoseconds>(mtime.time_since_epoch()).count();
    key.paintings.push_back({rel.generic_string(), ec ? 0 : bytes, ec ? 0 : ns});
  }
  return key;
}

void save_style_bank(const fs::path& file, const BankKey& key, const StyleBank& bank,
                     const std::vector<SkippedInput>& skipped, const std::string& owner) {
  std::map<std::string, uint64_t> index;
  for (size_t i = 0; i < key.paintings.size(); ++i) index[key.paintings[i].path] = i;
  const auto index_of = [&](const fs::path& rel) {
    const auto it = index.find(rel.generic_string());
    if (it == index.end())
      throw std::logic_error("save_style_bank: painting not in the key: " + rel.string());
    return it->second;
  };
  Writer w;
  for (char c : kMagic) w.put(c);
  w.put(kStyleBankVersion);
  put_key(w, key);
  w.put(static_cast<uint64_t>(bank.paintings.size()));
  for (const fs::path& p : bank.paintings) w.put(index_of(p));
  w.put(static_cast<uint64_t>(skipped.size()));
  for (const SkippedInput& s : skipped) {
    w.put(index_of(s.path));
    w.put_string(s.reason);
  }
  const uint32_t channels = bank.paintings.empty() ? 0 : static_cast<uint32_t>(bank.mean.size(1));
  w.put(channels);
  if (!bank.paintings.empty()) {
    w.put_floats(bank.mean);
    w.put_floats(bank.std);
  }
  w.put(fnv1a(w.bytes().data(), w.bytes().size()));
  write_file_atomic(file, w.bytes(), owner);
}

LoadedBank load_style_bank(const fs::path& file) {
  const std::vector<uint8_t> bytes = read_all(file);
  Reader r(bytes, bytes.size() < 8 ? 0 : bytes.size() - 8, file.string());
  if (bytes.size() < sizeof(kMagic) + 12 || std::memcmp(bytes.data(), kMagic, sizeof(kMagic)) != 0)
    r.fail("no bank header");
  for (size_t i = 0; i < sizeof(kMagic); ++i) r.get<char>();
  const uint32_t version = r.get<uint32_t>();
  if (version != kStyleBankVersion)
    r.fail(str_cat("format version ", version, ", expected ", kStyleBankVersion));
  uint64_t stored_sum = 0;
  std::memcpy(&stored_sum, bytes.data() + bytes.size() - 8, 8);
  if (stored_sum != fnv1a(bytes.data(), bytes.size() - 8)) r.fail("checksum mismatch: truncated or corrupt");
  LoadedBank out;
  out.key = get_key(r);
  const auto painting = [&](uint64_t i) {
    if (i >= out.key.paintings.size()) r.fail("painting index out of range");
    return fs::path(out.key.paintings[i].path);
  };
  out.bank.paintings.resize(r.get_count(8));
  for (fs::path& p : out.bank.paintings) p = painting(r.get<uint64_t>());
  out.skipped.resize(r.get_count(12));
  for (SkippedInput& s : out.skipped) {
    s.kind = "painting";
    s.path = painting(r.get<uint64_t>());
    s.reason = r.get_string();
  }
  const auto rows = static_cast<int64_t>(out.bank.paintings.size());
  const int64_t channels = r.get<uint32_t>();
  if (rows > 0) {
    if (channels <= 0) r.fail("no channels");
    out.bank.mean = r.get_floats(rows, channels);
    out.bank.std = r.get_floats(rows, channels);
  }
  if (!r.at_end()) r.fail("bytes left over");
  return out;
}

std::string bank_changes(const BankKey& stored, const BankKey& current) {
  std::vector<std::string> changes;
  if (stored.vgg_sha256 != current.vgg_sha256) {
    changes.push_back(str_cat("VGG weights (sha256 ", stored.vgg_sha256.substr(0, 12), "... -> ",
                              current.vgg_sha256.substr(0, 12), "...)"));
  }
  if (stored.precision != current.precision)
    changes.push_back(str_cat("precision ", stored.precision, " -> ", current.precision));
  if (const std::string r = recipe_changes(stored.recipe, current.recipe); !r.empty())
    changes.push_back("recipe: " + r);
  if (const std::string p = painting_changes(stored.paintings, current.paintings); !p.empty())
    changes.push_back(p);
  std::string out;
  for (const std::string& c : changes) out += (out.empty() ? "" : "; ") + c;
  return out;
}

}  // namespace sinforge
