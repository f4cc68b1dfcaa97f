# The dependencies a machine without apt packages gets from a carried folder (scripts/prepare-gpu-carry.sh
# builds it; docs/GPU.md): SINFORGE_CARRY_DIR holds
#   include/           spdlog, fmt, cxxopts.hpp, nlohmann/, opencv4/ (headers of the static OpenCV)
#   lib/               libopencv_{imgcodecs,imgproc,core}.a and the static libjpeg, libpng16 and libz they use, and libdeflate.a (the PNG writer)
#   include/           also libdeflate.h and libjpeg's jpeglib.h, jmorecfg.h, jerror.h, jconfig.h (our JPEG codec)
#   src/googletest/    GoogleTest's sources, src/benchmark/ Google Benchmark's: built here by this toolchain
# It defines the same names the system packages give (OpenCV_INCLUDE_DIRS/OpenCV_LIBS, spdlog::spdlog,
# cxxopts::cxxopts, nlohmann_json::nlohmann_json, benchmark::benchmark, GTest::gtest[_main]).
set(_carry "${SINFORGE_CARRY_DIR}")
if(NOT EXISTS "${_carry}/include/spdlog/spdlog.h")
  message(FATAL_ERROR "SINFORGE_CARRY_DIR=${_carry} holds no include/spdlog: run scripts/prepare-gpu-carry.sh")
endif()
message(STATUS "sinforge: dependencies from the carried folder ${_carry}")

# OpenCV (core, imgproc, imgcodecs), static, in link order, then the codecs' own static libraries.
set(OpenCV_INCLUDE_DIRS "${_carry}/include/opencv4")
set(OpenCV_LIBS "")
foreach(_lib opencv_imgcodecs opencv_imgproc opencv_core jpeg png16 z)
  set(_path "${_carry}/lib/lib${_lib}.a")
  if(NOT EXISTS "${_path}")
    message(FATAL_ERROR "carried folder lacks ${_path}: run scripts/prepare-gpu-carry.sh opencv")
  endif()
  list(APPEND OpenCV_LIBS "${_path}")
endforeach()
list(APPEND OpenCV_LIBS ${CMAKE_DL_LIBS} Threads::Threads)
find_package(Threads REQUIRED)

# spdlog header-only over fmt header-only (Debian's headers: spdlog 1.10 written for an external fmt 9).
add_library(spdlog::spdlog INTERFACE IMPORTED)
set_target_properties(spdlog::spdlog PROPERTIES INTERFACE_INCLUDE_DIRECTORIES "${_carry}/include"
                                                INTERFACE_COMPILE_DEFINITIONS "SPDLOG_FMT_EXTERNAL;FMT_HEADER_ONLY")
add_library(cxxopts::cxxopts INTERFACE IMPORTED)
set_target_properties(cxxopts::cxxopts PROPERTIES INTERFACE_INCLUDE_DIRECTORIES "${_carry}/include")
add_library(nlohmann_json::nlohmann_json INTERFACE IMPORTED)
set_target_properties(nlohmann_json::nlohmann_json PROPERTIES INTERFACE_INCLUDE_DIRECTORIES "${_carry}/include")

# The carried sources ask for old CMake versions (yaml-cpp 0.7: 2.8.12), which CMake 4 refuses outright
# ("Compatibility with CMake < 3.5 has been removed"). CMake 4 reads CMAKE_POLICY_VERSION_MINIMUM as the
# floor of their policy version, which is what its documentation offers for third-party code added with
# add_subdirectory; CMake 3 ignores it. The CI configures this file with a CMake 4 (scripts/check-toolchains.sh).
set(CMAKE_POLICY_VERSION_MINIMUM 3.5)

# Google Benchmark and GoogleTest from source, as static libraries, warnings theirs (not -Werror).
set(BENCHMARK_ENABLE_TESTING OFF CACHE BOOL "" FORCE)
set(BENCHMARK_ENABLE_INSTALL OFF CACHE BOOL "" FORCE)
set(BENCHMARK_ENABLE_WERROR OFF CACHE BOOL "" FORCE)
set(BENCHMARK_ENABLE_GTEST_TESTS OFF CACHE BOOL "" FORCE)
set(BENCHMARK_INSTALL_DOCS OFF CACHE BOOL "" FORCE)
set(BUILD_SHARED_LIBS OFF)
set(GIT_VERSION "0.0.0")  # no .git in the carried sources: benchmark then takes its project() version
add_subdirectory("${_carry}/src/benchmark" "${CMAKE_BINARY_DIR}/_carry/benchmark" EXCLUDE_FROM_ALL SYSTEM)
# yaml-cpp from source (the presets): static, no tests, tools or install rules.
set(YAML_CPP_BUILD_TESTS OFF CACHE BOOL "" FORCE)
set(YAML_CPP_BUILD_TOOLS OFF CACHE BOOL "" FORCE)
set(YAML_CPP_BUILD_CONTRIB OFF CACHE BOOL "" FORCE)
set(YAML_CPP_INSTALL OFF CACHE BOOL "" FORCE)
add_subdirectory("${_carry}/src/yaml-cpp" "${CMAKE_BINARY_DIR}/_carry/yaml-cpp" EXCLUDE_FROM_ALL SYSTEM)
if(SINFORGE_BUILD_TESTS)
  set(INSTALL_GTEST OFF CACHE BOOL "" FORCE)
  set(BUILD_GMOCK OFF CACHE BOOL "" FORCE)
  add_subdirectory("${_carry}/src/googletest" "${CMAKE_BINARY_DIR}/_carry/googletest" EXCLUDE_FROM_ALL SYSTEM)
  if(NOT TARGET GTest::gtest)  # GoogleTest 1.11+ defines these aliases itself
    add_library(GTest::gtest ALIAS gtest)
    add_library(GTest::gtest_main ALIAS gtest_main)
  endif()
endif()
unset(CMAKE_POLICY_VERSION_MINIMUM)
