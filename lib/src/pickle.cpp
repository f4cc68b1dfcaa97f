#include "sinforge/pickle.h"

#include <bit>
#include <cstring>
#include <sstream>
#include <unordered_map>

namespace sinforge::pickle {

namespace {

// A state dict's pickle holds a few thousand values; this bounds memory on garbage input.
constexpr std::size_t kMaxValues = std::size_t{1} << 20;

const char* opcode_name(unsigned char op) {
  switch (op) {
    case 0x80:
      return "PROTO";
    case 0x95:
      return "FRAME";
    case '.':
      return "STOP";
    case '(':
      return "MARK";
    case '0':
      return "POP";
    case '1':
      return "POP_MARK";
    case '2':
      return "DUP";
    case 'N':
      return "NONE";
    case 0x88:
      return "NEWTRUE";
    case 0x89:
      return "NEWFALSE";
    case 'J':
      return "BININT";
    case 'K':
      return "BININT1";
    case 'M':
      return "BININT2";
    case 0x8a:
      return "LONG1";
    case 0x8b:
      return "LONG4";
    case 'G':
      return "BINFLOAT";
    case 'X':
      return "BINUNICODE";
    case 0x8c:
      return "SHORT_BINUNICODE";
    case 0x8d:
      return "BINUNICODE8";
    case 'T':
      return "BINSTRING";
    case 'U':
      return "SHORT_BINSTRING";
    case 'B':
      return "BINBYTES";
    case 'C':
      return "SHORT_BINBYTES";
    case 0x8e:
      return "BINBYTES8";
    case ')':
      return "EMPTY_TUPLE";
    case 't':
      return "TUPLE";
    case 0x85:
      return "TUPLE1";
    case 0x86:
      return "TUPLE2";
    case 0x87:
      return "TUPLE3";
    case ']':
      return "EMPTY_LIST";
    case 'a':
      return "APPEND";
    case 'e':
      return "APPENDS";
    case 'l':
      return "LIST";
    case '}':
      return "EMPTY_DICT";
    case 'd':
      return "DICT";
    case 's':
      return "SETITEM";
    case 'u':
      return "SETITEMS";
    case 'c':
      return "GLOBAL";
    case 0x93:
      return "STACK_GLOBAL";
    case 'R':
      return "REDUCE";
    case 0x81:
      return "NEWOBJ";
    case 'b':
      return "BUILD";
    case 'Q':
      return "BINPERSID";
    case 'q':
      return "BINPUT";
    case 'r':
      return "LONG_BINPUT";
    case 0x94:
      return "MEMOIZE";
    case 'h':
      return "BINGET";
    case 'j':
      return "LONG_BINGET";
    default:
      return nullptr;
  }
}

std::string hex_byte(unsigned char c) {
  static const char* digits = "0123456789abcdef";
  return std::string("0x") + digits[c >> 4] + digits[c & 15];
}

}  // namespace

class Parser {
 public:
  explicit Parser(std::string_view data) : data_(data) {}

  Document run() {
    while (true) {
      if (pos_ >= data_.size()) fail_at(pos_, "truncated: the data ends before the STOP opcode");
      op_pos_ = pos_;
      const auto op = static_cast<unsigned char>(data_[pos_++]);
      if (op == '.') break;
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

  void step(unsigned char op) {
    switch (op) {
      case 0x80: {  // PROTO
        const auto proto = read_le(1);
        if (proto > 5) fail("unsupported protocol " + std::to_string(proto));
        break;
      }
      case 0x95:
        read_le(8);
        break;  // FRAME: a size hint only
      case '(':
        marks_.push_back(stack_.size());
        break;
      case '0':
        pop();
        break;
      case '1':
        pop_mark();
        break;
      case '2':
        push(top());
        break;
      case 'N':
        push(make(Kind::kNone));
        break;
      case 0x88:
      case 0x89: {
        Value* v = make(Kind::kBool);
        v->boolean = op == 0x88;
        push(v);
        break;
      }
      case 'J':
        push(make_int(static_cast<std::int32_t>(static_cast<std::uint32_t>(read_le(4)))));
        break;
      case 'K':
        push(make_int(static_cast<std::int64_t>(read_le(1))));
        break;
      case 'M':
        push(make_int(static_cast<std::int64_t>(read_le(2))));
        break;
      case 0x8a:
      case 0x8b: {  // LONG1, LONG4
        std::uint64_t n = 0;
        if (op == 0x8a) {
          n = read_le(1);
        } else {
          const auto n4 = static_cast<std::int32_t>(static_cast<std::uint32_t>(read_le(4)));
          if (n4 < 0) fail("negative length");
          n = static_cast<std::uint64_t>(n4);
        }
        const auto bytes = take(n);
        if (n <= 8) {
          std::uint64_t u = 0;
          for (std::size_t i = bytes.size(); i-- > 0;) u = (u << 8) | static_cast<unsigned char>(bytes[i]);
          if (n > 0 && n < 8 && (static_cast<unsigned char>(bytes[n - 1]) & 0x80))
            u |= ~std::uint64_t{0} << (8 * n);
          push(make_int(static_cast<std::int64_t>(u)));
        } else {
          push(make_text(Kind::kBigInt, bytes));
        }
        break;
      }
      case 'G': {  // BINFLOAT: big-endian IEEE double
        const auto s = take(8);
        std::uint64_t u = 0;
        for (std::size_t i = 0; i < 8; ++i) u = (u << 8) | static_cast<unsigned char>(s[i]);
        Value* v = make(Kind::kFloat);
        v->real = std::bit_cast<double>(u);
        push(v);
        break;
      }
      case 'X':
        push(make_text(Kind::kString, take(read_le(4))));
        break;
      case 0x8c:
        push(make_text(Kind::kString, take(read_le(1))));
        break;
      case 0x8d:
        push(make_text(Kind::kString, take(read_le(8))));
        break;
      case 'T': {
        const auto n = static_cast<std::int32_t>(static_cast<std::uint32_t>(read_le(4)));
        if (n < 0) fail("negative length");
        push(make_text(Kind::kBytes, take(static_cast<std::uint64_t>(n))));
        break;
      }
      case 'U':
        push(make_text(Kind::kBytes, take(read_le(1))));
        break;
      case 'B':
        push(make_text(Kind::kBytes, take(read_le(4))));
        break;
      case 'C':
        push(make_text(Kind::kBytes, take(read_le(1))));
        break;
      case 0x8e:
        push(make_text(Kind::kBytes, take(read_le(8))));
        break;
      case ')':
        push(make_tuple({}));
        break;
      case 't':
        push(make_tuple(pop_mark()));
        break;
      case 0x85: {
        Value* a = pop();
        push(make_tuple({a}));
        break;
      }
      case 0x86: {
        Value* b = pop();
        Value* a = pop();
        push(make_tuple({a, b}));
        break;
      }
      case 0x87: {
        Value* c = pop();
        Value* b = pop();
        Value* a = pop();
        push(make_tuple({a, b, c}));
        break;
      }
      case ']':
        push(make(Kind::kList));
        break;
      case 'l': {
        Value* v = make(Kind::kList);
        v->items = pop_mark();
        push(v);
        break;
      }
      case 'a': {
        Value* item = pop();
        append_to(top(), {item});
        break;
      }
      case 'e': {
        auto items = pop_mark();
        append_to(top(), std::move(items));
        break;
      }
      case '}':
        push(make(Kind::kDict));
        break;
      case 'd': {
        auto kv = pop_mark();
        Value* v = make(Kind::kDict);
        set_items(v, kv);
        push(v);
        break;
      }
      case 's': {
        Value* value = pop();
        Value* key = pop();
        set_items(top(), {key, value});
        break;
      }
      case 'u': {
        auto kv = pop_mark();
        set_items(top(), kv);
        break;
      }
      case 'c': {
        const auto module = read_line();
        const auto name = read_line();
        push(make_global(module, name));
        break;
      }
      case 0x93: {  // STACK_GLOBAL
        Value* name = pop();
        Value* module = pop();
        if (!name->is(Kind::kString) || !module->is(Kind::kString)) fail("module and name must be strings");
        push(make_global(module->text, name->text));
        break;
      }
      case 'R':
      case 0x81: {  // REDUCE, NEWOBJ
        Value* args = pop();
        Value* callee = pop();
        if (!args->is(Kind::kTuple)) fail("the arguments are not a tuple");
        if (!callee->is(Kind::kGlobal))
          fail(std::string("calls a ") + kind_name(callee->kind) + ", not a global");
        Value* v = make(Kind::kCall);
        v->callee = callee;
        v->args = args;
        push(v);
        break;
      }
      case 'b': {  // BUILD
        Value* state = pop();
        Value* target = top();
        if (!target->is(Kind::kCall)) fail(std::string("cannot set state on a ") + kind_name(target->kind));
        target->state = state;
        break;
      }
      case 'Q': {  // BINPERSID
        Value* pid = pop();
        Value* v = make(Kind::kPersistentId);
        v->args = pid;
        push(v);
        break;
      }
      case 'q':
        memo_put(read_le(1));
        break;
      case 'r':
        memo_put(read_le(4));
        break;
      case 0x94:
        memo_put(memo_.size());
        break;
      case 'h':
        push(memo_get(read_le(1)));
        break;
      case 'j':
        push(memo_get(read_le(4)));
        break;
      default: {
        const char* name = opcode_name(op);
        fail_at(op_pos_,
                std::string("unsupported opcode ") + hex_byte(op) + (name ? std::string(" ") + name : ""));
      }
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

const char* kind_name(Kind kind) {
  switch (kind) {
    case Kind::kNone:
      return "None";
    case Kind::kBool:
      return "bool";
    case Kind::kInt:
      return "int";
    case Kind::kBigInt:
      return "big int";
    case Kind::kFloat:
      return "float";
    case Kind::kString:
      return "str";
    case Kind::kBytes:
      return "bytes";
    case Kind::kTuple:
      return "tuple";
    case Kind::kList:
      return "list";
    case Kind::kDict:
      return "dict";
    case Kind::kGlobal:
      return "global";
    case Kind::kCall:
      return "call";
    case Kind::kPersistentId:
      return "persistent id";
  }
  return "?";
}

std::string_view Value::global_name() const {
  if (kind == Kind::kGlobal) return text;
  if (kind == Kind::kCall && callee != nullptr && callee->kind == Kind::kGlobal) return callee->text;
  return {};
}

const Value* Value::find(std::string_view key) const {
  for (const auto& [k, v] : entries)
    if (k->kind == Kind::kString && k->text == key) return v;
  return nullptr;
}

Document parse(std::string_view data) { return Parser(data).run(); }

namespace {

void describe_into(std::ostringstream& out, const Value& v, int depth, std::size_t max_chars) {
  if (static_cast<std::size_t>(out.tellp()) > max_chars) return;
  if (depth < 0) {
    out << "...";
    return;
  }
  switch (v.kind) {
    case Kind::kNone:
      out << "None";
      break;
    case Kind::kBool:
      out << (v.boolean ? "True" : "False");
      break;
    case Kind::kInt:
      out << v.integer;
      break;
    case Kind::kBigInt:
      out << "<int of " << v.text.size() << " bytes>";
      break;
    case Kind::kFloat:
      out << v.real;
      break;
    case Kind::kString:
      out << "'" << v.text.substr(0, 64) << (v.text.size() > 64 ? "..." : "") << "'";
      break;
    case Kind::kBytes:
      out << "<" << v.text.size() << " bytes>";
      break;
    case Kind::kGlobal:
      out << v.text;
      break;
    case Kind::kPersistentId:
      out << "persid(";
      if (v.args) describe_into(out, *v.args, depth - 1, max_chars);
      out << ")";
      break;
    case Kind::kTuple:
    case Kind::kList: {
      out << (v.kind == Kind::kTuple ? "(" : "[");
      for (std::size_t i = 0; i < v.items.size(); ++i) {
        if (i) out << ", ";
        if (static_cast<std::size_t>(out.tellp()) > max_chars) break;
        describe_into(out, *v.items[i], depth - 1, max_chars);
      }
      out << (v.kind == Kind::kTuple ? ")" : "]");
      break;
    }
    case Kind::kDict:
      out << "{dict of " << v.entries.size() << " items}";
      break;
    case Kind::kCall:
      out << v.global_name() << "(";
      if (v.args) describe_into(out, *v.args, depth - 1, max_chars);
      out << ")";
      break;
  }
}

}  // namespace

std::string describe(const Value& value, int max_depth, std::size_t max_chars) {
  std::ostringstream out;
  describe_into(out, value, max_depth, max_chars);
  std::string s = out.str();
  if (s.size() > max_chars) s = s.substr(0, max_chars) + "...";
  return s;
}

}  // namespace sinforge::pickle
