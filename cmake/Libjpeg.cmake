# libjpeg (libjpeg-turbo's libjpeg API: Debian's libjpeg62-turbo-dev; a carried folder's include/ and lib/),
# behind the JPEG codec (lib/src/image/jpeg_codec.cpp): defines the imported target JPEG::JPEG. It is the
# library OpenCV's JPEG codec stands on, so a process holds one libjpeg: the shared one with the system
# packages, the carried static one (which the carried OpenCV links as well) otherwise.
if(TARGET JPEG::JPEG)
  return()
endif()
if(NOT SINFORGE_CARRY_DIR)
  find_package(JPEG REQUIRED)
  return()
endif()
set(_jpeg_hints HINTS "${SINFORGE_CARRY_DIR}/include" "${SINFORGE_CARRY_DIR}/lib" NO_DEFAULT_PATH)
find_path(SINFORGE_JPEG_INCLUDE_DIR jpeglib.h ${_jpeg_hints})
find_library(SINFORGE_JPEG_LIBRARY NAMES libjpeg.a ${_jpeg_hints})
if(NOT SINFORGE_JPEG_INCLUDE_DIR OR NOT SINFORGE_JPEG_LIBRARY)
  message(FATAL_ERROR "libjpeg not found in ${SINFORGE_CARRY_DIR}: run scripts/prepare-gpu-carry.sh opencv")
endif()
add_library(JPEG::JPEG UNKNOWN IMPORTED)
set_target_properties(JPEG::JPEG PROPERTIES IMPORTED_LOCATION "${SINFORGE_JPEG_LIBRARY}"
                                            INTERFACE_INCLUDE_DIRECTORIES "${SINFORGE_JPEG_INCLUDE_DIR}")
