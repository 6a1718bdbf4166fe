// AVX2 and AVX-512 F32 tile kernels for sw_matmul_rows: y[t, r] = dot(w row r, x row t) for
// all rows of the tile and all tokens. Register blocking: MR weight rows x NT tokens of
// accumulators. Every (r, t) pair gets its own accumulator vector, fed by fused multiply-adds
// in column order (a masked step for the column tail), then one fixed horizontal reduction;
// so each output's bits do not depend on which block shape computed it.
#include "sw_internal.h"

#if SW_X86
#define MR 4

// ---- AVX-512: 4 rows x up to 6 tokens (24 accumulators) ---------------------------------
// Weight rows are F32 (a dequantized tile), or F16 / BF16 read in place and widened as they
// are loaded (exact, so the same values as a dequantized tile). Long rows are done in column
// chunks (k0..<k1) so the rows and tokens of a chunk stay in L1; between chunks the
// accumulators are parked in `park` (exact, so the bits are unchanged).

/// 16 weights from element i of a row of type wt (SW_F32, SW_F16 or SW_BF16) as floats;
/// lanes outside mask m are zero.
SW_AVX512 SW_INLINE __m512 wload(const void *w, int64_t i, __mmask16 m, const int wt) {
    if (wt == SW_F16) return _mm512_cvtph_ps(_mm256_maskz_loadu_epi16(m, (const uint16_t *)w + i));
    if (wt == SW_BF16)
        return _mm512_castsi512_ps(_mm512_slli_epi32(
            _mm512_cvtepu16_epi32(_mm256_maskz_loadu_epi16(m, (const uint16_t *)w + i)), 16));
    return _mm512_maskz_loadu_ps(m, (const float *)w + i);
}

SW_AVX512 SW_INLINE void k512(const void *w, int64_t ldw, const float *x, int64_t cols,
                              int64_t k0, int64_t k1, __m512 *park, float *y, int64_t ldy,
                              sw_prefetch_cursor *pf, const int wt, const int nr, const int nt) {
    __m512 acc[MR][6];
    for (int r = 0; r < nr; r++)
        for (int t = 0; t < nt; t++) acc[r][t] = k0 == 0 ? _mm512_setzero_ps() : park[r * 6 + t];
    int64_t k = k0;
    const char *pfAt = pf->at, *pfEnd = pf->end;
    for (; k + 16 <= k1; k += 16) {
        if (pfAt < pfEnd) { _mm_prefetch(pfAt, _MM_HINT_T1); _mm_prefetch(pfAt + 64, _MM_HINT_T1); pfAt += 128; }
        __m512 wv[MR];
        for (int r = 0; r < nr; r++) wv[r] = wload(w, r * ldw + k, 0xFFFF, wt);
        for (int t = 0; t < nt; t++) {
            __m512 xv = _mm512_loadu_ps(x + t * cols + k);
            for (int r = 0; r < nr; r++) acc[r][t] = _mm512_fmadd_ps(wv[r], xv, acc[r][t]);
        }
    }
    pf->at = pfAt;
    if (k1 < cols) {
        for (int r = 0; r < nr; r++)
            for (int t = 0; t < nt; t++) park[r * 6 + t] = acc[r][t];
        return;
    }
    if (k < cols) {
        __mmask16 m = (__mmask16)((1u << (cols - k)) - 1);
        __m512 wv[MR];
        for (int r = 0; r < nr; r++) wv[r] = wload(w, r * ldw + k, m, wt);
        for (int t = 0; t < nt; t++) {
            __m512 xv = _mm512_maskz_loadu_ps(m, x + t * cols + k);
            for (int r = 0; r < nr; r++) acc[r][t] = _mm512_fmadd_ps(wv[r], xv, acc[r][t]);
        }
    }
    for (int r = 0; r < nr; r++)
        for (int t = 0; t < nt; t++) y[t * ldy + r] = _mm512_reduce_add_ps(acc[r][t]);
}

#define K512_NT(WT, NR)                                                                          \
    switch (nt) {                                                                                \
    case 1: k512(w, ldw, x, cols, k0, k1, park, y, ldy, pf, WT, NR, 1); break;                  \
    case 2: k512(w, ldw, x, cols, k0, k1, park, y, ldy, pf, WT, NR, 2); break;                  \
    case 3: k512(w, ldw, x, cols, k0, k1, park, y, ldy, pf, WT, NR, 3); break;                  \
    case 4: k512(w, ldw, x, cols, k0, k1, park, y, ldy, pf, WT, NR, 4); break;                  \
    case 5: k512(w, ldw, x, cols, k0, k1, park, y, ldy, pf, WT, NR, 5); break;                  \
    default: k512(w, ldw, x, cols, k0, k1, park, y, ldy, pf, WT, NR, 6); break;                 \
    }

/// One register block (nr <= 4 rows from w, nt <= 6 tokens) for each weight element type.
#define BLOCK512(NAME, WT)                                                                       \
    SW_AVX512 static void NAME(const void *w, int64_t ldw, const float *x, int64_t cols,         \
                               int64_t k0, int64_t k1, __m512 *park, float *y, int64_t ldy,      \
                               sw_prefetch_cursor *pf, int nr, int nt) {                         \
        switch (nr) {                                                                            \
        case 1: K512_NT(WT, 1); break;                                                           \
        case 2: K512_NT(WT, 2); break;                                                           \
        case 3: K512_NT(WT, 3); break;                                                           \
        default: K512_NT(WT, 4); break;                                                          \
        }                                                                                        \
    }
BLOCK512(block512_f32, SW_F32)
BLOCK512(block512_f16, SW_F16)
BLOCK512(block512_bf16, SW_BF16)

/// Columns per chunk for rows longer than SW_KCHUNK_MIN (sw_internal.h; multiples of 16).
#define SW_KCHUNK 512

SW_AVX512 void sw_tile_avx512(int wt, const void *w, int64_t ldw, int nr, int64_t cols, const float *x,
                              int64_t numTokens, float *y, int64_t ldy, float *parkFloats,
                              sw_prefetch_cursor *pf) {
    __m512 *park = (__m512 *)parkFloats;  // 64-byte aligned; [token group][row group][24]
    if (cols <= 0) {
        for (int64_t t = 0; t < numTokens; t++)
            for (int r = 0; r < nr; r++) y[t * ldy + r] = 0;
        return;
    }
    void (*block)(const void *, int64_t, const float *, int64_t, int64_t, int64_t, __m512 *, float *,
                  int64_t, sw_prefetch_cursor *, int, int) =
        wt == SW_F16 ? block512_f16 : wt == SW_BF16 ? block512_bf16 : block512_f32;
    int64_t elementBytes = wt == SW_F16 || wt == SW_BF16 ? 2 : 4;
    int64_t full = cols / 16 * 16, chunk = cols > SW_KCHUNK_MIN ? SW_KCHUNK : (full > 0 ? full : 16);
    for (int64_t k0 = 0; k0 < cols; k0 += chunk) {
        int64_t k1 = k0 + chunk >= full ? cols : k0 + chunk;  // the last chunk takes the tail
        for (int64_t t = 0; t < numTokens; t += 6) {
            int nt = (int)(numTokens - t < 6 ? numTokens - t : 6);
            for (int r = 0; r < nr; r += MR)
                block((const char *)w + r * ldw * elementBytes, ldw, x + t * cols, cols, k0, k1,
                      park + ((t / 6) * 4 + r / MR) * 24, y + t * ldy + r, ldy, pf, nr - r < MR ? nr - r : MR, nt);
        }
        if (k1 == cols) break;
    }
}

// ---- AVX2: 4 rows x up to 2 tokens (8 accumulators) -------------------------------------
SW_AVX2 SW_INLINE float hsum256(__m256 v) {
    __m128 s = _mm_add_ps(_mm256_castps256_ps128(v), _mm256_extractf128_ps(v, 1));
    s = _mm_add_ps(s, _mm_movehl_ps(s, s));
    s = _mm_add_ss(s, _mm_movehdup_ps(s));
    return _mm_cvtss_f32(s);
}

SW_AVX2 SW_INLINE void k256(const float *w, int64_t ldw, const float *x, int64_t cols,
                            float *y, int64_t ldy, const int nr, const int nt) {
    __m256 acc[MR][2];
    for (int r = 0; r < nr; r++)
        for (int t = 0; t < nt; t++) acc[r][t] = _mm256_setzero_ps();
    int64_t k = 0;
    for (; k + 8 <= cols; k += 8) {
        __m256 wv[MR];
        for (int r = 0; r < nr; r++) wv[r] = _mm256_loadu_ps(w + r * ldw + k);
        for (int t = 0; t < nt; t++) {
            __m256 xv = _mm256_loadu_ps(x + t * cols + k);
            for (int r = 0; r < nr; r++) acc[r][t] = _mm256_fmadd_ps(wv[r], xv, acc[r][t]);
        }
    }
    if (k < cols) {
        int left = (int)(cols - k);
        __m256i m = _mm256_cmpgt_epi32(_mm256_set1_epi32(left), _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7));
        __m256 wv[MR];
        for (int r = 0; r < nr; r++) wv[r] = _mm256_maskload_ps(w + r * ldw + k, m);
        for (int t = 0; t < nt; t++) {
            __m256 xv = _mm256_maskload_ps(x + t * cols + k, m);
            for (int r = 0; r < nr; r++) acc[r][t] = _mm256_fmadd_ps(wv[r], xv, acc[r][t]);
        }
    }
    for (int r = 0; r < nr; r++)
        for (int t = 0; t < nt; t++) y[t * ldy + r] = hsum256(acc[r][t]);
}

SW_AVX2 static void block256(const float *w, int64_t ldw, const float *x, int64_t cols,
                             float *y, int64_t ldy, int nr, int nt) {
#define K256_NT(NR)                                                                              \
    if (nt == 1) k256(w, ldw, x, cols, y, ldy, NR, 1); else k256(w, ldw, x, cols, y, ldy, NR, 2);
    switch (nr) {
    case 1: K256_NT(1); break;
    case 2: K256_NT(2); break;
    case 3: K256_NT(3); break;
    default: K256_NT(4); break;
    }
#undef K256_NT
}

SW_AVX2 void sw_tile_avx2(const float *w, int64_t ldw, int nr, int64_t cols, const float *x,
                          int64_t numTokens, float *y, int64_t ldy) {
    for (int64_t t = 0; t < numTokens; t += 2) {
        int nt = numTokens - t < 2 ? (int)(numTokens - t) : 2;
        for (int r = 0; r < nr; r += MR)
            block256(w + r * ldw, ldw, x + t * cols, cols, y + t * ldy + r, ldy,
                     nr - r < MR ? nr - r : MR, nt);
    }
}
#endif
