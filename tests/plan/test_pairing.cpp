// Pairing of content images with paintings, and output names.
#include <gtest/gtest.h>

#include <set>

#include "sinforge/plan/pairing.h"

namespace sinforge {
namespace {

TEST(Pairing, PicksAreDistinctAndInRange) {
  for (size_t n = 1; n <= 12; ++n) {
    for (size_t k = 1; k <= n; ++k) {
      const auto picks = pick_paintings(42, "train/n01/img_" + std::to_string(n * 100 + k) + ".JPEG", n, k);
      ASSERT_EQ(picks.size(), k);
      EXPECT_EQ(std::set<size_t>(picks.begin(), picks.end()).size(), k);
      for (const size_t p : picks) EXPECT_LT(p, n);
    }
  }
}

TEST(Pairing, DependsOnlyOnSeedPathAndK) {
  const auto a = pick_paintings(7, "a/b.jpg", 1000, 3);
  EXPECT_EQ(a, pick_paintings(7, "a/b.jpg", 1000, 3));
  // The first picks do not change when more styles are asked for: k-th pick is a function of k.
  const auto more = pick_paintings(7, "a/b.jpg", 1000, 5);
  EXPECT_EQ(std::vector<size_t>(more.begin(), more.begin() + 3), a);
  EXPECT_NE(a, pick_paintings(8, "a/b.jpg", 1000, 3));
  EXPECT_NE(a, pick_paintings(7, "a/c.jpg", 1000, 3));
}

TEST(Pairing, SpreadsUniformly) {
  // 20,000 images over 10 paintings: each count within 5 standard deviations of 2,000.
  std::vector<int> counts(10, 0);
  for (int i = 0; i < 20000; ++i) ++counts[pick_paintings(0, "img" + std::to_string(i), 10, 1)[0]];
  for (const int c : counts) EXPECT_NEAR(c, 2000, 5 * std::sqrt(2000 * 0.9));
}

TEST(Pairing, RejectsImpossibleRequests) {
  EXPECT_THROW(pick_paintings(0, "x", 2, 3), std::invalid_argument);
  EXPECT_THROW(pick_paintings(0, "x", 2, 0), std::invalid_argument);
}

TEST(Pairing, LabelsAreUniqueEvenWhenStemsRepeat) {
  const std::vector<std::filesystem::path> paintings = {"a/monet.jpg", "b/monet.jpg", "c/klee.png",
                                                        "monet.png", "a_monet.jpg"};
  const auto labels = painting_labels(paintings);
  EXPECT_EQ(labels[2], "klee");
  EXPECT_EQ(labels[0], "a_monet");
  EXPECT_EQ(labels[1], "b_monet");
  EXPECT_EQ(std::set<std::string>(labels.begin(), labels.end()).size(), labels.size());
}

TEST(Pairing, OutputNames) {
  EXPECT_EQ(output_relative_path("n01/x.JPEG", false, nullptr), "n01/x.JPEG");
  EXPECT_EQ(output_relative_path("n01/x.JPEG", true, nullptr), "n01/x.png");
  EXPECT_EQ(output_relative_path("x.png", false, nullptr), "x.jpg");
  const std::string label = "klee";
  EXPECT_EQ(output_relative_path("d/x.jpg", false, &label), "d/x-stylized-klee.jpg");
  EXPECT_EQ(output_relative_path("d/x.jpg", true, &label), "d/x-stylized-klee.png");
}

}  // namespace
}  // namespace sinforge
