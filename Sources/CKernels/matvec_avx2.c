// Fused dequantize-dot for one token (decode) with AVX2: weights never leave registers. Every
// type dequantizes to the tiled path's values (dq16_256, dequant_avx2.h) and multiplies in the
// tile kernel's order, so a token's outputs are bit-identical alone or in a batch. The K types
// use the shared body (matvec_body.h, as AVX-512's Q5 types do); the legacy types have their
// own kernel here, a whole block per step.
#include "dequant_avx2.h"
#include "sw_simd.h"

#if SW_X86
#define SW_W 8
#include "matvec_body.h"
#undef SW_W

/// One legacy block (Q4_0..Q8_0) dequantized, elements 8i..8i+7 in v[i]: the values of
/// dq16_256 (same formulas and order), with the scales converted once per block.
SW_AVX2 SW_INLINE void dq32_legacy_256(const int type, const uint8_t *b, __m256 *v) {
    __m256 d = _mm256_set1_ps(h2f2(b));
    if (type == SW_Q8_0) {
        for (int i = 0; i < 4; i++)
            v[i] = _mm256_mul_ps(d, _mm256_cvtepi32_ps(_mm256_cvtepi8_epi32(_mm_loadl_epi64((const __m128i *)(b + 2 + 8 * i)))));
        return;
    }
    const __m128i low4 = _mm_set1_epi8(0x0F);
    const int hasMin = type == SW_Q4_1 || type == SW_Q5_1, five = type == SW_Q5_0 || type == SW_Q5_1;
    __m128i bytes = ld16b(b + 2 + 2 * hasMin + 4 * five);
    __m256i q[4];
    u8to32(_mm_and_si128(bytes, low4), &q[0], &q[1]);
    u8to32(_mm_and_si128(_mm_srli_epi16(bytes, 4), low4), &q[2], &q[3]);
    if (five) {
        uint32_t qh = sw_u32(b + 2 + 2 * hasMin);
        __m256i h[4];
        bits16(qh, &h[0], &h[1]);
        bits16(qh >> 16, &h[2], &h[3]);
        for (int i = 0; i < 4; i++) q[i] = _mm256_or_si256(q[i], h[i]);
    }
    if (hasMin) {
        __m256 m = _mm256_set1_ps(h2f2(b + 2));
        for (int i = 0; i < 4; i++) v[i] = _mm256_add_ps(_mm256_mul_ps(d, _mm256_cvtepi32_ps(q[i])), m);
    } else {
        __m256i offset = _mm256_set1_epi32(five ? 16 : 8);
        for (int i = 0; i < 4; i++) v[i] = _mm256_mul_ps(d, _mm256_cvtepi32_ps(_mm256_sub_epi32(q[i], offset)));
    }
}

/// Legacy types, nr (up to 8) rows of one token, a whole block per step (8 independent
/// accumulator chains hide the FMA latency).
SW_AVX2 SW_INLINE void mv256_legacy(const int type, const int blockBytes, const uint8_t *w,
                                    int64_t rowBytes, const int nr, int64_t cols, const float *x, float *y) {
    __m256 acc[8];
    for (int r = 0; r < nr; r++) acc[r] = _mm256_setzero_ps();
    for (int64_t e = 0; e < cols; e += 32) {
        for (int r = 0; r < nr; r++) {
            __m256 v[4];
            dq32_legacy_256(type, w + r * rowBytes + (e / 32) * blockBytes, v);
            for (int i = 0; i < 4; i++) acc[r] = _mm256_fmadd_ps(v[i], _mm256_loadu_ps(x + e + 8 * i), acc[r]);
        }
    }
    for (int r = 0; r < nr; r++) y[r] = sw8_hsum(acc[r]);
}

/// F16 rows, 1-16 tokens (decode, speculative verification, small batches): nr rows x nt tokens
/// in one pass over the columns, each row widened 8 halves at a time (vcvtph2ps, exact) once for
/// all tokens, each (row, token) pair one FMA chain in column order with the zero-padded tail and
/// sw8_hsum: the tile kernel's values and order (tile_body.h), so the same bits in any batch.
/// nr x nt is 4-12 chains (mm256_f16_rows), enough to hide the FMA latency. Each new cache line of
/// a row requests the same line of the next step's rows, which took one-token decode on the F16
/// file from 62-72 to 76-78 tok/s (AMD EPYC, 2 threads).
SW_AVX2 SW_INLINE void mm256_f16(const uint16_t *w, int64_t ldw, const int nr, int64_t cols, const float *x,
                                 const int nt, float *y, int64_t ldy) {
    __m256 acc[4][6];
    for (int r = 0; r < nr; r++)
        for (int t = 0; t < nt; t++) acc[r][t] = _mm256_setzero_ps();
    int64_t k = 0;
    for (; k + 8 <= cols; k += 8) {
        if (k % 32 == 0)  // a new cache line of each row: request the next step's rows' line
            for (int r = 0; r < nr; r++) _mm_prefetch((const char *)(w + (r + nr) * ldw + k), _MM_HINT_T0);
        __m256 wv[4];
        for (int r = 0; r < nr; r++) wv[r] = sw8_load_f16(w + r * ldw + k);
        for (int t = 0; t < nt; t++) {
            __m256 xv = _mm256_loadu_ps(x + t * cols + k);
            for (int r = 0; r < nr; r++) acc[r][t] = _mm256_fmadd_ps(wv[r], xv, acc[r][t]);
        }
    }
    if (k < cols) {
        __m256 wv[4];
        for (int r = 0; r < nr; r++) {
            uint16_t tail[8] = {0};
            memcpy(tail, w + r * ldw + k, (size_t)(cols - k) * 2);
            wv[r] = sw8_load_f16(tail);
        }
        for (int t = 0; t < nt; t++) {
            __m256 xv = sw8_load_tail(x + t * cols + k, sw8_first((int)(cols - k)));
            for (int r = 0; r < nr; r++) acc[r][t] = _mm256_fmadd_ps(wv[r], xv, acc[r][t]);
        }
    }
    for (int r = 0; r < nr; r++)
        for (int t = 0; t < nt; t++) y[t * ldy + r] = sw8_hsum(acc[r][t]);
}

/// mm256_f16 over rows rowStart..<rowEnd for numTokens (1-16) tokens. Up to 6 tokens in one
/// group: 4 rows for 1-2 tokens (8 rows were no faster for one), 3 for 3, 2 for 4-6 (registers: the chains, the rows' vectors and
/// one token's). More as groups of 4 over the same 2 rows (found in L1 after the first group),
/// the last group 3-6 tokens (one row of 8 chains measured slower: 31.7 against 27.5 ms a step).
SW_AVX2 static void mm256_f16_rows(const uint16_t *h, int64_t ldw, int64_t cols, int64_t rowStart, int64_t rowEnd,
                                   const float *x, int64_t numTokens, float *y, int64_t ldy) {
    const int total = (int)numTokens, rowsPerStep = total >= 4 ? 2 : total == 3 ? 3 : 4;
    for (int64_t r = rowStart; r < rowEnd; r += rowsPerStep) {
        const int nr = rowEnd - r < rowsPerStep ? (int)(rowEnd - r) : rowsPerStep;
        const uint16_t *w = h + r * ldw;
        for (int t = 0; t < total;) {
            const int left = total - t, nt = left <= 6 ? left : left <= 8 ? left - 4 : 4;
            const float *xt = x + (int64_t)t * cols;
            float *yt = y + (int64_t)t * ldy + r;
#define MM256_F16(NR, NT) case NT: mm256_f16(w, ldw, NR, cols, xt, NT, yt, ldy); break;
#define MM256_F16_NTS(NR) switch (nt) { MM256_F16(NR, 1) MM256_F16(NR, 2) MM256_F16(NR, 3) MM256_F16(NR, 4) MM256_F16(NR, 5) \
                                         default: mm256_f16(w, ldw, NR, cols, xt, 6, yt, ldy); }
            if (nr == 4) { MM256_F16_NTS(4) }
            else if (nr == 3) { MM256_F16_NTS(3) }
            else if (nr == 2) { MM256_F16_NTS(2) }
            else { MM256_F16_NTS(1) }
#undef MM256_F16_NTS
#undef MM256_F16
            t += nt;
        }
    }
}

/// Rows per step: 8 for the types without a minimum (shorter dequantization, latency-bound),
/// 4 for Q4_1 / Q5_1 (measured faster).
#define MV256_L_CASE(T, BYTES, ROWS)                                                               \
    case T:                                                                                        \
        for (; r + ROWS <= rowEnd; r += ROWS) mv256_legacy(T, BYTES, w + r * rowBytes, rowBytes, ROWS, cols, x, y + r); \
        for (; r < rowEnd; r++) mv256_legacy(T, BYTES, w + r * rowBytes, rowBytes, 1, cols, x, y + r);          \
        return 1;

/// The K types: matvec_body.h, 4 rows per step.
#define MV256_CASE(T)                                                                              \
    case T: mv_rows_avx2(T, w, rowBytes, cols, r, rowEnd, x, 1, y, ldy); return 1;

/// Fused decode matmul for one token and the quantized types dq16_256 handles, and for F16 up
/// to 16 tokens; returns 0 (doing nothing) otherwise.
SW_AVX2 int sw_matvec_avx2(int type, const void *wp, int64_t rowBytes, int64_t cols,
                           int64_t rowStart, int64_t rowEnd, const float *x, int64_t numTokens,
                           float *y, int64_t ldy) {
    const uint8_t *w = (const uint8_t *)wp;
    int64_t r = rowStart;
    if (type == SW_F16 && numTokens >= 1 && numTokens <= 16) {
        mm256_f16_rows((const uint16_t *)wp, rowBytes / 2, cols, rowStart, rowEnd, x, numTokens, y, ldy);
        return 1;
    }
    if (numTokens != 1) return 0;
    switch (type) {
    MV256_L_CASE(SW_Q4_0, 18, 8)
    MV256_L_CASE(SW_Q4_1, 20, 4)
    MV256_L_CASE(SW_Q5_0, 22, 8)
    MV256_L_CASE(SW_Q5_1, 24, 4)
    MV256_L_CASE(SW_Q8_0, 34, 8)
    MV256_CASE(SW_Q4_K)
    MV256_CASE(SW_Q5_K)
    MV256_CASE(SW_Q6_K)
    MV256_CASE(SW_F8_E4M3_B32)
    MV256_CASE(SW_I8_B32)
    MV256_CASE(SW_U4_B32)
    default: return 0;
    }
}
#endif
