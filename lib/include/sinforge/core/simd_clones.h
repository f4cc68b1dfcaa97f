// SINFORGE_SIMD_CLONES before a function with a hot loop: GCC and Clang compile it twice, for AVX2 and for
// the x86-64 baseline the build targets, and the loader picks the one the CPU runs (an ifunc). Only for code
// whose result cannot depend on the instructions chosen (integer arithmetic): the two clones give the same
// bytes, so a run's outputs do not depend on the machine. Elsewhere (another architecture, another
// compiler) it is empty and the baseline code runs.
#pragma once

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__)) && !defined(SINFORGE_NO_SIMD_CLONES)
#define SINFORGE_SIMD_CLONES __attribute__((target_clones("avx2", "default")))
#else
#define SINFORGE_SIMD_CLONES
#endif
