// The mean amplitude spectrum of power equalisation as a NumPy .npy file (version 1.0, little-endian
// float64, C order, 2-D), the format the published code kept it in (mean_power_spectrum_grey.npy): centred
// (fftshift) amplitudes of the grey crop. derive writes the one it computes as <out>/sinforge.spectrum.npy,
// and --spectrum reads one back (its own or the published file).
#pragma once

#include <filesystem>
#include <string>

#include <opencv2/core.hpp>

namespace sinforge {

inline constexpr const char* kSpectrumFileName = "sinforge.spectrum.npy";

// Atomically (atomic_file.h); owner names the temporary (a shard label).
void write_spectrum_file(const std::filesystem::path& file, const cv::Mat& spectrum,
                         const std::string& owner);
// CV_64FC1. Throws UsageError naming the file when it is not a 2-D little-endian float64 C-order .npy.
cv::Mat read_spectrum_file(const std::filesystem::path& file);
// The same reader for any 1-D (read as one row) or 2-D float64 .npy; errors name flag and the file. False
// colour's gamma table (--gamma-table) is one.
cv::Mat read_npy_array(const std::filesystem::path& file, const std::string& flag);

}  // namespace sinforge
