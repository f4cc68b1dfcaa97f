// A small, safe reader for Python pickles: the subset that torch.save writes (protocol 2 in the legacy
// format, and the data.pkl of the zip format), plus the common opcodes of protocols 3 to 5. It never runs
// code: globals stay names, calls stay (callee, args) pairs, persistent ids stay values, and the caller
// decides what they mean. Every read is bounds-checked; malformed input throws PickleError.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace sinforge::pickle {

// Malformed, truncated or unsupported pickle data. The message names the byte offset and the opcode.
struct PickleError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

enum class Kind {
  kNone,
  kBool,
  kInt,     // fits in int64
  kBigInt,  // longer than 8 bytes: `text` holds the little-endian two's complement bytes
  kFloat,
  kString,  // unicode, UTF-8 in `text`
  kBytes,   // bytes / legacy str, raw in `text`
  kTuple,
  kList,
  kDict,
  kGlobal,        // `text` is "module.name"
  kCall,          // REDUCE / NEWOBJ: `callee` called with the tuple `args`; `state` from BUILD;
                  // list items (APPEND) in `items`, dict items (SETITEM) in `entries`
  kPersistentId,  // BINPERSID: `args` is the persistent id value
};

const char* kind_name(Kind kind);

struct Value {
  Kind kind = Kind::kNone;
  bool boolean = false;
  std::int64_t integer = 0;
  double real = 0.0;
  std::string text;
  std::vector<Value*> items;
  std::vector<std::pair<Value*, Value*>> entries;
  Value* callee = nullptr;
  Value* args = nullptr;
  Value* state = nullptr;

  bool is(Kind k) const { return kind == k; }
  // For a global, or a call of a global: its "module.name"; empty otherwise.
  std::string_view global_name() const;
  // Dict lookup by string key (dicts, and calls that received dict items); nullptr when absent.
  const Value* find(std::string_view key) const;
};

// One parsed pickle. Values live in an arena owned by the document (pickles may share and even cycle
// values through the memo); they stay valid as long as the document does.
class Document {
 public:
  const Value& root() const { return *root_; }
  // Bytes consumed, STOP included: where the next pickle in the same buffer starts.
  std::size_t end_offset() const { return end_; }
  // Every global ("module.name") the pickle names, wherever it sits (called, passed as an argument, in a
  // BUILD state, unreachable from the root), each once, in the order first met. Python's unpickler would
  // import each of them, and call those under REDUCE: the caller's allowlist decides before anything else.
  std::vector<std::string> globals() const;

 private:
  friend class Parser;
  std::vector<std::unique_ptr<Value>> arena_;
  Value* root_ = nullptr;
  std::size_t end_ = 0;
};

// Parses one pickle at the start of `data` and stops at its STOP opcode (trailing bytes are left alone).
Document parse(std::string_view data);

// A short human-readable rendering for error messages, cut at `max_depth` and `max_chars`.
std::string describe(const Value& value, int max_depth = 3, std::size_t max_chars = 200);

}  // namespace sinforge::pickle
