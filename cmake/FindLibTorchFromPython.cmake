# Locates LibTorch inside a Python torch installation and adds it to CMAKE_PREFIX_PATH.
# Order: -DSINFORGE_PYTHON=..., then the venv that scripts/install-deps.sh prints.
if(NOT SINFORGE_PYTHON)
  execute_process(
    COMMAND bash ${CMAKE_CURRENT_LIST_DIR}/../scripts/install-deps.sh --print-venv
    OUTPUT_VARIABLE _sinforge_venv OUTPUT_STRIP_TRAILING_WHITESPACE)
  set(SINFORGE_PYTHON "${_sinforge_venv}/bin/python" CACHE FILEPATH "Python interpreter with torch")
endif()
if(NOT EXISTS "${SINFORGE_PYTHON}")
  message(FATAL_ERROR "No Python with torch at ${SINFORGE_PYTHON}: run scripts/install-deps.sh first")
endif()
execute_process(
  COMMAND "${SINFORGE_PYTHON}" -c "import torch.utils; print(torch.utils.cmake_prefix_path)"
  OUTPUT_VARIABLE _torch_prefix OUTPUT_STRIP_TRAILING_WHITESPACE RESULT_VARIABLE _rc)
if(NOT _rc EQUAL 0 AND DEFINED SKBUILD)
  message(FATAL_ERROR "${SINFORGE_PYTHON} cannot import torch: pip builds sinforge against the torch of the "
                      "environment it installs into, which needs `pip install --no-build-isolation .` (README.md)")
elseif(NOT _rc EQUAL 0)
  message(FATAL_ERROR "${SINFORGE_PYTHON} cannot import torch: run scripts/install-deps.sh")
endif()
list(APPEND CMAKE_PREFIX_PATH "${_torch_prefix}")
message(STATUS "sinforge: LibTorch from ${_torch_prefix}")

# The wheel's CUDA libraries (cuDNN, NCCL, cuBLAS, the CUDA 13 runtime) come as separate nvidia-* wheels.
# libtorch_cuda.so carries no RUNPATH to them (Python preloads them), so programs linking LibTorch name their
# folders at link time (-rpath-link) and at run time (RPATH).
execute_process(
  COMMAND "${SINFORGE_PYTHON}" -c
    "import glob, os, torch; site = os.path.dirname(os.path.dirname(torch.__file__)); print(';'.join(sorted(glob.glob(site + '/nvidia/*/lib'))))"
  OUTPUT_VARIABLE SINFORGE_TORCH_CUDA_LIB_DIRS OUTPUT_STRIP_TRAILING_WHITESPACE)
if(SINFORGE_TORCH_CUDA_LIB_DIRS)
  list(JOIN SINFORGE_TORCH_CUDA_LIB_DIRS ":" _joined)
  add_link_options("LINKER:-rpath-link,${_joined}")
  list(PREPEND CMAKE_BUILD_RPATH ${SINFORGE_TORCH_CUDA_LIB_DIRS})
  list(PREPEND CMAKE_INSTALL_RPATH ${SINFORGE_TORCH_CUDA_LIB_DIRS})
endif()
