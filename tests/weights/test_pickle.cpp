// The pickle reader on its own: protocols, integers, cycles and deep nesting, malformed input.
#include "sinforge/weights/pickle.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "weights/weights_test_data.h"

namespace {

namespace fs = std::filesystem;
using namespace sinforge::testing::weights;  // NOLINT: the helpers of weights_test_data.h
using sinforge::testing::read_bytes;

TEST(WeightsPickle, ReadsProtocol4) {
  const std::string data = read_bytes(fixture("proto4.pkl"));
  const auto doc = sinforge::pickle::parse(data);
  EXPECT_EQ(doc.end_offset(), data.size());
  const auto& root = doc.root();
  ASSERT_TRUE(root.is(sinforge::pickle::Kind::kDict));
  const auto* a = root.find("a");
  ASSERT_NE(a, nullptr);
  ASSERT_EQ(a->items.size(), 5u);
  EXPECT_EQ(a->items[0]->integer, 1);
  EXPECT_EQ(a->items[1]->integer, -2);
  EXPECT_EQ(a->items[2]->real, 3.5);
  EXPECT_EQ(a->items[3]->text, std::string(300, 'x'));
  EXPECT_TRUE(a->items[4]->is(sinforge::pickle::Kind::kBytes));
  EXPECT_EQ(a->items[4]->text, "raw");
  const auto* b = root.find("b");
  ASSERT_NE(b, nullptr);
  ASSERT_EQ(b->items.size(), 6u);
  EXPECT_TRUE(b->items[0]->boolean);
  EXPECT_TRUE(b->items[1]->is(sinforge::pickle::Kind::kNone));
  EXPECT_TRUE(b->items[2]->is(sinforge::pickle::Kind::kBigInt));
  EXPECT_EQ(b->items[3]->integer, -129);
  EXPECT_EQ(b->items[4]->integer, 65536);
  EXPECT_FALSE(b->items[5]->boolean);
  const auto* c = root.find("c");
  ASSERT_NE(c, nullptr);
  EXPECT_EQ(c->global_name(), "collections.OrderedDict");
  ASSERT_NE(c->find("k"), nullptr);
  EXPECT_EQ(c->find("k")->integer, 1);
}

TEST(WeightsPickle, NegativeLong1AndTrailingBytes) {
  const std::string data = bytes("\x80\x02\x8a\x02\x7f\xff.rest");
  const auto doc = sinforge::pickle::parse(data);
  EXPECT_EQ(doc.root().integer, -129);
  EXPECT_EQ(doc.end_offset(), 7u);
}

TEST(WeightsPickle, CyclesAndDeepNestingDoNotCrash) {
  const auto doc = sinforge::pickle::parse(read_bytes(fixture("cycle.pkl")));
  ASSERT_TRUE(doc.root().is(sinforge::pickle::Kind::kList));
  ASSERT_EQ(doc.root().items.size(), 1u);
  EXPECT_EQ(doc.root().items[0], &doc.root());
  EXPECT_LE(sinforge::pickle::describe(doc.root()).size(), 210u);

  const std::size_t depth = 200000;
  const std::string deep = "\x80\x02" + std::string(depth, ']') + std::string(depth - 1, 'a') + ".";
  const auto nested = sinforge::pickle::parse(deep);
  EXPECT_TRUE(contains(sinforge::pickle::describe(nested.root()), "..."));
}

TEST(WeightsPickle, MalformedInputThrows) {
  using sinforge::pickle::parse;
  using sinforge::pickle::PickleError;
  const std::vector<std::pair<std::string, std::string>> cases = {
      {std::string(""), "truncated"},
      {bytes("\x80\x02K"), "truncated"},
      {bytes("\x80\x02N"), "before the STOP"},
      {bytes("\x80\x02X\xff\xff\xff\x7f"), "truncated"},
      {bytes("\x80\x02\xff."), "unsupported opcode 0xff"},
      {bytes("\x80\x02h\x05."), "memo key 5"},
      {bytes("\x80\x02t."), "no MARK"},
      {bytes("\x80\x02(N."), "unclosed MARK"},
      {bytes("\x80\x02NN."), "2 values"},
      {bytes("\x80\x02K\x01)R."), "not a global"},
      {bytes("\x80\x02K\x01K\x02K\x03s."), "cannot set items on a int"},
      {bytes("\x80\x02."), "STOP with 0 values"},
      {bytes("\x80\x02"
             "a."),
       "the stack is empty"},
  };
  for (const auto& [data, text] : cases) {
    try {
      sinforge::pickle::parse(data);
      ADD_FAILURE() << "no error for case expecting '" << text << "'";
    } catch (const PickleError& e) {
      EXPECT_TRUE(contains(e.what(), text)) << e.what() << " lacks " << text;
    }
  }
}

}  // namespace
