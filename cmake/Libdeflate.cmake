# libdeflate (Debian's libdeflate-dev; a carried folder's include/ and lib/), behind the PNG writer
# (lib/src/image/png_encoder.cpp): defines the imported target libdeflate::libdeflate. Static where the
# folder given holds the static library (the carried build), shared otherwise.
if(TARGET libdeflate::libdeflate)
  return()
endif()
if(SINFORGE_CARRY_DIR)
  set(_deflate_hints HINTS "${SINFORGE_CARRY_DIR}/include" "${SINFORGE_CARRY_DIR}/lib" NO_DEFAULT_PATH)
  set(_deflate_names libdeflate.a)
else()
  set(_deflate_hints)
  set(_deflate_names deflate)
endif()
find_path(LIBDEFLATE_INCLUDE_DIR libdeflate.h ${_deflate_hints})
find_library(LIBDEFLATE_LIBRARY NAMES ${_deflate_names} ${_deflate_hints})
if(NOT LIBDEFLATE_INCLUDE_DIR OR NOT LIBDEFLATE_LIBRARY)
  message(FATAL_ERROR "libdeflate not found: scripts/install-deps.sh installs libdeflate-dev "
                      "(a carried folder: scripts/prepare-gpu-carry.sh opencv)")
endif()
add_library(libdeflate::libdeflate UNKNOWN IMPORTED)
set_target_properties(libdeflate::libdeflate PROPERTIES IMPORTED_LOCATION "${LIBDEFLATE_LIBRARY}"
                                                        INTERFACE_INCLUDE_DIRECTORIES "${LIBDEFLATE_INCLUDE_DIR}")
