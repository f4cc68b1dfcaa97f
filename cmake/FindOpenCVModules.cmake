# Finds OpenCV's core, imgproc and imgcodecs without OpenCVConfig.cmake: Debian ships that file only in the
# libopencv-dev metapackage, which drags in every module (VTK, GDAL, ...); the three -dev packages suffice.
find_path(OpenCV_INCLUDE_DIRS opencv2/core.hpp PATH_SUFFIXES opencv4 REQUIRED)
set(OpenCV_LIBS "")
foreach(_module core imgproc imgcodecs)
  find_library(OpenCV_${_module}_LIBRARY NAMES opencv_${_module} REQUIRED)
  list(APPEND OpenCV_LIBS ${OpenCV_${_module}_LIBRARY})
endforeach()
message(STATUS "sinforge: OpenCV from ${OpenCV_INCLUDE_DIRS}")
