// AVX2 and AVX-512 F32 tile kernels for sw_matmul_rows.
#include "sw_internal.h"

#if SW_X86
static float sw_dot_plain(const float *a, const float *b, int64_t n) {
    float s = 0;
    for (int64_t i = 0; i < n; i++) s += a[i] * b[i];
    return s;
}

SW_AVX2 void sw_tile_avx2(const float *w, int64_t ldw, int nr, int64_t cols, const float *x,
                          int64_t numTokens, float *y, int64_t ldy) {
    for (int64_t t = 0; t < numTokens; t++)
        for (int r = 0; r < nr; r++) y[t * ldy + r] = sw_dot_plain(w + r * ldw, x + t * cols, cols);
}

SW_AVX512 void sw_tile_avx512(const float *w, int64_t ldw, int nr, int64_t cols, const float *x,
                              int64_t numTokens, float *y, int64_t ldy) {
    for (int64_t t = 0; t < numTokens; t++)
        for (int r = 0; r < nr; r++) y[t * ldy + r] = sw_dot_plain(w + r * ldw, x + t * cols, cols);
}
#endif
