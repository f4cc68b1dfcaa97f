// SINFORGE_SIMD_CLONES before a function with a hot loop: GCC and Clang compile it twice, for AVX2 and for
// the x86-64 baseline the build targets, and the loader picks the one the CPU runs (an ifunc). Only for code
// whose result cannot depend on the instructions chosen (integer arithmetic): the two clones give the same
// bytes, so a run's outputs do not depend on the machine. Elsewhere (another architecture, another
// compiler) it is empty and the baseline code runs. Under a sanitizer too: the loader runs the clones'
// resolver before the sanitizer's runtime is up, and an instrumented resolver crashes there (seen with TSan).
#pragma once

#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
#define SINFORGE_NO_SIMD_CLONES
#elif defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(thread_sanitizer) || __has_feature(memory_sanitizer)
#define SINFORGE_NO_SIMD_CLONES
#endif
#endif

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__)) && !defined(SINFORGE_NO_SIMD_CLONES)
#define SINFORGE_SIMD_CLONES __attribute__((target_clones("avx2", "default")))
#else
#define SINFORGE_SIMD_CLONES
#endif
