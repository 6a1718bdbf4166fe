// AVX-512 dequantization: 32 elements at a time into two vectors, for the dequantize-row
// entry and for the fused decode matmul (sw_matvec_avx512). Formulas and their order match
// the scalar path (multiply, then add/subtract; no FMA), so values are bit-identical.
// Types without a hand-written version (Q2_K, Q3_K) use the compiler-vectorized blocks.
#include "dequant_blocks.h"

#if SW_X86

SW_AVX512 SW_INLINE float h2f(const uint8_t *p) { return _cvtsh_ss(sw_u16(p)); }
SW_AVX512 SW_INLINE __m128i ld16(const uint8_t *p) { return _mm_loadu_si128((const __m128i *)p); }

/// Elements e..e+31 of a row of `type` (e a multiple of 32) into v[0], v[1].
SW_AVX512 SW_INLINE void dq32_512(int type, const uint8_t *row, int64_t e, __m512 *v) {
    const __m128i low4 = _mm_set1_epi8(0x0F);
    switch (type) {
    case SW_Q4_0: case SW_Q4_1: {
        int legacy1 = type == SW_Q4_1;
        const uint8_t *b = row + (e / 32) * (legacy1 ? 20 : 18);
        // one widening shuffle; the nibbles are then split inside each 32-bit lane
        __m512i q = _mm512_cvtepu8_epi32(ld16(b + (legacy1 ? 4 : 2)));
        __m512i lo = _mm512_and_si512(q, _mm512_set1_epi32(15)), hi = _mm512_srli_epi32(q, 4);
        __m512 d = _mm512_set1_ps(h2f(b));
        if (legacy1) {
            __m512 m = _mm512_set1_ps(h2f(b + 2));
            v[0] = _mm512_add_ps(_mm512_mul_ps(d, _mm512_cvtepi32_ps(lo)), m);
            v[1] = _mm512_add_ps(_mm512_mul_ps(d, _mm512_cvtepi32_ps(hi)), m);
        } else {
            __m512i eight = _mm512_set1_epi32(8);
            v[0] = _mm512_mul_ps(d, _mm512_cvtepi32_ps(_mm512_sub_epi32(lo, eight)));
            v[1] = _mm512_mul_ps(d, _mm512_cvtepi32_ps(_mm512_sub_epi32(hi, eight)));
        }
        return;
    }
    case SW_Q5_0: case SW_Q5_1: {
        int legacy1 = type == SW_Q5_1;
        const uint8_t *b = row + (e / 32) * (legacy1 ? 24 : 22);
        uint32_t qh = sw_u32(b + (legacy1 ? 4 : 2));
        __m512i q = _mm512_cvtepu8_epi32(ld16(b + (legacy1 ? 8 : 6)));
        __m512i sixteen = _mm512_set1_epi32(16);
        __m512i lo = _mm512_and_si512(q, _mm512_set1_epi32(15)), hi = _mm512_srli_epi32(q, 4);
        lo = _mm512_mask_add_epi32(lo, (__mmask16)(qh & 0xFFFF), lo, sixteen);
        hi = _mm512_mask_add_epi32(hi, (__mmask16)(qh >> 16), hi, sixteen);
        __m512 d = _mm512_set1_ps(h2f(b));
        if (legacy1) {
            __m512 m = _mm512_set1_ps(h2f(b + 2));
            v[0] = _mm512_add_ps(_mm512_mul_ps(d, _mm512_cvtepi32_ps(lo)), m);
            v[1] = _mm512_add_ps(_mm512_mul_ps(d, _mm512_cvtepi32_ps(hi)), m);
        } else {
            v[0] = _mm512_mul_ps(d, _mm512_cvtepi32_ps(_mm512_sub_epi32(lo, sixteen)));
            v[1] = _mm512_mul_ps(d, _mm512_cvtepi32_ps(_mm512_sub_epi32(hi, sixteen)));
        }
        return;
    }
    case SW_Q8_0: {
        const uint8_t *b = row + (e / 32) * 34;
        __m512 d = _mm512_set1_ps(h2f(b));
        v[0] = _mm512_mul_ps(d, _mm512_cvtepi32_ps(_mm512_cvtepi8_epi32(ld16(b + 2))));
        v[1] = _mm512_mul_ps(d, _mm512_cvtepi32_ps(_mm512_cvtepi8_epi32(ld16(b + 18))));
        return;
    }
    case SW_Q4_K: case SW_Q5_K: {
        int five = type == SW_Q5_K;
        const uint8_t *b = row + (e / 256) * (five ? 176 : 144);
        int sub = (int)((e % 256) / 32);
        uint8_t sc, mn;
        sw_scale_min_k4(b + 4, sub, &sc, &mn);
        __m512 dl = _mm512_set1_ps(h2f(b) * (float)sc), ml = _mm512_set1_ps(h2f(b + 2) * (float)mn);
        const uint8_t *qs = b + (five ? 48 : 16) + (sub / 2) * 32;
        int shift = 4 * (sub % 2);
        for (int i = 0; i < 2; i++) {
            __m128i q = _mm_and_si128(_mm_srli_epi16(ld16(qs + 16 * i), shift), low4);
            __m512i qi = _mm512_cvtepu8_epi32(q);
            if (five) {
                __m512i h = _mm512_cvtepu8_epi32(ld16(b + 16 + 16 * i));
                h = _mm512_and_si512(_mm512_srli_epi32(h, (unsigned)sub), _mm512_set1_epi32(1));
                qi = _mm512_or_si512(qi, _mm512_slli_epi32(h, 4));
            }
            v[i] = _mm512_sub_ps(_mm512_mul_ps(dl, _mm512_cvtepi32_ps(qi)), ml);
        }
        return;
    }
    case SW_Q6_K: {
        const uint8_t *b = row + (e / 256) * 210;
        int within = (int)(e % 256), half = within / 128, slice = (within % 128) / 32;
        float d = h2f(b + 208);
        const uint8_t *ql = b + half * 64 + 32 * (slice % 2), *qh = b + 128 + half * 32;
        for (int i = 0; i < 2; i++) {
            __m512i low = _mm512_cvtepu8_epi32(ld16(ql + 16 * i));
            low = _mm512_and_si512(_mm512_srli_epi32(low, (unsigned)(4 * (slice / 2))), _mm512_set1_epi32(15));
            __m512i high = _mm512_cvtepu8_epi32(ld16(qh + 16 * i));
            high = _mm512_and_si512(_mm512_srli_epi32(high, (unsigned)(2 * slice)), _mm512_set1_epi32(3));
            __m512i q = _mm512_sub_epi32(_mm512_or_si512(low, _mm512_slli_epi32(high, 4)), _mm512_set1_epi32(32));
            float scale = d * (float)(int8_t)b[192 + (within + 16 * i) / 16];
            v[i] = _mm512_mul_ps(_mm512_set1_ps(scale), _mm512_cvtepi32_ps(q));
        }
        return;
    }
    case SW_F16:
        v[0] = _mm512_cvtph_ps(_mm256_loadu_si256((const __m256i *)(row + 2 * e)));
        v[1] = _mm512_cvtph_ps(_mm256_loadu_si256((const __m256i *)(row + 2 * e + 32)));
        return;
    case SW_BF16:
        for (int i = 0; i < 2; i++) {
            __m512i u = _mm512_cvtepu16_epi32(_mm256_loadu_si256((const __m256i *)(row + 2 * e + 32 * i)));
            v[i] = _mm512_castsi512_ps(_mm512_slli_epi32(u, 16));
        }
        return;
    default: // SW_F32
        v[0] = _mm512_loadu_ps((const float *)row + e);
        v[1] = _mm512_loadu_ps((const float *)row + e + 16);
        return;
    }
}

/// Whether dq32_512 handles `type`.
static int has_dq32_512(int type) { return type != SW_Q2_K && type != SW_Q3_K; }

SW_AVX512 void sw_dequantize_avx512(int type, const void *src, int64_t count, float *dst) {
    const uint8_t *s = (const uint8_t *)src;
    if (!has_dq32_512(type)) { dq_blocks(type, s, count, dst); return; }
    int64_t e = 0;
    for (; e + 32 <= count; e += 32) {
        __m512 v[2];
        dq32_512(type, s, e, v);
        _mm512_storeu_ps(dst + e, v[0]);
        _mm512_storeu_ps(dst + e + 16, v[1]);
    }
    // float types: a tail shorter than 32
    for (; e < count; e++)
        dst[e] = type == SW_F16 ? sw_half_at(s + 2 * e)
               : type == SW_BF16 ? sw_bf16(sw_u16(s + 2 * e)) : ((const float *)s)[e];
}

// ---- fused dequantize-dot for 1 or 2 tokens (decode) ---------------------------------------
// Same accumulation as the tile kernel (one vector accumulator per output, FMAs over columns
// in order, then _mm512_reduce_add_ps), so decode and batched results are bit-identical.
SW_AVX512 SW_INLINE void mv512(const int type, const uint8_t *w, int64_t rowBytes, const int nr,
                               int64_t cols, const float *x, const int nt, float *y, int64_t ldy) {
    __m512 acc[4][2];
    for (int r = 0; r < nr; r++)
        for (int t = 0; t < nt; t++) acc[r][t] = _mm512_setzero_ps();
    for (int64_t e = 0; e < cols; e += 32) {
        __m512 v[4][2];
        for (int r = 0; r < nr; r++) dq32_512(type, w + r * rowBytes, e, v[r]);
        for (int t = 0; t < nt; t++) {
            __m512 x0 = _mm512_loadu_ps(x + t * cols + e), x1 = _mm512_loadu_ps(x + t * cols + e + 16);
            for (int r = 0; r < nr; r++) {
                acc[r][t] = _mm512_fmadd_ps(v[r][0], x0, acc[r][t]);
                acc[r][t] = _mm512_fmadd_ps(v[r][1], x1, acc[r][t]);
            }
        }
    }
    for (int r = 0; r < nr; r++)
        for (int t = 0; t < nt; t++) y[t * ldy + r] = _mm512_reduce_add_ps(acc[r][t]);
}

SW_AVX512 SW_INLINE void mv512_rows(const int type, const uint8_t *w, int64_t rowBytes, int64_t cols,
                                    int64_t rowStart, int64_t rowEnd, const float *x, const int nt,
                                    float *y, int64_t ldy) {
    int64_t r = rowStart;
    for (; r + 4 <= rowEnd; r += 4) mv512(type, w + r * rowBytes, rowBytes, 4, cols, x, nt, y + r, ldy);
    for (; r < rowEnd; r++) mv512(type, w + r * rowBytes, rowBytes, 1, cols, x, nt, y + r, ldy);
}

#define MV512_CASE(T)                                                                              \
    case T:                                                                                        \
        if (numTokens == 1) mv512_rows(T, w, rowBytes, cols, rowStart, rowEnd, x, 1, y, ldy);      \
        else mv512_rows(T, w, rowBytes, cols, rowStart, rowEnd, x, 2, y, ldy);                     \
        return 1;

/// Fused decode matmul for numTokens <= 2 and the quantized types dq32_512 handles; returns
/// 0 (doing nothing) otherwise.
SW_AVX512 int sw_matvec_avx512(int type, const void *wp, int64_t rowBytes, int64_t cols,
                               int64_t rowStart, int64_t rowEnd, const float *x, int64_t numTokens,
                               float *y, int64_t ldy) {
    const uint8_t *w = (const uint8_t *)wp;
    if (numTokens < 1 || numTokens > 2) return 0;
    switch (type) {
    MV512_CASE(SW_Q4_0)
    MV512_CASE(SW_Q4_1)
    MV512_CASE(SW_Q5_0)
    MV512_CASE(SW_Q5_1)
    MV512_CASE(SW_Q8_0)
    MV512_CASE(SW_Q4_K)
    MV512_CASE(SW_Q5_K)
    MV512_CASE(SW_Q6_K)
    default: return 0;
    }
}
#endif
