#include "sinforge/derive/patch.h"

#include <gtest/gtest.h>

namespace sinforge {
namespace {

TEST(Patch, TheThesisCountsOnA224Crop) {
  const std::vector<std::pair<int, size_t>> expected = {{10, 121}, {20, 36}, {30, 16}, {40, 9},
                                                        {50, 4},   {60, 4},  {70, 4}};
  for (const auto& [p, n] : expected) EXPECT_EQ(patch_squares(224, p).size(), n) << p;
}

TEST(Patch, SquaresStartAtTheBorderAndStepTwoCellsInRowMajorOrder) {
  const std::vector<cv::Rect> s10 = patch_squares(224, 10);  // n 21, border 7, stride 20
  EXPECT_EQ(s10.front(), cv::Rect(7, 7, 10, 10));
  EXPECT_EQ(s10[1], cv::Rect(27, 7, 10, 10));
  EXPECT_EQ(s10[11], cv::Rect(7, 27, 10, 10));
  EXPECT_EQ(s10.back(), cv::Rect(207, 207, 10, 10));
  const std::vector<cv::Rect> s50 = patch_squares(224, 50);  // n 4 -> 3, border 37
  EXPECT_EQ(s50, (std::vector<cv::Rect>{
                     {37, 37, 50, 50}, {137, 37, 50, 50}, {37, 137, 50, 50}, {137, 137, 50, 50}}));
}

TEST(Patch, BlackSquaresBlackenOnlyTheSquares) {
  const cv::Mat grey(224, 224, CV_8UC3, cv::Scalar(200, 100, 50));
  const std::vector<cv::Rect> squares = patch_squares(224, 70);
  const cv::Mat out = black_squares(grey, {squares[1]});
  EXPECT_EQ(out.at<cv::Vec3b>(squares[1].y, squares[1].x), cv::Vec3b(0, 0, 0));
  EXPECT_EQ(out.at<cv::Vec3b>(squares[1].y + 69, squares[1].x + 69), cv::Vec3b(0, 0, 0));
  EXPECT_EQ(out.at<cv::Vec3b>(squares[0].y, squares[0].x), cv::Vec3b(200, 100, 50));
  EXPECT_EQ(cv::countNonZero(out.reshape(1) == 0), 70 * 70 * 3);
  EXPECT_EQ(grey.at<cv::Vec3b>(squares[1].y, squares[1].x), cv::Vec3b(200, 100, 50));  // a copy
}

TEST(Patch, APatchLargerThanTheCropIsRefused) {
  EXPECT_THROW(patch_squares(224, 225), std::invalid_argument);
  EXPECT_EQ(patch_squares(224, 224).size(), 1u);
}

}  // namespace
}  // namespace sinforge
