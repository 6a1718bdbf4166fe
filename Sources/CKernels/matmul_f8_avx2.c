// FP8 E4M3 weights x F32 activations with AVX2 (layout and arithmetic in f8_packed.h): rows
// 0..7 and 8..15 of a group are the lanes of two vectors, so no horizontal sums are needed.
// One token widens each column pair in registers; a batch widens the group once into scratch
// and reads it for every token, three at a time. Both keep the scalar kernel's chains.
#include "f8_packed.h"

#if SW_X86
/// Tokens per pass over a widened group: 12 accumulator chains (3 was measured fastest: 2 and 4
/// took 25% and 50% longer on AMD EPYC family 25).
#define F8_NT 3

/// The 32 codes of column pair j widened: w[0] column 2j rows 0..7, w[1] column 2j+1 rows 0..7,
/// w[2] column 2j rows 8..15, w[3] column 2j+1 rows 8..15.
SW_AVX2 SW_INLINE void f8_widen(const uint8_t *p, __m256 *w) {
    const __m256i v = _mm256_loadu_si256((const __m256i *)p), zero = _mm256_setzero_si256();
    const __m256i keep = _mm256_set1_epi16((short)0xBFFF);
    // each code the upper byte of a word; an arithmetic shift by one puts its magnitude bits in
    // the half's exponent and mantissa and copies the sign into bit 14, which the mask clears
    __m256i lo = _mm256_and_si256(_mm256_srai_epi16(_mm256_unpacklo_epi8(zero, v), 1), keep);
    __m256i hi = _mm256_and_si256(_mm256_srai_epi16(_mm256_unpackhi_epi8(zero, v), 1), keep);
    w[0] = _mm256_cvtph_ps(_mm256_castsi256_si128(lo));
    w[1] = _mm256_cvtph_ps(_mm256_extracti128_si256(lo, 1));
    w[2] = _mm256_cvtph_ps(_mm256_castsi256_si128(hi));
    w[3] = _mm256_cvtph_ps(_mm256_extracti128_si256(hi, 1));
}

/// One group, one token, widened in registers; out[0..<16].
SW_AVX2 static void f8_group_1(const uint8_t *group, int64_t cols, const float *x, float *out) {
    __m256 tlo = _mm256_setzero_ps(), thi = _mm256_setzero_ps();
    for (int64_t b = 0; b < cols / 32; b++) {
        const uint8_t *blk = group + b * SW_F8_GROUP_BLOCK;
        // 4 blocks ahead (a prefetch never faults past the end)
        for (int l = 0; l < SW_F8_GROUP_BLOCK; l += 64) _mm_prefetch((const char *)blk + 4 * SW_F8_GROUP_BLOCK + l, _MM_HINT_T0);
        const float *xb = x + 32 * b;
        __m256 elo = _mm256_setzero_ps(), olo = elo, ehi = elo, ohi = elo;
        for (int j = 0; j < 16; j++) {
            __m256 w[4];
            f8_widen(blk + 64 + 32 * j, w);
            __m256 xe = _mm256_broadcast_ss(xb + 2 * j), xo = _mm256_broadcast_ss(xb + 2 * j + 1);
            elo = _mm256_fmadd_ps(w[0], xe, elo);
            olo = _mm256_fmadd_ps(w[1], xo, olo);
            ehi = _mm256_fmadd_ps(w[2], xe, ehi);
            ohi = _mm256_fmadd_ps(w[3], xo, ohi);
        }
        tlo = _mm256_fmadd_ps(_mm256_add_ps(elo, olo), _mm256_loadu_ps((const float *)blk), tlo);
        thi = _mm256_fmadd_ps(_mm256_add_ps(ehi, ohi), _mm256_loadu_ps((const float *)blk + 8), thi);
    }
    _mm256_storeu_ps(out, tlo);
    _mm256_storeu_ps(out + 8, thi);
}

/// One group widened into w (16 * cols floats: per block, per column pair, f8_widen's 4 vectors).
SW_AVX2 static void f8_widen_group(const uint8_t *group, int64_t cols, float *w) {
    for (int64_t b = 0; b < cols / 32; b++)
        for (int j = 0; j < 16; j++) {
            __m256 v[4];
            f8_widen(group + b * SW_F8_GROUP_BLOCK + 64 + 32 * j, v);
            for (int i = 0; i < 4; i++) _mm256_storeu_ps(w + (b * 16 + j) * 32 + 8 * i, v[i]);
        }
}

/// One group from its widened copy, nt (1..F8_NT) tokens; out rows of ldo floats.
SW_AVX2 SW_INLINE void f8_group_widened(const uint8_t *group, const float *w, int64_t cols, const float *x,
                                        const int nt, float *out, int64_t ldo) {
    __m256 t[F8_NT][2];
    for (int k = 0; k < nt; k++) t[k][0] = t[k][1] = _mm256_setzero_ps();
    for (int64_t b = 0; b < cols / 32; b++) {
        __m256 c[F8_NT][4];
        for (int k = 0; k < nt; k++)
            for (int i = 0; i < 4; i++) c[k][i] = _mm256_setzero_ps();
        for (int j = 0; j < 16; j++) {
            const float *wj = w + (b * 16 + j) * 32;
            __m256 w0 = _mm256_loadu_ps(wj), w1 = _mm256_loadu_ps(wj + 8), w2 = _mm256_loadu_ps(wj + 16),
                   w3 = _mm256_loadu_ps(wj + 24);
            for (int k = 0; k < nt; k++) {
                const float *xk = x + k * cols + 32 * b + 2 * j;
                __m256 xe = _mm256_broadcast_ss(xk), xo = _mm256_broadcast_ss(xk + 1);
                c[k][0] = _mm256_fmadd_ps(w0, xe, c[k][0]);
                c[k][1] = _mm256_fmadd_ps(w1, xo, c[k][1]);
                c[k][2] = _mm256_fmadd_ps(w2, xe, c[k][2]);
                c[k][3] = _mm256_fmadd_ps(w3, xo, c[k][3]);
            }
        }
        const float *d = (const float *)(group + b * SW_F8_GROUP_BLOCK);
        for (int k = 0; k < nt; k++) {
            t[k][0] = _mm256_fmadd_ps(_mm256_add_ps(c[k][0], c[k][1]), _mm256_loadu_ps(d), t[k][0]);
            t[k][1] = _mm256_fmadd_ps(_mm256_add_ps(c[k][2], c[k][3]), _mm256_loadu_ps(d + 8), t[k][1]);
        }
    }
    for (int k = 0; k < nt; k++) {
        _mm256_storeu_ps(out + k * ldo, t[k][0]);
        _mm256_storeu_ps(out + k * ldo + 8, t[k][1]);
    }
}

SW_AVX2 void sw_f8_groups_avx2(const uint8_t *packed, int64_t cols, int64_t rowStart, int64_t rowEnd, const float *x,
                               int64_t numTokens, float *y, int64_t ldy, float *scratch) {
    const int64_t groupBytes = (cols / 32) * SW_F8_GROUP_BLOCK;
    for (int64_t r = rowStart; r < rowEnd; r += 16) {
        const int n = rowEnd - r < 16 ? (int)(rowEnd - r) : 16;
        const uint8_t *group = packed + (r / 16) * groupBytes;
        float out[F8_NT * 16];
        if (numTokens == 1) {
            f8_group_1(group, cols, x, out);
            memcpy(y + r, out, (size_t)n * 4);
            continue;
        }
        f8_widen_group(group, cols, scratch);
        for (int64_t t = 0; t < numTokens; t += F8_NT) {
            const int nt = numTokens - t < F8_NT ? (int)(numTokens - t) : F8_NT;
            switch (nt) {
#define F8_CASE(N) case N: f8_group_widened(group, scratch, cols, x + t * cols, N, out, 16); break;
            F8_CASE(1) F8_CASE(2) F8_CASE(3)
#undef F8_CASE
            }
            for (int k = 0; k < nt; k++) memcpy(y + (t + k) * ldy + r, out + 16 * k, (size_t)n * 4);
        }
    }
}
#endif
