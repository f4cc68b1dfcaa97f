#include "sinforge/derive/scramble.h"

#include <gtest/gtest.h>

#include <numeric>

namespace sinforge {
namespace {

// A crop whose every pixel names its block: value = block index (grid 4 on 8x8, blocks of 2).
cv::Mat numbered_blocks(int side, int grid) {
  const int block = side / grid;
  cv::Mat m(side, side, CV_8UC3);
  for (int y = 0; y < side; ++y)
    for (int x = 0; x < side; ++x) {
      const auto v = static_cast<uint8_t>((y / block) * grid + x / block);
      m.at<cv::Vec3b>(y, x) = cv::Vec3b(v, static_cast<uint8_t>(y), static_cast<uint8_t>(x));
    }
  return m;
}

TEST(Scramble, TheBlockAtPositionIIsTheCropsBlockOrderI) {
  const cv::Mat crop = numbered_blocks(8, 4);
  const std::vector<int> order = {15, 0, 3, 2, 1, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14};
  const cv::Mat out = scramble_blocks(crop, 4, order);
  for (int i = 0; i < 16; ++i) {
    const int y = (i / 4) * 2, x = (i % 4) * 2;
    EXPECT_EQ(out.at<cv::Vec3b>(y, x)[0], order[static_cast<size_t>(i)]) << i;
    EXPECT_EQ(out.at<cv::Vec3b>(y + 1, x + 1)[0], order[static_cast<size_t>(i)]) << i;
  }
  // The block's inside is moved whole: its top-left pixel keeps the source's coordinates.
  EXPECT_EQ(out.at<cv::Vec3b>(0, 0)[1], 6);
  EXPECT_EQ(out.at<cv::Vec3b>(0, 0)[2], 6);
}

TEST(Scramble, TheIdentityOrderGivesTheCropBack) {
  const cv::Mat crop = numbered_blocks(224, 7);
  std::vector<int> identity(49);
  std::iota(identity.begin(), identity.end(), 0);
  EXPECT_EQ(cv::norm(scramble_blocks(crop, 7, identity), crop, cv::NORM_INF), 0);
}

TEST(Scramble, OrdersAreDeterministicPerImageGridAndCopy) {
  EXPECT_EQ(block_order(0, "a/x.JPEG", 8, 0, false), block_order(0, "a/x.JPEG", 8, 0, false));
  EXPECT_NE(block_order(0, "a/x.JPEG", 8, 0, false), block_order(0, "a/x.JPEG", 8, 1, false));
  EXPECT_NE(block_order(0, "a/x.JPEG", 8, 0, false), block_order(0, "a/y.JPEG", 8, 0, false));
  EXPECT_NE(block_order(0, "a/x.JPEG", 8, 0, false), block_order(1, "a/x.JPEG", 8, 0, false));
  EXPECT_EQ(block_order(0, "a/x.JPEG", 8, 0, false).size(), 64u);
}

TEST(Scramble, DerangeNeverGivesTheIdentityOnA2x2Grid) {
  // 2x2 has 24 orders: without derange the identity comes about once in 24 draws, with it never.
  const std::vector<int> identity = {0, 1, 2, 3};
  int identities = 0;
  for (int k = 0; k < 480; ++k) {
    identities += block_order(5, "img" + std::to_string(k), 2, 0, false) == identity ? 1 : 0;
    ASSERT_NE(block_order(5, "img" + std::to_string(k), 2, 0, true), identity) << k;
  }
  EXPECT_GT(identities, 5);
  EXPECT_LT(identities, 40);
}

TEST(Scramble, DerangeKeepsTheOrderWhenItIsNoIdentity) {
  for (int k = 0; k < 50; ++k) {
    const auto plain = block_order(2, "p" + std::to_string(k), 8, 1, false);
    EXPECT_EQ(block_order(2, "p" + std::to_string(k), 8, 1, true), plain);
  }
}

TEST(Scramble, OrderTextIsSpaceSeparated) { EXPECT_EQ(order_text({3, 0, 2, 1}), "3 0 2 1"); }

TEST(Scramble, ACropNotDivisibleByTheGridIsRefused) {
  EXPECT_THROW(scramble_blocks(cv::Mat(10, 10, CV_8UC3), 3, std::vector<int>(9)), std::invalid_argument);
}

}  // namespace
}  // namespace sinforge
