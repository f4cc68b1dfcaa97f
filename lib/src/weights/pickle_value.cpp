// The parsed pickle's values (pickle.h): their kinds' names, lookups, the globals a document names, and
// describe() for messages.
#include <algorithm>
#include <sstream>

#include "sinforge/weights/pickle.h"

namespace sinforge::pickle {

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

std::vector<std::string> Document::globals() const {
  std::vector<std::string> names;
  for (const auto& v : arena_) {
    if (v->kind == Kind::kGlobal && std::find(names.begin(), names.end(), v->text) == names.end())
      names.push_back(v->text);
  }
  return names;
}

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
