// Fused decode matmul (1-4 tokens) for Q4_0, Q4_1 and Q8_0 with AVX-512: the per-block half
// scales of 16 blocks of a row are gathered and converted with one instruction each, so the
// block loop reads them as broadcast memory operands instead of converting and broadcasting
// scalars (that conversion was most of the instructions per block). The arithmetic is the
// one of dq32_512 and the tile kernels: the same dequantized values (d q + m, d (q - 8),
// d q; multiply then add, no FMA), one accumulator per output fed by fused multiply-adds in
// column order, then _mm512_reduce_add_ps; so outputs stay bit-identical with the batched
// path (batch invariance).
#include "dequant_avx512.h"

#if SW_X86
/// Bytes per block of the three types this file handles.
SW_INLINE int legacy_block_bytes(int type) { return type == SW_Q4_1 ? 20 : type == SW_Q4_0 ? 18 : 34; }

/// d (and m for Q4_1) of the `n` (1...16) consecutive blocks at `blocks`, as floats.
SW_AVX512 SW_INLINE void scales16(const int type, const uint8_t *blocks, int n, float *d, float *m) {
    const int bytes = legacy_block_bytes(type);
    const __m512i offsets = _mm512_mullo_epi32(_mm512_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15),
                                               _mm512_set1_epi32(bytes));
    __mmask16 k = n >= 16 ? (__mmask16)0xFFFF : (__mmask16)((1u << n) - 1);
    // 4 bytes at each block start: d and m (Q4_1), or d and 2 quant bytes; never past the block.
    __m512i g = _mm512_mask_i32gather_epi32(_mm512_setzero_si512(), k, offsets, blocks, 1);
    _mm512_store_ps(d, _mm512_cvtph_ps(_mm512_cvtepi32_epi16(g)));
    if (type == SW_Q4_1) _mm512_store_ps(m, _mm512_cvtph_ps(_mm512_cvtepi32_epi16(_mm512_srli_epi32(g, 16))));
}

/// nr rows (nr <= 8) x nt tokens (nt <= 4; nr * nt <= 16) of outputs.
SW_AVX512 SW_INLINE void mvl(const int type, const uint8_t *w, int64_t rowBytes, const int nr, int64_t cols,
                             const float *x, const int nt, float *y, int64_t ldy) {
    const int bytes = legacy_block_bytes(type);
    const __m512 nibbles = _mm512_setr_ps(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15);
    const __m512 centered = _mm512_sub_ps(nibbles, _mm512_set1_ps(8));
    _Alignas(64) float d[8][16], m[8][16];  // [row][block of the group]
    __m512 acc[8][4];
    for (int r = 0; r < nr; r++)
        for (int t = 0; t < nt; t++) acc[r][t] = _mm512_setzero_ps();
    const int64_t numBlocks = cols / 32;
    for (int64_t b0 = 0; b0 < numBlocks; b0 += 16) {
        const int n = numBlocks - b0 < 16 ? (int)(numBlocks - b0) : 16;
        for (int r = 0; r < nr; r++) scales16(type, w + r * rowBytes + b0 * bytes, n, d[r], m[r]);
        for (int i = 0; i < n; i++) {
            const int64_t e = (b0 + i) * 32;
            __m512 x0[4], x1[4];
            for (int t = 0; t < nt; t++) {
                x0[t] = _mm512_loadu_ps(x + t * cols + e);
                x1[t] = _mm512_loadu_ps(x + t * cols + e + 16);
            }
            // Software prefetch two row groups ahead, in the order its bytes will be read: this
            // step reads nr * bytes bytes, so as many of that group's bytes are requested.
            sw_prefetch_span((const char *)w + 2 * nr * rowBytes + (b0 + i) * nr * bytes, nr * bytes);
            for (int r = 0; r < nr; r++) {
                const uint8_t *b = w + r * rowBytes + (b0 + i) * bytes;
                __m512 v0, v1;
                if (type == SW_Q8_0) {
                    __m512 dv = _mm512_set1_ps(d[r][i]);
                    v0 = _mm512_mul_ps(dv, _mm512_cvtepi32_ps(_mm512_cvtepi8_epi32(ld16(b + 2))));
                    v1 = _mm512_mul_ps(dv, _mm512_cvtepi32_ps(_mm512_cvtepi8_epi32(ld16(b + 18))));
                } else {
                    __m512i q = _mm512_cvtepu8_epi32(ld16(b + (type == SW_Q4_1 ? 4 : 2)));
                    __m512 table = type == SW_Q4_1
                        ? _mm512_add_ps(_mm512_mul_ps(_mm512_set1_ps(d[r][i]), nibbles), _mm512_set1_ps(m[r][i]))
                        : _mm512_mul_ps(_mm512_set1_ps(d[r][i]), centered);
                    v0 = _mm512_permutexvar_ps(q, table);
                    v1 = _mm512_permutexvar_ps(_mm512_srli_epi32(q, 4), table);
                }
                for (int t = 0; t < nt; t++) {
                    acc[r][t] = _mm512_fmadd_ps(v0, x0[t], acc[r][t]);
                    acc[r][t] = _mm512_fmadd_ps(v1, x1[t], acc[r][t]);
                }
            }
        }
    }
    for (int r = 0; r < nr; r++)
        for (int t = 0; t < nt; t++) y[t * ldy + r] = _mm512_reduce_add_ps(acc[r][t]);
}

SW_AVX512 SW_INLINE void mvl_rows(const int type, const uint8_t *w, int64_t rowBytes, int64_t cols,
                                  int64_t rowStart, int64_t rowEnd, const float *x, const int nt,
                                  float *y, int64_t ldy) {
    int64_t r = rowStart;
    if (nt == 1)
        for (; r + 8 <= rowEnd; r += 8) mvl(type, w + r * rowBytes, rowBytes, 8, cols, x, 1, y + r, ldy);
    for (; r + 4 <= rowEnd; r += 4) mvl(type, w + r * rowBytes, rowBytes, 4, cols, x, nt, y + r, ldy);
    for (; r < rowEnd; r++) mvl(type, w + r * rowBytes, rowBytes, 1, cols, x, nt, y + r, ldy);
}

#define MVL_CASE(T)                                                                                \
    case T:                                                                                        \
        switch (numTokens) {                                                                       \
        case 1: mvl_rows(T, w, rowBytes, cols, rowStart, rowEnd, x, 1, y, ldy); break;             \
        case 2: mvl_rows(T, w, rowBytes, cols, rowStart, rowEnd, x, 2, y, ldy); break;             \
        case 3: mvl_rows(T, w, rowBytes, cols, rowStart, rowEnd, x, 3, y, ldy); break;             \
        default: mvl_rows(T, w, rowBytes, cols, rowStart, rowEnd, x, 4, y, ldy); break;            \
        }                                                                                          \
        return 1;

/// Q4_0, Q4_1 and Q8_0 for numTokens 1 to 4; returns 0 (doing nothing) for anything else.
SW_AVX512 int sw_matvec_legacy_avx512(int type, const void *wp, int64_t rowBytes, int64_t cols,
                                      int64_t rowStart, int64_t rowEnd, const float *x,
                                      int64_t numTokens, float *y, int64_t ldy) {
    const uint8_t *w = (const uint8_t *)wp;
    if (numTokens < 1 || numTokens > 4) return 0;
    switch (type) {
    MVL_CASE(SW_Q4_0)
    MVL_CASE(SW_Q4_1)
    MVL_CASE(SW_Q8_0)
    default: return 0;
    }
}
#endif
