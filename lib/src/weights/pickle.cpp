#include "sinforge/weights/pickle.h"

#include <algorithm>
#include <bit>
#include <cstring>
#include <sstream>
#include <unordered_map>

#include "pickle_opcodes.h"

namespace sinforge::pickle {
namespace {

// A state dict's pickle holds a few thousand values; this bounds memory on garbage input.
constexpr std::size_t kMaxValues = std::size_t{1} << 20;

}  // namespace

class Parser {
 public:
  explicit Parser(std::string_view data) : data_(data) {}

  Document run() {
    while (true) {
      if (pos_ >= data_.size()) fail_at(pos_, "truncated: the data ends before the STOP opcode");
      op_pos_ = pos_;
      const auto op = static_cast<unsigned char>(data_[pos_++]);
      if (op == static_cast<unsigned char>(Op::kStop)) break;
      step(op);
    }
    if (!marks_.empty()) fail("STOP inside an unclosed MARK");
    if (stack_.size() != 1)
      fail("STOP with " + std::to_string(stack_.size()) + " values on the stack, expected 1");
    doc_.root_ = stack_.back();
    doc_.end_ = pos_;
    return std::move(doc_);
  }

 private:
  [[noreturn]] void fail_at(std::size_t at, const std::string& what) const {
    throw PickleError("pickle: " + what + " (at byte " + std::to_string(at) + ")");
  }
  [[noreturn]] void fail(const std::string& what) const {
    const auto op = static_cast<unsigned char>(data_[op_pos_]);
    const char* name = opcode_name(op);
    fail_at(op_pos_, std::string(name ? name : "opcode") + ": " + what);
  }

  std::string_view take(std::uint64_t n) {
    if (n > data_.size() - pos_)
      fail("truncated: needs " + std::to_string(n) + " bytes, " + std::to_string(data_.size() - pos_) +
           " left");
    auto out = data_.substr(pos_, static_cast<std::size_t>(n));
    pos_ += static_cast<std::size_t>(n);
    return out;
  }
  std::uint64_t read_le(int bytes) {
    const auto s = take(static_cast<std::uint64_t>(bytes));
    std::uint64_t v = 0;
    for (int i = bytes - 1; i >= 0; --i)
      v = (v << 8) | static_cast<unsigned char>(s[static_cast<std::size_t>(i)]);
    return v;
  }
  std::string_view read_line() {
    const auto nl = data_.find('\n', pos_);
    if (nl == std::string_view::npos) fail("truncated: no end of line");
    auto out = data_.substr(pos_, nl - pos_);
    pos_ = nl + 1;
    return out;
  }

  Value* make(Kind kind) {
    if (doc_.arena_.size() >= kMaxValues) fail("too many values (over " + std::to_string(kMaxValues) + ")");
    doc_.arena_.push_back(std::make_unique<Value>());
    Value* v = doc_.arena_.back().get();
    v->kind = kind;
    return v;
  }
  Value* make_int(std::int64_t i) {
    Value* v = make(Kind::kInt);
    v->integer = i;
    return v;
  }
  Value* make_text(Kind kind, std::string_view s) {
    Value* v = make(kind);
    v->text.assign(s.data(), s.size());
    return v;
  }
  void push(Value* v) { stack_.push_back(v); }
  Value* pop() {
    const std::size_t floor = marks_.empty() ? 0 : marks_.back();
    if (stack_.size() <= floor) fail("the stack is empty");
    Value* v = stack_.back();
    stack_.pop_back();
    return v;
  }
  Value* top() {
    const std::size_t floor = marks_.empty() ? 0 : marks_.back();
    if (stack_.size() <= floor) fail("the stack is empty");
    return stack_.back();
  }
  std::vector<Value*> pop_mark() {
    if (marks_.empty()) fail("no MARK to pop to");
    const std::size_t at = marks_.back();
    marks_.pop_back();
    std::vector<Value*> out(stack_.begin() + static_cast<std::ptrdiff_t>(at), stack_.end());
    stack_.resize(at);
    return out;
  }
  Value* make_tuple(std::vector<Value*> items) {
    Value* v = make(Kind::kTuple);
    v->items = std::move(items);
    return v;
  }
  // A signed 4-byte length (BINSTRING, LONG4); negative is malformed.
  std::uint64_t read_length4() {
    const auto n = static_cast<std::int32_t>(static_cast<std::uint32_t>(read_le(4)));
    if (n < 0) fail("negative length");
    return static_cast<std::uint64_t>(n);
  }
  // LONG1/LONG4's little-endian two's complement integer of n bytes; over 8 bytes it is kept as bytes.
  Value* make_long(std::uint64_t n) {
    const auto bytes = take(n);
    if (n > 8) return make_text(Kind::kBigInt, bytes);
    std::uint64_t u = 0;
    for (std::size_t i = bytes.size(); i-- > 0;) u = (u << 8) | static_cast<unsigned char>(bytes[i]);
    if (n > 0 && n < 8 && (static_cast<unsigned char>(bytes[n - 1]) & 0x80))
      u |= ~std::uint64_t{0} << (8 * n);
    return make_int(static_cast<std::int64_t>(u));
  }
  // BINFLOAT: a big-endian IEEE double.
  Value* make_float() {
    const auto s = take(8);
    std::uint64_t u = 0;
    for (std::size_t i = 0; i < 8; ++i) u = (u << 8) | static_cast<unsigned char>(s[i]);
    Value* v = make(Kind::kFloat);
    v->real = std::bit_cast<double>(u);
    return v;
  }
  // The top n values, in stack order (TUPLE1..3).
  std::vector<Value*> pop_n(std::size_t n) {
    std::vector<Value*> out(n);
    for (std::size_t i = n; i-- > 0;) out[i] = pop();
    return out;
  }
  // REDUCE, NEWOBJ: a call of a global with a tuple of arguments.
  Value* make_call() {
    Value* args = pop();
    Value* callee = pop();
    if (!args->is(Kind::kTuple)) fail("the arguments are not a tuple");
    if (!callee->is(Kind::kGlobal))
      fail(std::string("calls a ") + kind_name(callee->kind) + ", not a global");
    Value* v = make(Kind::kCall);
    v->callee = callee;
    v->args = args;
    return v;
  }
  void memo_put(std::uint64_t index) { memo_[index] = top(); }
  Value* memo_get(std::uint64_t index) {
    const auto it = memo_.find(index);
    if (it == memo_.end()) fail("memo key " + std::to_string(index) + " was never stored");
    return it->second;
  }
  Value* make_global(std::string_view module, std::string_view name) {
    if (module.empty() || name.empty()) fail("empty module or name");
    std::string full(module);
    full += '.';
    full.append(name.data(), name.size());
    return make_text(Kind::kGlobal, full);
  }
  void append_to(Value* list, std::vector<Value*> items) {
    if (!list->is(Kind::kList) && !list->is(Kind::kCall))
      fail(std::string("cannot append to a ") + kind_name(list->kind));
    list->items.insert(list->items.end(), items.begin(), items.end());
  }
  void set_items(Value* dict, const std::vector<Value*>& kv) {
    if (!dict->is(Kind::kDict) && !dict->is(Kind::kCall))
      fail(std::string("cannot set items on a ") + kind_name(dict->kind));
    if (kv.size() % 2 != 0) fail("odd number of values for key/value pairs");
    // Repeated keys are kept in order (no O(n^2) search on hostile input): callers reject duplicates.
    for (std::size_t i = 0; i < kv.size(); i += 2) dict->entries.emplace_back(kv[i], kv[i + 1]);
  }

  // One opcode, by what it does: each group's handler returns false for an opcode not its own.
  void step(unsigned char byte) {
    const auto op = static_cast<Op>(byte);
    if (control(op) || scalar(op) || text(op) || container(op) || object(op) || memo(op)) return;
    const char* name = opcode_name(byte);
    fail_at(op_pos_,
            std::string("unsupported opcode ") + hex_byte(byte) + (name ? std::string(" ") + name : ""));
  }

  // The protocol header, framing, marks and plain stack moves.
  bool control(Op op) {
    switch (op) {
      case Op::kProto: {
        const auto proto = read_le(1);
        if (proto > 5) fail("unsupported protocol " + std::to_string(proto));
        return true;
      }
      case Op::kFrame:
        read_le(8);  // a size hint only
        return true;
      case Op::kMark:
        marks_.push_back(stack_.size());
        return true;
      case Op::kPop:
        pop();
        return true;
      case Op::kPopMark:
        pop_mark();
        return true;
      case Op::kDup:
        push(top());
        return true;
      default:
        return false;
    }
  }

  // None, booleans, integers and floats.
  bool scalar(Op op) {
    switch (op) {
      case Op::kNone:
        push(make(Kind::kNone));
        return true;
      case Op::kNewTrue:
      case Op::kNewFalse: {
        Value* v = make(Kind::kBool);
        v->boolean = op == Op::kNewTrue;
        push(v);
        return true;
      }
      case Op::kBinInt:
        push(make_int(static_cast<std::int32_t>(static_cast<std::uint32_t>(read_le(4)))));
        return true;
      case Op::kBinInt1:
        push(make_int(static_cast<std::int64_t>(read_le(1))));
        return true;
      case Op::kBinInt2:
        push(make_int(static_cast<std::int64_t>(read_le(2))));
        return true;
      case Op::kLong1:
        push(make_long(read_le(1)));
        return true;
      case Op::kLong4:
        push(make_long(read_length4()));
        return true;
      case Op::kBinFloat:
        push(make_float());
        return true;
      default:
        return false;
    }
  }

  // Strings and bytes, each a length (of 1, 4 or 8 bytes) then the data.
  bool text(Op op) {
    switch (op) {
      case Op::kBinUnicode:
        push(make_text(Kind::kString, take(read_le(4))));
        return true;
      case Op::kShortBinUnicode:
        push(make_text(Kind::kString, take(read_le(1))));
        return true;
      case Op::kBinUnicode8:
        push(make_text(Kind::kString, take(read_le(8))));
        return true;
      case Op::kBinString:
        push(make_text(Kind::kBytes, take(read_length4())));
        return true;
      case Op::kShortBinString:
      case Op::kShortBinBytes:
        push(make_text(Kind::kBytes, take(read_le(1))));
        return true;
      case Op::kBinBytes:
        push(make_text(Kind::kBytes, take(read_le(4))));
        return true;
      case Op::kBinBytes8:
        push(make_text(Kind::kBytes, take(read_le(8))));
        return true;
      default:
        return false;
    }
  }

  // Tuples, lists and dicts, made and filled.
  bool container(Op op) {
    switch (op) {
      case Op::kEmptyTuple:
        push(make_tuple({}));
        return true;
      case Op::kTuple:
        push(make_tuple(pop_mark()));
        return true;
      case Op::kTuple1:
      case Op::kTuple2:
      case Op::kTuple3:
        push(make_tuple(pop_n(static_cast<std::size_t>(op) - static_cast<std::size_t>(Op::kTuple1) + 1)));
        return true;
      case Op::kEmptyList:
        push(make(Kind::kList));
        return true;
      case Op::kList: {
        Value* v = make(Kind::kList);
        v->items = pop_mark();
        push(v);
        return true;
      }
      case Op::kAppend: {
        Value* item = pop();
        append_to(top(), {item});
        return true;
      }
      case Op::kAppends: {
        auto items = pop_mark();
        append_to(top(), std::move(items));
        return true;
      }
      default:
        return dict(op);
    }
  }

  bool dict(Op op) {
    switch (op) {
      case Op::kEmptyDict:
        push(make(Kind::kDict));
        return true;
      case Op::kDict: {
        auto kv = pop_mark();
        Value* v = make(Kind::kDict);
        set_items(v, kv);
        push(v);
        return true;
      }
      case Op::kSetItem: {
        Value* value = pop();
        Value* key = pop();
        set_items(top(), {key, value});
        return true;
      }
      case Op::kSetItems: {
        auto kv = pop_mark();
        set_items(top(), kv);
        return true;
      }
      default:
        return false;
    }
  }

  // Globals, calls, state and persistent ids: recorded as data, never run.
  bool object(Op op) {
    switch (op) {
      case Op::kGlobal: {
        const auto module = read_line();
        const auto name = read_line();
        push(make_global(module, name));
        return true;
      }
      case Op::kStackGlobal: {
        Value* name = pop();
        Value* module = pop();
        if (!name->is(Kind::kString) || !module->is(Kind::kString)) fail("module and name must be strings");
        push(make_global(module->text, name->text));
        return true;
      }
      case Op::kReduce:
      case Op::kNewObj:
        push(make_call());
        return true;
      case Op::kBuild: {
        Value* state = pop();
        Value* target = top();
        if (!target->is(Kind::kCall)) fail(std::string("cannot set state on a ") + kind_name(target->kind));
        target->state = state;
        return true;
      }
      case Op::kBinPersId: {
        Value* pid = pop();
        Value* v = make(Kind::kPersistentId);
        v->args = pid;
        push(v);
        return true;
      }
      default:
        return false;
    }
  }

  bool memo(Op op) {
    switch (op) {
      case Op::kBinPut:
        memo_put(read_le(1));
        return true;
      case Op::kLongBinPut:
        memo_put(read_le(4));
        return true;
      case Op::kMemoize:
        memo_put(memo_.size());
        return true;
      case Op::kBinGet:
        push(memo_get(read_le(1)));
        return true;
      case Op::kLongBinGet:
        push(memo_get(read_le(4)));
        return true;
      default:
        return false;
    }
  }

  std::string_view data_;
  std::size_t pos_ = 0;
  std::size_t op_pos_ = 0;
  Document doc_;
  std::vector<Value*> stack_;
  std::vector<std::size_t> marks_;
  std::unordered_map<std::uint64_t, Value*> memo_;
};

Document parse(std::string_view data) { return Parser(data).run(); }

}  // namespace sinforge::pickle
