// AVX2 dequantization: 16 elements at a time into two 8-lane vectors, for the dequantize-row
// entry and the fused decode matmul (sw_matvec_avx2). Same formulas and order as the scalar
// path (no FMA), so values are bit-identical. Q2_K and Q3_K use the compiler-vectorized blocks.
#include "dequant_blocks.h"

#if SW_X86
SW_AVX2 SW_INLINE float h2f2(const uint8_t *p) { return _cvtsh_ss(sw_u16(p)); }
SW_AVX2 SW_INLINE __m128i ld16b(const uint8_t *p) { return _mm_loadu_si128((const __m128i *)p); }
/// 16 unsigned bytes -> two vectors of 8 int32.
SW_AVX2 SW_INLINE void u8to32(__m128i q, __m256i *a, __m256i *b) {
    *a = _mm256_cvtepu8_epi32(q);
    *b = _mm256_cvtepu8_epi32(_mm_srli_si128(q, 8));
}
/// Bits 0..15 of `bits` as 16 int32 lanes holding 0 or 16.
SW_AVX2 SW_INLINE void bits16(uint32_t bits, __m256i *a, __m256i *b) {
    const __m256i lanes = _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7), one = _mm256_set1_epi32(1);
    *a = _mm256_slli_epi32(_mm256_and_si256(_mm256_srlv_epi32(_mm256_set1_epi32((int)bits), lanes), one), 4);
    *b = _mm256_slli_epi32(_mm256_and_si256(_mm256_srlv_epi32(_mm256_set1_epi32((int)(bits >> 8)), lanes), one), 4);
}

/// Elements e..e+15 of a row of `type` (e a multiple of 16) into v[0], v[1].
SW_AVX2 SW_INLINE void dq16_256(int type, const uint8_t *row, int64_t e, __m256 *v) {
    const __m128i low4 = _mm_set1_epi8(0x0F);
    int part = (int)((e % 32) / 16);
    __m256i a, b;
    switch (type) {
    case SW_Q4_0: case SW_Q4_1: case SW_Q5_0: case SW_Q5_1: {
        int hasMin = type == SW_Q4_1 || type == SW_Q5_1, five = type == SW_Q5_0 || type == SW_Q5_1;
        int size = type == SW_Q4_0 ? 18 : type == SW_Q4_1 ? 20 : type == SW_Q5_0 ? 22 : 24;
        const uint8_t *blk = row + (e / 32) * size;
        int qsOffset = 2 + 2 * hasMin + 4 * five;
        __m128i q = ld16b(blk + qsOffset);
        q = part ? _mm_and_si128(_mm_srli_epi16(q, 4), low4) : _mm_and_si128(q, low4);
        u8to32(q, &a, &b);
        if (five) {
            __m256i ha, hb;
            bits16(sw_u32(blk + 2 + 2 * hasMin) >> (16 * part), &ha, &hb);
            a = _mm256_or_si256(a, ha);
            b = _mm256_or_si256(b, hb);
        }
        __m256 d = _mm256_set1_ps(h2f2(blk));
        if (hasMin) {
            __m256 m = _mm256_set1_ps(h2f2(blk + 2));
            v[0] = _mm256_add_ps(_mm256_mul_ps(d, _mm256_cvtepi32_ps(a)), m);
            v[1] = _mm256_add_ps(_mm256_mul_ps(d, _mm256_cvtepi32_ps(b)), m);
        } else {
            __m256i off = _mm256_set1_epi32(five ? 16 : 8);
            v[0] = _mm256_mul_ps(d, _mm256_cvtepi32_ps(_mm256_sub_epi32(a, off)));
            v[1] = _mm256_mul_ps(d, _mm256_cvtepi32_ps(_mm256_sub_epi32(b, off)));
        }
        return;
    }
    case SW_Q8_0: {
        const uint8_t *blk = row + (e / 32) * 34;
        __m128i q = ld16b(blk + 2 + 16 * part);
        __m256 d = _mm256_set1_ps(h2f2(blk));
        v[0] = _mm256_mul_ps(d, _mm256_cvtepi32_ps(_mm256_cvtepi8_epi32(q)));
        v[1] = _mm256_mul_ps(d, _mm256_cvtepi32_ps(_mm256_cvtepi8_epi32(_mm_srli_si128(q, 8))));
        return;
    }
    case SW_Q4_K: case SW_Q5_K: {
        int five = type == SW_Q5_K;
        const uint8_t *blk = row + (e / 256) * (five ? 176 : 144);
        int sub = (int)((e % 256) / 32);
        uint8_t sc, mn;
        sw_scale_min_k4(blk + 4, sub, &sc, &mn);
        __m256 dl = _mm256_set1_ps(h2f2(blk) * (float)sc), ml = _mm256_set1_ps(h2f2(blk + 2) * (float)mn);
        __m128i q = ld16b(blk + (five ? 48 : 16) + (sub / 2) * 32 + 16 * part);
        q = _mm_and_si128(_mm_srli_epi16(q, 4 * (sub % 2)), low4);
        if (five) {
            __m128i h = _mm_and_si128(_mm_srli_epi16(ld16b(blk + 16 + 16 * part), sub), _mm_set1_epi8(1));
            q = _mm_or_si128(q, _mm_slli_epi16(h, 4));  // bytes stay < 32: no carry across bytes
        }
        u8to32(q, &a, &b);
        v[0] = _mm256_sub_ps(_mm256_mul_ps(dl, _mm256_cvtepi32_ps(a)), ml);
        v[1] = _mm256_sub_ps(_mm256_mul_ps(dl, _mm256_cvtepi32_ps(b)), ml);
        return;
    }
    case SW_Q6_K: {
        const uint8_t *blk = row + (e / 256) * 210;
        int within = (int)(e % 256), half = within / 128, slice = (within % 128) / 32, l0 = within % 32;
        __m128i lo = ld16b(blk + half * 64 + 32 * (slice % 2) + l0);
        lo = _mm_and_si128(_mm_srli_epi16(lo, 4 * (slice / 2)), low4);
        __m128i hi = _mm_and_si128(_mm_srli_epi16(ld16b(blk + 128 + half * 32 + l0), 2 * slice), _mm_set1_epi8(3));
        u8to32(_mm_or_si128(lo, _mm_slli_epi16(hi, 4)), &a, &b);
        __m256i off = _mm256_set1_epi32(32);
        __m256 scale = _mm256_set1_ps(h2f2(blk + 208) * (float)(int8_t)blk[192 + within / 16]);
        v[0] = _mm256_mul_ps(scale, _mm256_cvtepi32_ps(_mm256_sub_epi32(a, off)));
        v[1] = _mm256_mul_ps(scale, _mm256_cvtepi32_ps(_mm256_sub_epi32(b, off)));
        return;
    }
    case SW_F16:
        v[0] = _mm256_cvtph_ps(ld16b(row + 2 * e));
        v[1] = _mm256_cvtph_ps(ld16b(row + 2 * e + 16));
        return;
    case SW_BF16:
        for (int i = 0; i < 2; i++)
            v[i] = _mm256_castsi256_ps(_mm256_slli_epi32(_mm256_cvtepu16_epi32(ld16b(row + 2 * e + 16 * i)), 16));
        return;
    default:  // SW_F32
        v[0] = _mm256_loadu_ps((const float *)row + e);
        v[1] = _mm256_loadu_ps((const float *)row + e + 8);
        return;
    }
}

SW_AVX2 void sw_dequantize_avx2(int type, const void *src, int64_t count, float *dst) {
    const uint8_t *s = (const uint8_t *)src;
    if (type == SW_Q2_K || type == SW_Q3_K) { dq_blocks(type, s, count, dst); return; }
    int64_t e = 0;
    for (; e + 16 <= count; e += 16) {
        __m256 v[2];
        dq16_256(type, s, e, v);
        _mm256_storeu_ps(dst + e, v[0]);
        _mm256_storeu_ps(dst + e + 8, v[1]);
    }
    for (; e < count; e++)  // float types: a tail shorter than 16
        dst[e] = type == SW_F16 ? sw_half_at(s + 2 * e)
               : type == SW_BF16 ? sw_bf16(sw_u16(s + 2 * e)) : ((const float *)s)[e];
}

// ---- fused dequantize-dot for one token (decode) ----
// Every type: dequantize (dq16_256, the tiled path's values), then the tile kernel's order, so
// a token's outputs are bit-identical alone or in a batch.
SW_AVX2 SW_INLINE float hsum8(__m256 v) {
    __m128 s = _mm_add_ps(_mm256_castps256_ps128(v), _mm256_extractf128_ps(v, 1));
    s = _mm_add_ps(s, _mm_movehl_ps(s, s));
    s = _mm_add_ss(s, _mm_movehdup_ps(s));
    return _mm_cvtss_f32(s);
}

SW_AVX2 SW_INLINE void mv256(const int type, const uint8_t *w, int64_t rowBytes, const int nr,
                             int64_t cols, const float *x, float *y) {
    __m256 acc[4];
    for (int r = 0; r < nr; r++) acc[r] = _mm256_setzero_ps();
    for (int64_t e = 0; e < cols; e += 16) {
        __m256 v[4][2];
        for (int r = 0; r < nr; r++) dq16_256(type, w + r * rowBytes, e, v[r]);
        __m256 x0 = _mm256_loadu_ps(x + e), x1 = _mm256_loadu_ps(x + e + 8);
        for (int r = 0; r < nr; r++) {
            acc[r] = _mm256_fmadd_ps(v[r][0], x0, acc[r]);
            acc[r] = _mm256_fmadd_ps(v[r][1], x1, acc[r]);
        }
    }
    for (int r = 0; r < nr; r++) y[r] = hsum8(acc[r]);
}

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
    for (int r = 0; r < nr; r++) y[r] = hsum8(acc[r]);
}

/// Rows per step: 8 for the types without a minimum (shorter dequantization, latency-bound),
/// 4 for Q4_1 / Q5_1 (measured faster).
#define MV256_L_CASE(T, BYTES, ROWS)                                                               \
    case T:                                                                                        \
        for (; r + ROWS <= rowEnd; r += ROWS) mv256_legacy(T, BYTES, w + r * rowBytes, rowBytes, ROWS, cols, x, y + r); \
        for (; r < rowEnd; r++) mv256_legacy(T, BYTES, w + r * rowBytes, rowBytes, 1, cols, x, y + r);          \
        return 1;

#define MV256_CASE(T)                                                                              \
    case T:                                                                                        \
        for (; r + 4 <= rowEnd; r += 4) mv256(T, w + r * rowBytes, rowBytes, 4, cols, x, y + r);  \
        for (; r < rowEnd; r++) mv256(T, w + r * rowBytes, rowBytes, 1, cols, x, y + r);           \
        return 1;

/// Fused decode matmul for one token and the quantized types dq16_256 handles; returns 0
/// (doing nothing) otherwise.
SW_AVX2 int sw_matvec_avx2(int type, const void *wp, int64_t rowBytes, int64_t cols,
                           int64_t rowStart, int64_t rowEnd, const float *x, int64_t numTokens,
                           float *y, int64_t ldy) {
    (void)ldy;
    const uint8_t *w = (const uint8_t *)wp;
    int64_t r = rowStart;
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
    default: return 0;
    }
}
#endif
