# The GPU architectures our CUDA kernels are built for: exactly those LibTorch was built for, read from the
# LibTorch in use (torch._C._cuda_getArchFlags() of SINFORGE_PYTHON's torch), so that wherever LibTorch's own
# kernels run, ours run too. SASS (a cubin) for each, plus the PTX of the newest, which the driver compiles
# for chips that came after it.
#
#   SINFORGE_CUDA_ARCHITECTURES   "75;80;86;90;100;120": overrides the list read from LibTorch (a LibTorch
#                                 without Python, or a quick build for one chip; sinforge info then reports
#                                 the shorter list and other chips take the LibTorch-ops path)
#
# Sets, for the caller:
#   SINFORGE_KERNEL_SASS          the list of cubins built ("75;80;..."), in ascending order
#   SINFORGE_KERNEL_PTX           the PTX built ("120")
#   CMAKE_CUDA_ARCHITECTURES      for enable_language(CUDA) (LibTorch's config turns it OFF again)
#   ENV{TORCH_CUDA_ARCH_LIST}     what LibTorch's config turns into -gencode flags for every CUDA target
#
# An architecture LibTorch names that this nvcc cannot build is left out with a warning; the test
# kernel_architectures (tests/kernels/) then fails, as it should: our binary would not cover LibTorch's GPUs.

function(sinforge_libtorch_cuda_architectures out)
  execute_process(
    COMMAND "${SINFORGE_PYTHON}" -c
      "import torch; print(torch._C._cuda_getArchFlags() if torch.version.cuda else '')"
    OUTPUT_VARIABLE flags OUTPUT_STRIP_TRAILING_WHITESPACE RESULT_VARIABLE rc ERROR_VARIABLE err)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "cannot read LibTorch's CUDA architectures from ${SINFORGE_PYTHON}: ${err}\n"
                        "Set -DSINFORGE_CUDA_ARCHITECTURES=\"75;80;86;90;100;120\" instead.")
  endif()
  # "sm_75 sm_80 ... compute_120": only the sm_ entries are cubins; suffixes (sm_90a) are not portable.
  string(REGEX MATCHALL "sm_[0-9]+" entries "${flags}")
  set(numbers)
  foreach(entry IN LISTS entries)
    string(REPLACE "sm_" "" number "${entry}")
    list(APPEND numbers ${number})
  endforeach()
  set(${out} ${numbers} PARENT_SCOPE)
endfunction()

# What this nvcc can write cubins for (nvcc --list-gpu-code: sm_75 sm_80 ...).
function(sinforge_nvcc_architectures nvcc out)
  execute_process(COMMAND "${nvcc}" --list-gpu-code OUTPUT_VARIABLE codes RESULT_VARIABLE rc
                  ERROR_QUIET OUTPUT_STRIP_TRAILING_WHITESPACE)
  set(numbers)
  if(rc EQUAL 0)
    string(REGEX MATCHALL "sm_[0-9]+" entries "${codes}")
    foreach(entry IN LISTS entries)
      string(REPLACE "sm_" "" number "${entry}")
      list(APPEND numbers ${number})
    endforeach()
  endif()
  set(${out} ${numbers} PARENT_SCOPE)
endfunction()

function(sinforge_choose_cuda_architectures nvcc)
  if(SINFORGE_CUDA_ARCHITECTURES)
    set(wanted ${SINFORGE_CUDA_ARCHITECTURES})
    message(STATUS "sinforge: CUDA architectures as given: ${wanted}")
  else()
    sinforge_libtorch_cuda_architectures(wanted)
    message(STATUS "sinforge: LibTorch's CUDA architectures: ${wanted}")
  endif()
  sinforge_nvcc_architectures("${nvcc}" buildable)
  set(sass)
  foreach(arch IN LISTS wanted)
    if(buildable AND NOT arch IN_LIST buildable)
      message(WARNING "sinforge: this nvcc cannot build sm_${arch}, which LibTorch supports: left out; "
                      "GPUs of that architecture will run AdaIN through LibTorch ops")
    else()
      list(APPEND sass ${arch})
    endif()
  endforeach()
  list(REMOVE_DUPLICATES sass)
  list(SORT sass COMPARE NATURAL)
  if(NOT sass)
    message(FATAL_ERROR "sinforge: no CUDA architecture to build the kernels for (LibTorch: '${wanted}')")
  endif()
  list(GET sass -1 newest)
  set(cmake_archs)
  set(torch_archs)
  foreach(arch IN LISTS sass)
    list(APPEND cmake_archs ${arch}-real)
    math(EXPR major "${arch} / 10")
    math(EXPR minor "${arch} % 10")
    set(entry "${major}.${minor}")
    if(arch STREQUAL newest)
      list(APPEND cmake_archs ${arch}-virtual)
      set(entry "${entry}+PTX")
    endif()
    list(APPEND torch_archs ${entry})
  endforeach()
  list(JOIN torch_archs ";" torch_list)
  set(CMAKE_CUDA_ARCHITECTURES ${cmake_archs} PARENT_SCOPE)
  set(ENV{TORCH_CUDA_ARCH_LIST} "${torch_list}")
  set(SINFORGE_KERNEL_SASS ${sass} PARENT_SCOPE)
  set(SINFORGE_KERNEL_PTX ${newest} PARENT_SCOPE)
  list(JOIN sass " sm_" shown)
  message(STATUS "sinforge: CUDA kernels for sm_${shown} (SASS) + compute_${newest} (PTX)")
endfunction()
