#include "sinforge/weights/state_dict.h"

#include <caffe2/serialize/inline_container.h>

#include <array>
#include <cstring>
#include <fstream>
#include <limits>
#include <map>
#include <optional>
#include <set>

#include "sinforge/core/error.h"
#include "sinforge/weights/pickle.h"

namespace sinforge {

namespace {

using pickle::Kind;
using pickle::Value;

// "\x80\x02" PROTO 2, "\x8a\x0a" LONG1 of 10 bytes, then 0x1950a86a20f9469cfc6c little-endian.
constexpr std::array<unsigned char, 14> kLegacyHeader = {0x80, 0x02, 0x8a, 0x0a, 0x6c, 0xfc, 0x9c,
                                                         0x46, 0xf9, 0x20, 0x6a, 0xa8, 0x50, 0x19};
constexpr std::int64_t kLegacyProtocol = 1001;
constexpr std::int64_t kMaxDim = std::int64_t{1} << 40;

struct StorageType {
  const char* name;
  at::ScalarType dtype;
};

constexpr std::array<StorageType, 10> kStorageTypes = {{
    {"FloatStorage", at::kFloat},
    {"DoubleStorage", at::kDouble},
    {"HalfStorage", at::kHalf},
    {"BFloat16Storage", at::kBFloat16},
    {"LongStorage", at::kLong},
    {"IntStorage", at::kInt},
    {"ShortStorage", at::kShort},
    {"CharStorage", at::kChar},
    {"ByteStorage", at::kByte},
    {"BoolStorage", at::kBool},
}};

// A reference to (part of) a storage, as a persistent id names it.
struct StorageRef {
  std::string key;
  at::ScalarType dtype = at::kFloat;
  std::int64_t numel = 0;        // of the root storage
  std::int64_t view_offset = 0;  // legacy view_metadata: the view's first element in the root storage
  std::optional<std::int64_t> view_numel;
};

struct TensorRef {
  std::string name;
  StorageRef storage;
  std::int64_t offset = 0;
  std::vector<std::int64_t> size, stride;
};

class Interpreter {
 public:
  explicit Interpreter(std::string where) : where_(std::move(where)) {}

  [[noreturn]] void fail(const std::string& what) const { throw WeightsError(where_ + ": " + what); }

  std::vector<TensorRef> state_dict(const Value& root) {
    const bool ordered = root.is(Kind::kCall) && root.global_name() == "collections.OrderedDict";
    if (!root.is(Kind::kDict) && !ordered) {
      const auto name = root.global_name();
      if (root.is(Kind::kCall) && name.starts_with("torch.nn."))
        fail("holds a whole pickled module (" + std::string(name) +
             "), not a state dict: save module.state_dict() instead");
      fail("does not hold a state dict (an OrderedDict of tensors) but " + pickle::describe(root));
    }
    std::vector<TensorRef> out;
    std::set<std::string> seen;
    for (const auto& [k, v] : root.entries) {
      if (!k->is(Kind::kString)) fail("a state dict key is not a string: " + pickle::describe(*k));
      if (!seen.insert(k->text).second) fail("key '" + k->text + "' appears twice");
      key_ = k->text;
      TensorRef t = tensor(*v, 0);
      t.name = k->text;
      out.push_back(std::move(t));
    }
    return out;
  }

 private:
  [[noreturn]] void fail_key(const std::string& what) const { fail("key '" + key_ + "': " + what); }

  std::int64_t integer(const Value& v, const char* what) const {
    if (!v.is(Kind::kInt)) fail_key(std::string(what) + " is not an integer: " + pickle::describe(v));
    if (v.integer < 0 || v.integer > kMaxDim)
      fail_key(std::string(what) + " is out of range: " + std::to_string(v.integer));
    return v.integer;
  }
  std::vector<std::int64_t> int_tuple(const Value& v, const char* what) const {
    if (!v.is(Kind::kTuple) && !v.is(Kind::kList))
      fail_key(std::string(what) + " is not a tuple: " + pickle::describe(v));
    if (v.items.size() > 16)
      fail_key(std::string(what) + " has " + std::to_string(v.items.size()) + " dimensions");
    std::vector<std::int64_t> out;
    for (const Value* item : v.items) out.push_back(integer(*item, what));
    return out;
  }

  TensorRef tensor(const Value& v, int depth) {
    const auto name = v.global_name();
    if (v.is(Kind::kCall) && name == "torch._utils._rebuild_parameter" && depth == 0) {
      if (v.args->items.empty()) fail_key("_rebuild_parameter without arguments");
      return tensor(*v.args->items[0], depth + 1);
    }
    if (!v.is(Kind::kCall) ||
        (name != "torch._utils._rebuild_tensor_v2" && name != "torch._utils._rebuild_tensor"))
      fail_key("the value is not a tensor but " + pickle::describe(v));
    const auto& args = v.args->items;
    if (args.size() < 4) fail_key(std::string(name) + " with " + std::to_string(args.size()) + " arguments");
    TensorRef t;
    t.storage = storage(*args[0]);
    t.offset = integer(*args[1], "the storage offset");
    t.size = int_tuple(*args[2], "the size");
    t.stride = int_tuple(*args[3], "the stride");
    if (t.size.size() != t.stride.size())
      fail_key("size and stride differ in length (" + std::to_string(t.size.size()) + " and " +
               std::to_string(t.stride.size()) + ")");
    return t;
  }

  StorageRef storage(const Value& v) {
    if (!v.is(Kind::kPersistentId)) fail_key("the storage is not a persistent id but " + pickle::describe(v));
    const Value& pid = *v.args;
    if (!pid.is(Kind::kTuple) || pid.items.size() < 5 || !pid.items[0]->is(Kind::kString) ||
        pid.items[0]->text != "storage")
      fail_key("unexpected persistent id " + pickle::describe(pid));
    StorageRef s;
    const Value& type = *pid.items[1];
    if (!type.is(Kind::kGlobal)) fail_key("the storage type is not a global: " + pickle::describe(type));
    std::string_view type_name = type.text;
    const auto dot = type_name.rfind('.');
    const auto short_name = type_name.substr(dot + 1);
    const auto module = type_name.substr(0, dot);
    bool known = false;
    if (module == "torch" || module == "torch.cuda") {
      for (const auto& st : kStorageTypes)
        if (short_name == st.name) {
          s.dtype = st.dtype;
          known = true;
        }
    }
    if (!known) fail_key("unsupported storage type " + std::string(type_name));
    const Value& key = *pid.items[2];
    if (key.is(Kind::kString)) {
      s.key = key.text;
    } else if (key.is(Kind::kInt)) {
      s.key = std::to_string(key.integer);
    } else {
      fail_key("the storage key is not a string: " + pickle::describe(key));
    }
    s.numel = integer(*pid.items[4], "the storage size");
    if (pid.items.size() >= 6 && !pid.items[5]->is(Kind::kNone)) {  // legacy (view_key, offset, view_size)
      const Value& view = *pid.items[5];
      if (!view.is(Kind::kTuple) || view.items.size() != 3)
        fail_key("unexpected view metadata " + pickle::describe(view));
      s.view_offset = integer(*view.items[1], "the view offset");
      s.view_numel = integer(*view.items[2], "the view size");
      if (s.view_offset + *s.view_numel > s.numel)
        fail_key("a storage view [" + std::to_string(s.view_offset) + ", +" + std::to_string(*s.view_numel) +
                 ") lies outside its storage of " + std::to_string(s.numel) + " elements");
    }
    const auto [it, inserted] = storages_.emplace(s.key, s);
    if (!inserted && (it->second.dtype != s.dtype || it->second.numel != s.numel))
      fail_key("storage '" + s.key + "' is named with two different types or sizes");
    return s;
  }

  std::string where_;
  std::string key_;
  std::map<std::string, StorageRef> storages_;
};

// A storage's raw bytes copied into a fresh, aligned 1-D tensor of its dtype.
at::Tensor storage_tensor(const StorageRef& s, const char* bytes, std::size_t nbytes) {
  at::Tensor t = at::empty({s.numel}, at::TensorOptions().dtype(s.dtype));
  if (nbytes != 0) std::memcpy(t.data_ptr(), bytes, nbytes);
  return t;
}

// The tensor a _rebuild_tensor call describes, checked against its storage and copied out of it.
at::Tensor materialize(const std::string& where, const TensorRef& t, const at::Tensor& storage) {
  const std::int64_t base = t.storage.view_offset;
  const std::int64_t avail = t.storage.view_numel.value_or(t.storage.numel - base);
  std::int64_t numel = 1;
  std::int64_t last = t.offset;  // the last element's index relative to the view
  bool overflow = false;
  for (std::size_t d = 0; d < t.size.size(); ++d) {
    std::int64_t reach = 0;
    overflow |= __builtin_mul_overflow(t.size[d], numel, &numel);
    overflow |= __builtin_mul_overflow(t.size[d] > 0 ? t.size[d] - 1 : 0, t.stride[d], &reach);
    overflow |= __builtin_add_overflow(last, reach, &last);
  }
  if (overflow) throw WeightsError(where + ": key '" + t.name + "': sizes and strides overflow");
  // Expanded (stride 0) tensors may hold more elements than their storage; a weight file has no use for
  // huge ones, and a corrupt size must not turn into a giant allocation.
  if (numel > avail && numel > (std::int64_t{1} << 26))
    throw WeightsError(where + ": key '" + t.name + "': " + std::to_string(numel) +
                       " elements from a storage of " + std::to_string(avail));
  if (numel > 0 && last >= avail)
    throw WeightsError(where + ": key '" + t.name + "': offset " + std::to_string(t.offset) +
                       " with its sizes and strides reaches past the end of its storage of " +
                       std::to_string(avail) + " elements");
  if (numel == 0 && t.offset > avail)
    throw WeightsError(where + ": key '" + t.name + "': storage offset " + std::to_string(t.offset) +
                       " is past the end of its storage");
  return storage.as_strided(t.size, t.stride, base + t.offset).clone(at::MemoryFormat::Contiguous);
}

std::string read_file(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) throw WeightsError(file.string() + ": cannot open the file");
  std::string data((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (in.bad()) throw WeightsError(file.string() + ": read error");
  return data;
}

// The globals a torch.save state dict names: the OrderedDict, the tensor rebuild functions and the storage
// types. torch.load would import, and under REDUCE call, any global a file names (posix.system is what a
// malicious payload uses); a file naming another one is refused before anything else looks at it, even
// where the interpreter below would never reach it (a BUILD state, an ignored argument).
bool is_allowed_global(std::string_view name) {
  static const std::set<std::string, std::less<>> allowed = [] {
    std::set<std::string, std::less<>> names = {"collections.OrderedDict", "torch._utils._rebuild_tensor_v2",
                                                "torch._utils._rebuild_tensor",
                                                "torch._utils._rebuild_parameter"};
    for (const auto& st : kStorageTypes) names.insert(std::string("torch.") + st.name);
    return names;
  }();
  return allowed.count(name) != 0;
}

pickle::Document parse_at(const std::string& where, const std::string& data, std::size_t& pos,
                          const char* what) {
  try {
    pickle::Document doc = pickle::parse(std::string_view(data).substr(pos));
    for (const std::string& name : doc.globals()) {
      if (is_allowed_global(name)) continue;
      const std::string refused = "the " + std::string(what) + " pickle names the global '" + name +
                                  "', which a torch.save state dict never needs (torch.load would import or "
                                  "call it: the file may be built to run code); nothing of it was run";
      if (name.starts_with("torch.nn."))
        throw WeightsError(where + ": holds a whole pickled module (" + name +
                           "), not a state dict: save module.state_dict() instead. Refused: " + refused);
      throw WeightsError(where + ": refused: " + refused);
    }
    pos += doc.end_offset();
    return doc;
  } catch (const pickle::PickleError& e) {
    throw WeightsError(where + ": the " + what +
                       " pickle cannot be read (the file is truncated or corrupt): " + e.what() + ", " +
                       std::to_string(pos) + " bytes into the file");
  }
}

// The legacy file's three leading pickles: magic number, protocol version (1001) and sys_info, which must say
// little-endian. Advances pos past them.
void read_legacy_header(const std::string& where, const std::string& data, std::size_t& pos) {
  const auto magic = parse_at(where, data, pos, "magic number");
  const auto proto = parse_at(where, data, pos, "protocol version");
  if (!proto.root().is(Kind::kInt) || proto.root().integer != kLegacyProtocol)
    throw WeightsError(where + ": unsupported legacy protocol version " + pickle::describe(proto.root()) +
                       " (expected 1001)");
  const auto sys_info = parse_at(where, data, pos, "sys_info");
  const Value* little = sys_info.root().find("little_endian");
  if (!sys_info.root().is(Kind::kDict) || little == nullptr || !little->is(Kind::kBool))
    throw WeightsError(where + ": the sys_info record is malformed: " + pickle::describe(sys_info.root()));
  if (!little->boolean)
    throw WeightsError(where + ": was written on a big-endian machine, which is not supported");
}

// One storage of the data section at pos: an 8-byte little-endian element count, then the elements.
at::Tensor read_legacy_storage(const std::string& where, const std::string& data, std::size_t& pos,
                               const StorageRef& s) {
  if (data.size() - pos < 8)
    throw WeightsError(where + ": truncated in the data section (storage '" + s.key + "' at byte " +
                       std::to_string(pos) + ")");
  std::uint64_t count = 0;
  for (int i = 7; i >= 0; --i)
    count = (count << 8) | static_cast<unsigned char>(data[pos + static_cast<std::size_t>(i)]);
  pos += 8;
  if (count != static_cast<std::uint64_t>(s.numel))
    throw WeightsError(where + ": storage '" + s.key + "' holds " + std::to_string(count) +
                       " elements in the data section but " + std::to_string(s.numel) + " in the pickle");
  const std::size_t nbytes = static_cast<std::size_t>(s.numel) * at::elementSize(s.dtype);
  if (data.size() - pos < nbytes)
    throw WeightsError(where + ": truncated in the data section: storage '" + s.key + "' needs " +
                       std::to_string(nbytes) + " bytes at byte " + std::to_string(pos) + ", the file has " +
                       std::to_string(data.size() - pos) + " left");
  at::Tensor storage = storage_tensor(s, data.data() + pos, nbytes);
  pos += nbytes;
  return storage;
}

// The data section: the storages in the order the key list names them, each used by some tensor, once.
std::map<std::string, at::Tensor> read_legacy_storages(const std::string& where, const std::string& data,
                                                       std::size_t& pos, const std::vector<TensorRef>& refs,
                                                       const Value& keys) {
  std::map<std::string, StorageRef> wanted;
  for (const auto& t : refs) wanted.emplace(t.storage.key, t.storage);
  std::map<std::string, at::Tensor> storages;
  for (const Value* key : keys.items) {
    if (!key->is(Kind::kString)) throw WeightsError(where + ": a storage key is not a string");
    const auto it = wanted.find(key->text);
    if (it == wanted.end())
      throw WeightsError(where + ": storage '" + key->text + "' is listed but no tensor uses it");
    if (storages.count(key->text))
      throw WeightsError(where + ": storage '" + key->text + "' is listed twice");
    storages.emplace(key->text, read_legacy_storage(where, data, pos, it->second));
  }
  return storages;
}

StateDict load_legacy(const std::filesystem::path& file, const std::string& data) {
  const std::string where = file.string();
  std::size_t pos = 0;
  read_legacy_header(where, data, pos);
  const auto object = parse_at(where, data, pos, "state dict");
  Interpreter interpreter(where);
  const auto refs = interpreter.state_dict(object.root());
  const auto keys = parse_at(where, data, pos, "storage key list");
  if (!keys.root().is(Kind::kList)) throw WeightsError(where + ": the storage key list is not a list");
  const std::map<std::string, at::Tensor> storages =
      read_legacy_storages(where, data, pos, refs, keys.root());
  StateDict out;
  for (const auto& t : refs) {
    const auto it = storages.find(t.storage.key);
    if (it == storages.end())
      throw WeightsError(where + ": key '" + t.name + "': its storage '" + t.storage.key +
                         "' is missing from the data section");
    out.emplace_back(t.name, materialize(where, t, it->second));
  }
  return out;
}

StateDict load_zip(const std::filesystem::path& file) {
  const std::string where = file.string();
  try {
    caffe2::serialize::PyTorchStreamReader reader(file.string());
    if (!reader.hasRecord("data.pkl"))
      throw WeightsError(where + ": a zip archive without data.pkl: not a torch.save file");
    auto [pkl, pkl_size] = reader.getRecord("data.pkl");
    const std::string pkl_bytes(static_cast<const char*>(pkl.get()), pkl_size);
    std::size_t pos = 0;
    const auto object = parse_at(where, pkl_bytes, pos, "state dict");
    Interpreter interpreter(where);
    const auto refs = interpreter.state_dict(object.root());
    std::map<std::string, at::Tensor> storages;
    StateDict out;
    for (const auto& t : refs) {
      auto it = storages.find(t.storage.key);
      if (it == storages.end()) {
        const std::string record = "data/" + t.storage.key;
        if (!reader.hasRecord(record))
          throw WeightsError(where + ": key '" + t.name + "': the archive has no record " + record);
        auto [bytes, nbytes] = reader.getRecord(record);
        const std::size_t need = static_cast<std::size_t>(t.storage.numel) * at::elementSize(t.storage.dtype);
        if (nbytes < need)
          throw WeightsError(where + ": record " + record + " holds " + std::to_string(nbytes) + " bytes, " +
                             std::to_string(need) + " expected");
        it = storages
                 .emplace(t.storage.key,
                          storage_tensor(t.storage, static_cast<const char*>(bytes.get()), need))
                 .first;
      }
      out.emplace_back(t.name, materialize(where, t, it->second));
    }
    return out;
  } catch (const c10::Error& e) {
    throw WeightsError(where + ": cannot read the zip archive (truncated or corrupt?): " +
                       std::string(e.what_without_backtrace()));
  }
}

}  // namespace

static StateDict load_state_dict_unchecked(const std::filesystem::path& file) {
  const std::string where = file.string();
  std::error_code ec;
  if (!std::filesystem::exists(file, ec)) throw WeightsError(where + ": no such file");
  if (std::filesystem::is_directory(file, ec)) throw WeightsError(where + ": is a folder, not a weight file");
  std::string data = read_file(file);
  if (data.empty()) throw WeightsError(where + ": the file is empty");
  if (data.starts_with(std::string_view("PK\x03\x04", 4))) {
    data.clear();
    data.shrink_to_fit();
    return load_zip(file);
  }
  if (data.size() >= 2 && data.compare(0, 2, "\x80\x02") == 0) {
    if (data.size() < kLegacyHeader.size())
      throw WeightsError(where + ": truncated inside the legacy torch.save header");
    if (std::memcmp(data.data(), kLegacyHeader.data(), kLegacyHeader.size()) != 0)
      throw WeightsError(where + ": a Python pickle but not a torch.save file (no torch magic number)");
    return load_legacy(file, data);
  }
  if (data.starts_with(std::string_view("PK", 2)))
    throw WeightsError(where +
                       ": a zip archive that does not start with a local file header: not a torch.save file");
  throw WeightsError(where +
                     ": not a PyTorch weight file (neither a torch.save zip archive nor a legacy torch.save "
                     "file; the first bytes are neither \"PK\\x03\\x04\" nor \"\\x80\\x02\")");
}

StateDict load_state_dict(const std::filesystem::path& file) {
  try {
    return load_state_dict_unchecked(file);
  } catch (const c10::Error& e) {  // from LibTorch itself (allocation, views): still this file's error
    throw WeightsError(file.string() + ": " + std::string(e.what_without_backtrace()));
  }
}

}  // namespace sinforge
