// --device: auto, cpu, cuda and cuda:I, with a message naming the flag for anything else or a GPU that is
// not there.
#include "sinforge/core/device.h"

#include <gtest/gtest.h>

#include <string>

#include "sinforge/core/error.h"
#include "support/fixtures.h"

namespace sinforge {
namespace {

std::string usage_error(const std::string& name) {
  return testing::error_of<UsageError>([&] { parse_device(name); });
}

TEST(Device, CpuAndAuto) {
  EXPECT_TRUE(parse_device("cpu").is_cpu());
  const at::Device automatic = parse_device("auto");
  EXPECT_EQ(automatic.is_cuda(), cuda_available());
  if (automatic.is_cuda()) {
    EXPECT_EQ(automatic.index(), 0);
  }
}

TEST(Device, UnknownNamesAreUsageErrors) {
  for (const std::string name : {"gpu", "CPU", "tpu", ""}) {
    const std::string message = usage_error(name);
    EXPECT_NE(message.find("--device"), std::string::npos) << name << ": " << message;
    EXPECT_NE(message.find("expected auto, cpu, cuda or cuda:I"), std::string::npos) << message;
  }
  for (const std::string name : {"cuda:x", "cuda:-1", "cuda:1234", "cuda:0x"}) {
    const std::string message = usage_error(name);
    EXPECT_NE(message.find("cannot read a GPU index"), std::string::npos) << name << ": " << message;
  }
}

TEST(Device, AGpuThatIsNotThereIsAUsageError) {
  if (cuda_available()) {
    EXPECT_TRUE(parse_device("cuda").is_cuda());
    EXPECT_EQ(parse_device("cuda:0").index(), 0);
    EXPECT_NE(usage_error("cuda:999").find("no GPU with that index"), std::string::npos);
  } else {
    EXPECT_NE(usage_error("cuda").find("no CUDA device is available"), std::string::npos);
    EXPECT_NE(usage_error("cuda:0").find("no CUDA device is available"), std::string::npos);
  }
}

}  // namespace
}  // namespace sinforge
