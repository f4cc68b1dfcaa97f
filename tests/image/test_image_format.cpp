// The output formats' names: what the flags and presets accept, what the settings record writes, and the
// format a file's extension names.
#include "sinforge/image/image_format.h"

#include <gtest/gtest.h>

namespace sinforge {
namespace {

TEST(ImageFormat, NamesRoundTrip) {
  for (const ImageFormat f : {ImageFormat::kJpeg, ImageFormat::kPng}) {
    ImageFormat parsed = f == ImageFormat::kJpeg ? ImageFormat::kPng : ImageFormat::kJpeg;
    ASSERT_TRUE(parse_image_format(to_string(f), parsed)) << to_string(f);
    EXPECT_EQ(parsed, f);
  }
  EXPECT_EQ(to_string(ImageFormat::kJpeg), "jpg");
  EXPECT_EQ(to_string(ImageFormat::kPng), "png");
}

TEST(ImageFormat, ParseTakesJpegAndRejectsOthersUntouched) {
  ImageFormat f = ImageFormat::kPng;
  ASSERT_TRUE(parse_image_format("jpeg", f));
  EXPECT_EQ(f, ImageFormat::kJpeg);
  for (const char* bad : {"", "JPG", "Png", ".png", "gif", "jpg "}) {
    f = ImageFormat::kPng;
    EXPECT_FALSE(parse_image_format(bad, f)) << bad;
    EXPECT_EQ(f, ImageFormat::kPng) << bad;
  }
}

TEST(ImageFormat, OfAFileIsItsExtensionCaseInsensitively) {
  EXPECT_EQ(image_format_of("a/b.JPEG"), ImageFormat::kJpeg);
  EXPECT_EQ(image_format_of("b.jpg"), ImageFormat::kJpeg);
  EXPECT_EQ(image_format_of("sheet.Png"), ImageFormat::kPng);
  EXPECT_EQ(image_format_of("b.webp"), std::nullopt);
  EXPECT_EQ(image_format_of("jpg"), std::nullopt);  // a name without an extension
  EXPECT_EQ(image_format_of("a.jpg/"), std::nullopt);
}

}  // namespace
}  // namespace sinforge
