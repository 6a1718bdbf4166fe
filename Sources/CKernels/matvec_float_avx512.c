// Fused decode matmul (1-4 tokens) for F16, BF16 and F32 weights with AVX-512: each group of
// 16 weights is widened to F32 in registers (no scratch tile) and multiplied by the tokens.
// Same arithmetic as the tile kernel (sw_tile_avx512) on the dequantized row: one accumulator
// per output, fused multiply-adds over 16 columns at a time in order, a zero-masked step for
// the column tail, then _mm512_reduce_add_ps; so outputs are bit-identical with the batched
// path (batch invariance).
#include "dequant_avx512.h"

#if SW_X86
/// 16 weights of a float-type row from column k (masked: lanes outside `m` read as zero).
SW_AVX512 SW_INLINE __m512 wide16(const int type, const uint8_t *row, int64_t k, __mmask16 m) {
    switch (type) {
    case SW_F16: return _mm512_cvtph_ps(_mm256_maskz_loadu_epi16(m, row + 2 * k));
    case SW_BF16:
        return _mm512_castsi512_ps(_mm512_slli_epi32(_mm512_cvtepu16_epi32(_mm256_maskz_loadu_epi16(m, row + 2 * k)), 16));
    default: return _mm512_maskz_loadu_ps(m, (const float *)row + k);
    }
}

/// nr rows (nr <= 8) x nt tokens (nt <= 4; nr * nt <= 16) of outputs.
SW_AVX512 SW_INLINE void mvf(const int type, const uint8_t *w, int64_t rowBytes, const int nr, int64_t cols,
                             const float *x, const int nt, float *y, int64_t ldy) {
    const int elementBytes = type == SW_F32 ? 4 : 2;
    __m512 acc[8][4];
    for (int r = 0; r < nr; r++)
        for (int t = 0; t < nt; t++) acc[r][t] = _mm512_setzero_ps();
    int64_t k = 0;
    for (; k + 16 <= cols; k += 16) {
        __m512 xv[4];
        for (int t = 0; t < nt; t++) xv[t] = _mm512_loadu_ps(x + t * cols + k);
        // the next row group, as much of it as this step reads (see sw_prefetch_span)
        sw_prefetch_span((const char *)w + nr * rowBytes + k * nr * elementBytes, 16 * nr * elementBytes);
        for (int r = 0; r < nr; r++) {
            __m512 v = wide16(type, w + r * rowBytes, k, (__mmask16)0xFFFF);
            for (int t = 0; t < nt; t++) acc[r][t] = _mm512_fmadd_ps(v, xv[t], acc[r][t]);
        }
    }
    if (k < cols) {
        __mmask16 m = (__mmask16)((1u << (cols - k)) - 1);
        __m512 xv[4];
        for (int t = 0; t < nt; t++) xv[t] = _mm512_maskz_loadu_ps(m, x + t * cols + k);
        for (int r = 0; r < nr; r++) {
            __m512 v = wide16(type, w + r * rowBytes, k, m);
            for (int t = 0; t < nt; t++) acc[r][t] = _mm512_fmadd_ps(v, xv[t], acc[r][t]);
        }
    }
    for (int r = 0; r < nr; r++)
        for (int t = 0; t < nt; t++) y[t * ldy + r] = _mm512_reduce_add_ps(acc[r][t]);
}

SW_AVX512 SW_INLINE void mvf_rows(const int type, const uint8_t *w, int64_t rowBytes, int64_t cols,
                                  int64_t rowStart, int64_t rowEnd, const float *x, const int nt,
                                  float *y, int64_t ldy) {
    int64_t r = rowStart;
    if (nt == 1)
        for (; r + 8 <= rowEnd; r += 8) mvf(type, w + r * rowBytes, rowBytes, 8, cols, x, 1, y + r, ldy);
    for (; r + 4 <= rowEnd; r += 4) mvf(type, w + r * rowBytes, rowBytes, 4, cols, x, nt, y + r, ldy);
    for (; r < rowEnd; r++) mvf(type, w + r * rowBytes, rowBytes, 1, cols, x, nt, y + r, ldy);
}

#define MVF_CASE(T)                                                                                \
    case T:                                                                                        \
        switch (numTokens) {                                                                       \
        case 1: mvf_rows(T, w, rowBytes, cols, rowStart, rowEnd, x, 1, y, ldy); break;             \
        case 2: mvf_rows(T, w, rowBytes, cols, rowStart, rowEnd, x, 2, y, ldy); break;             \
        case 3: mvf_rows(T, w, rowBytes, cols, rowStart, rowEnd, x, 3, y, ldy); break;             \
        default: mvf_rows(T, w, rowBytes, cols, rowStart, rowEnd, x, 4, y, ldy); break;            \
        }                                                                                          \
        return 1;

/// F16, BF16 and F32 for numTokens 1 to 4; returns 0 (doing nothing) for anything else.
SW_AVX512 int sw_matvec_float_avx512(int type, const void *wp, int64_t rowBytes, int64_t cols,
                                     int64_t rowStart, int64_t rowEnd, const float *x,
                                     int64_t numTokens, float *y, int64_t ldy) {
    const uint8_t *w = (const uint8_t *)wp;
    if (numTokens < 1 || numTokens > 4) return 0;
    switch (type) {
    MVF_CASE(SW_F16)
    MVF_CASE(SW_BF16)
    MVF_CASE(SW_F32)
    default: return 0;
    }
}
#endif
