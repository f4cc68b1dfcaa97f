// The pickle opcodes the state-dict reader (pickle.cpp) understands, by their pickletools names: private to
// the reader, apart so that the table reads on its own.
#pragma once

#include <string>

namespace sinforge::pickle {

// The opcodes this reader understands (Python's pickletools names them), one table for the names.
enum class Op : unsigned char {
  kProto = 0x80,
  kFrame = 0x95,
  kStop = '.',
  kMark = '(',
  kPop = '0',
  kPopMark = '1',
  kDup = '2',
  kNone = 'N',
  kNewTrue = 0x88,
  kNewFalse = 0x89,
  kBinInt = 'J',
  kBinInt1 = 'K',
  kBinInt2 = 'M',
  kLong1 = 0x8a,
  kLong4 = 0x8b,
  kBinFloat = 'G',
  kBinUnicode = 'X',
  kShortBinUnicode = 0x8c,
  kBinUnicode8 = 0x8d,
  kBinString = 'T',
  kShortBinString = 'U',
  kBinBytes = 'B',
  kShortBinBytes = 'C',
  kBinBytes8 = 0x8e,
  kEmptyTuple = ')',
  kTuple = 't',
  kTuple1 = 0x85,
  kTuple2 = 0x86,
  kTuple3 = 0x87,
  kEmptyList = ']',
  kAppend = 'a',
  kAppends = 'e',
  kList = 'l',
  kEmptyDict = '}',
  kDict = 'd',
  kSetItem = 's',
  kSetItems = 'u',
  kGlobal = 'c',
  kStackGlobal = 0x93,
  kReduce = 'R',
  kNewObj = 0x81,
  kBuild = 'b',
  kBinPersId = 'Q',
  kBinPut = 'q',
  kLongBinPut = 'r',
  kMemoize = 0x94,
  kBinGet = 'h',
  kLongBinGet = 'j',
};

struct OpName {
  Op op;
  const char* name;
};
constexpr OpName kOpNames[] = {
    {Op::kProto, "PROTO"},
    {Op::kFrame, "FRAME"},
    {Op::kStop, "STOP"},
    {Op::kMark, "MARK"},
    {Op::kPop, "POP"},
    {Op::kPopMark, "POP_MARK"},
    {Op::kDup, "DUP"},
    {Op::kNone, "NONE"},
    {Op::kNewTrue, "NEWTRUE"},
    {Op::kNewFalse, "NEWFALSE"},
    {Op::kBinInt, "BININT"},
    {Op::kBinInt1, "BININT1"},
    {Op::kBinInt2, "BININT2"},
    {Op::kLong1, "LONG1"},
    {Op::kLong4, "LONG4"},
    {Op::kBinFloat, "BINFLOAT"},
    {Op::kBinUnicode, "BINUNICODE"},
    {Op::kShortBinUnicode, "SHORT_BINUNICODE"},
    {Op::kBinUnicode8, "BINUNICODE8"},
    {Op::kBinString, "BINSTRING"},
    {Op::kShortBinString, "SHORT_BINSTRING"},
    {Op::kBinBytes, "BINBYTES"},
    {Op::kShortBinBytes, "SHORT_BINBYTES"},
    {Op::kBinBytes8, "BINBYTES8"},
    {Op::kEmptyTuple, "EMPTY_TUPLE"},
    {Op::kTuple, "TUPLE"},
    {Op::kTuple1, "TUPLE1"},
    {Op::kTuple2, "TUPLE2"},
    {Op::kTuple3, "TUPLE3"},
    {Op::kEmptyList, "EMPTY_LIST"},
    {Op::kAppend, "APPEND"},
    {Op::kAppends, "APPENDS"},
    {Op::kList, "LIST"},
    {Op::kEmptyDict, "EMPTY_DICT"},
    {Op::kDict, "DICT"},
    {Op::kSetItem, "SETITEM"},
    {Op::kSetItems, "SETITEMS"},
    {Op::kGlobal, "GLOBAL"},
    {Op::kStackGlobal, "STACK_GLOBAL"},
    {Op::kReduce, "REDUCE"},
    {Op::kNewObj, "NEWOBJ"},
    {Op::kBuild, "BUILD"},
    {Op::kBinPersId, "BINPERSID"},
    {Op::kBinPut, "BINPUT"},
    {Op::kLongBinPut, "LONG_BINPUT"},
    {Op::kMemoize, "MEMOIZE"},
    {Op::kBinGet, "BINGET"},
    {Op::kLongBinGet, "LONG_BINGET"},
};

// The opcode's name, or nullptr for a byte this reader does not know.
inline const char* opcode_name(unsigned char byte) {
  for (const OpName& o : kOpNames)
    if (static_cast<unsigned char>(o.op) == byte) return o.name;
  return nullptr;
}

inline std::string hex_byte(unsigned char c) {
  static const char* digits = "0123456789abcdef";
  return std::string("0x") + digits[c >> 4] + digits[c & 15];
}

}  // namespace sinforge::pickle
