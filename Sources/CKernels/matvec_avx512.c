// Fused dequantize-dot for 1 or 2 tokens (decode) with AVX-512: weights never leave registers.
// Batch invariance: every type dequantizes to the same values as the tiled path (dq32_512) and
// multiplies in the tile kernel's order (one vector accumulator per output, FMAs over columns
// in order, then _mm512_reduce_add_ps), so a token's outputs are bit-identical alone or in a
// batch of any size. (A factored legacy-block sum d * sum(q x) + m * sum(x) was faster for
// Q4_1 decode, but the tiled path cannot use it without about doubling its work per weight.)
// Q4_K and Q6_K walk whole super-blocks so each quant byte is widened once; Q5_0, Q5_1 and
// Q5_K take the body shared with AVX2 (matvec_body.h). Q4_0, Q4_1 and Q8_0
// (matvec_legacy_avx512.c) and the float types (matvec_float_avx512.c) have their own kernels
// for 1-4 tokens, tried first.
#include "dequant_avx512.h"
#include "sw_simd.h"

#if SW_X86
#define SW_W 16
#include "matvec_body.h"
#undef SW_W

/// acc[t] += v[i] * x[t, e0 + 16 i] for i in 0..<count, in order.
SW_AVX512 SW_INLINE void fma_run(__m512 *acc, const __m512 *v, const int count, const float *x,
                                 int64_t cols, int64_t e0, const int nt) {
    for (int t = 0; t < nt; t++)
        for (int i = 0; i < count; i++)
            acc[t] = _mm512_fmadd_ps(v[i], _mm512_loadu_ps(x + t * cols + e0 + 16 * i), acc[t]);
}

/// One Q4_K row: per pair of sub-blocks, their 32 quant bytes are widened once (both nibbles used).
SW_AVX512 SW_INLINE void mv512_q4K_row(const uint8_t *row, int64_t cols, const float *x, const int nt,
                                       __m512 *acc) {
    const __m512i low4 = _mm512_set1_epi32(15);
    for (int64_t blk = 0; blk < cols / 256; blk++) {
        const uint8_t *b = row + blk * 144;
        float d = h2f(b), dmin = h2f(b + 2);
        for (int pair = 0; pair < 4; pair++) {
            __m512i q0 = _mm512_cvtepu8_epi32(ld16(b + 16 + 32 * pair));
            __m512i q1 = _mm512_cvtepu8_epi32(ld16(b + 16 + 32 * pair + 16));
            __m512 v[4];
            for (int half = 0; half < 2; half++) {
                uint8_t sc, mn;
                sw_scale_min_k4(b + 4, 2 * pair + half, &sc, &mn);
                __m512 dl = _mm512_set1_ps(d * (float)sc), ml = _mm512_set1_ps(dmin * (float)mn);
                __m512i a = half ? _mm512_srli_epi32(q0, 4) : _mm512_and_si512(q0, low4);
                __m512i c = half ? _mm512_srli_epi32(q1, 4) : _mm512_and_si512(q1, low4);
                v[2 * half] = _mm512_sub_ps(_mm512_mul_ps(dl, _mm512_cvtepi32_ps(a)), ml);
                v[2 * half + 1] = _mm512_sub_ps(_mm512_mul_ps(dl, _mm512_cvtepi32_ps(c)), ml);
            }
            fma_run(acc, v, 4, x, cols, blk * 256 + 64 * pair, nt);
        }
    }
}

/// One Q6_K row: per 128-element half, 64 low-bit bytes and 32 high-bit bytes widened once.
SW_AVX512 SW_INLINE void mv512_q6K_row(const uint8_t *row, int64_t cols, const float *x, const int nt,
                                       __m512 *acc) {
    const __m512i low4 = _mm512_set1_epi32(15), two = _mm512_set1_epi32(3), bias = _mm512_set1_epi32(32);
    for (int64_t blk = 0; blk < cols / 256; blk++) {
        const uint8_t *b = row + blk * 210;
        float d = h2f(b + 208);
        for (int half = 0; half < 2; half++) {
            const uint8_t *ql = b + 64 * half, *qh = b + 128 + 32 * half;
            __m512 v[8];  // element order: slice s (0..3) x 16-element part l (0, 1) -> v[2 s + l]
            for (int l = 0; l < 2; l++) {
                __m512i a = _mm512_cvtepu8_epi32(ld16(ql + 16 * l));
                __m512i c = _mm512_cvtepu8_epi32(ld16(ql + 32 + 16 * l));
                __m512i h = _mm512_cvtepu8_epi32(ld16(qh + 16 * l));
                __m512i q[4] = {
                    _mm512_or_si512(_mm512_and_si512(a, low4), _mm512_slli_epi32(_mm512_and_si512(h, two), 4)),
                    _mm512_or_si512(_mm512_and_si512(c, low4),
                                    _mm512_slli_epi32(_mm512_and_si512(_mm512_srli_epi32(h, 2), two), 4)),
                    _mm512_or_si512(_mm512_srli_epi32(a, 4),
                                    _mm512_slli_epi32(_mm512_and_si512(_mm512_srli_epi32(h, 4), two), 4)),
                    _mm512_or_si512(_mm512_srli_epi32(c, 4), _mm512_slli_epi32(_mm512_srli_epi32(h, 6), 4)),
                };
                for (int sl = 0; sl < 4; sl++) {
                    float scale = d * (float)(int8_t)b[192 + 8 * half + 2 * sl + l];
                    v[2 * sl + l] = _mm512_mul_ps(_mm512_set1_ps(scale), _mm512_cvtepi32_ps(_mm512_sub_epi32(q[sl], bias)));
                }
            }
            fma_run(acc, v, 8, x, cols, blk * 256 + 128 * half, nt);
        }
    }
}

/// Q4_K / Q6_K rows one at a time (each row keeps its nt accumulators).
SW_AVX512 SW_INLINE void mv512_k_rows(const int type, const uint8_t *w, int64_t rowBytes, int64_t cols,
                                      int64_t rowStart, int64_t rowEnd, const float *x, const int nt,
                                      float *y, int64_t ldy) {
    for (int64_t r = rowStart; r < rowEnd; r++) {
        __m512 acc[2] = {_mm512_setzero_ps(), _mm512_setzero_ps()};
        if (type == SW_Q4_K) mv512_q4K_row(w + r * rowBytes, cols, x, nt, acc);
        else mv512_q6K_row(w + r * rowBytes, cols, x, nt, acc);
        for (int t = 0; t < nt; t++) y[t * ldy + r] = _mm512_reduce_add_ps(acc[t]);
    }
}

#define MV512_K_CASE(T)                                                                            \
    case T:                                                                                        \
        if (numTokens == 1) mv512_k_rows(T, w, rowBytes, cols, rowStart, rowEnd, x, 1, y, ldy);    \
        else mv512_k_rows(T, w, rowBytes, cols, rowStart, rowEnd, x, 2, y, ldy);                   \
        return 1;

int sw_matvec_legacy_avx512(int type, const void *wp, int64_t rowBytes, int64_t cols,
                            int64_t rowStart, int64_t rowEnd, const float *x, int64_t numTokens,
                            float *y, int64_t ldy);
int sw_matvec_float_avx512(int type, const void *wp, int64_t rowBytes, int64_t cols,
                           int64_t rowStart, int64_t rowEnd, const float *x, int64_t numTokens,
                           float *y, int64_t ldy);

#define MV512_CASE(T)                                                                              \
    case T:                                                                                        \
        if (numTokens == 1) mv_rows_avx512(T, w, rowBytes, cols, rowStart, rowEnd, x, 1, y, ldy);  \
        else mv_rows_avx512(T, w, rowBytes, cols, rowStart, rowEnd, x, 2, y, ldy);                 \
        return 1;

/// Fused decode matmul for numTokens <= 2 and the quantized types dq32_512 handles; returns
/// 0 (doing nothing) otherwise.
SW_AVX512 int sw_matvec_avx512(int type, const void *wp, int64_t rowBytes, int64_t cols,
                               int64_t rowStart, int64_t rowEnd, const float *x, int64_t numTokens,
                               float *y, int64_t ldy) {
    const uint8_t *w = (const uint8_t *)wp;
    if (sw_matvec_legacy_avx512(type, wp, rowBytes, cols, rowStart, rowEnd, x, numTokens, y, ldy)) return 1;
    if (sw_matvec_float_avx512(type, wp, rowBytes, cols, rowStart, rowEnd, x, numTokens, y, ldy)) return 1;
    if (numTokens < 1 || numTokens > 2) return 0;
    switch (type) {
    MV512_CASE(SW_Q5_0)
    MV512_CASE(SW_Q5_1)
    MV512_K_CASE(SW_Q4_K)
    MV512_CASE(SW_Q5_K)
    MV512_K_CASE(SW_Q6_K)
    MV512_CASE(SW_F8_E4M3_B32)
    MV512_CASE(SW_I8_B32)
    MV512_CASE(SW_U4_B32)
    default: return 0;
    }
}
#endif
