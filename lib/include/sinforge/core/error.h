// The error types sinforge reports. Each carries a message meant for the user, naming the file or flag.
#pragma once

#include <stdexcept>
#include <string>

namespace sinforge {

// A flag, preset or setting that is wrong: reported before any work starts (exit status 2).
struct UsageError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// A weight file that cannot be read or does not match the network's layer table.
struct WeightsError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// One input image that cannot be decoded: it is skipped and reported, the run goes on.
struct DecodeError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

}  // namespace sinforge
