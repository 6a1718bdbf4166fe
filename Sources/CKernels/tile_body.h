// The F32 tile kernel of sw_matmul_rows at one vector width W = SW_W (sw_simd.h): y[t, r] =
// dot(w row r, x row t) for all rows of the tile and all tokens, with register blocks of MR
// weight rows x up to TILE_NT tokens. Every (r, t) pair gets its own accumulator vector, fed by
// fused multiply-adds in column order (a masked step for the column tail), then the width's one
// fixed horizontal sum; so each output's bits do not depend on which block shape computed it.
// Included by matmul_simd.c once per width; defines sw_tile_avx2 (W = 8) or sw_tile_avx512
// (W = 16).
//
// What differs between the widths is chosen here, each as it was before the body was shared:
// TILE_NT, tokens per block (AVX-512: 6, 24 accumulators of its 32 registers; AVX2: 2, 8 of
// 16), and TILE_WIDE, which only AVX-512 has: F16 / BF16 rows read in place and widened as
// they are loaded (exact, so the same values as a dequantized tile; AVX2 has no masked 16-bit
// load), rows longer than SW_KCHUNK_MIN done in column chunks k0..<k1 so the rows and tokens of
// a chunk stay in L1 (between chunks the accumulators are parked in `park`, exactly), and the
// next tile's rows prefetched a few cache lines per step.

#define MR 4
#if SW_W == 16
#define TILE_NT 6
#define TILE_WIDE 1
#else
#define TILE_NT 2
#define TILE_WIDE 0
#endif

/// W weights from element i of a row of type wt (SW_F32, or SW_F16 / SW_BF16 with TILE_WIDE)
/// for the column tail: lanes outside m are zero (and not read).
SW_TARGET SW_INLINE SWF SWX(tile_load_tail)(const void *w, int64_t i, SWM m, const int wt) {
#if TILE_WIDE
    if (wt == SW_F16) return SWV(load_f16_tail)((const uint16_t *)w + i, m);
    if (wt == SW_BF16) return SWV(load_bf16_tail)((const uint16_t *)w + i, m);
#endif
    (void)wt;
    return SWV(load_tail)((const float *)w + i, m);
}

SW_TARGET SW_INLINE void SWX(tile_kernel)(const void *w, int64_t ldw, const float *x, int64_t cols,
                                          int64_t k0, int64_t k1, SWF *park, float *y, int64_t ldy,
                                          sw_prefetch_cursor *pf, const int wt, const int nr, const int nt) {
    SWF acc[MR][TILE_NT];
    for (int r = 0; r < nr; r++)
        for (int t = 0; t < nt; t++) acc[r][t] = TILE_WIDE && k0 != 0 ? park[r * TILE_NT + t] : SWV(zero)();
    if (!TILE_WIDE) k0 = 0, k1 = cols;  // one chunk: the loop's bounds are plain for the compiler
    int64_t k = k0;
    const char *pfAt = pf->at, *pfEnd = pf->end;
    for (; k + SW_W <= k1; k += SW_W) {
        if (TILE_WIDE && pfAt < pfEnd) { _mm_prefetch(pfAt, _MM_HINT_T1); _mm_prefetch(pfAt + 64, _MM_HINT_T1); pfAt += 128; }
        SWF wv[MR];
        for (int r = 0; r < nr; r++) wv[r] = SWV(load_as)(w, r * ldw + k, wt);
        for (int t = 0; t < nt; t++) {
            SWF xv = SWV(load)(x + t * cols + k);
            for (int r = 0; r < nr; r++) acc[r][t] = SWV(fmadd)(wv[r], xv, acc[r][t]);
        }
    }
    if (TILE_WIDE) pf->at = pfAt;
    if (TILE_WIDE && k1 < cols) {
        for (int r = 0; r < nr; r++)
            for (int t = 0; t < nt; t++) park[r * TILE_NT + t] = acc[r][t];
        return;
    }
    if (k < cols) {
        SWM m = SWV(first)((int)(cols - k));
        SWF wv[MR];
        for (int r = 0; r < nr; r++) wv[r] = SWX(tile_load_tail)(w, r * ldw + k, m, wt);
        for (int t = 0; t < nt; t++) {
            SWF xv = SWV(load_tail)(x + t * cols + k, m);
            for (int r = 0; r < nr; r++) acc[r][t] = SWV(fmadd)(wv[r], xv, acc[r][t]);
        }
    }
    for (int r = 0; r < nr; r++)
        for (int t = 0; t < nt; t++) y[t * ldy + r] = SWV(hsum)(acc[r][t]);
}

#define TILE_K(WT, NR, NT) SWX(tile_kernel)(w, ldw, x, cols, k0, k1, park, y, ldy, pf, WT, NR, NT)
#define TILE_NTS(WT, NR)                                                                         \
    if (nt == 1) TILE_K(WT, NR, 1);                                                              \
    else if (TILE_NT > 2 && nt == 2) TILE_K(WT, NR, 2);                                          \
    else if (TILE_NT > 3 && nt == 3) TILE_K(WT, NR, 3);                                          \
    else if (TILE_NT > 4 && nt == 4) TILE_K(WT, NR, 4);                                          \
    else if (TILE_NT > 5 && nt == 5) TILE_K(WT, NR, 5);                                          \
    else TILE_K(WT, NR, TILE_NT);

/// One register block (nr <= MR rows from w, nt <= TILE_NT tokens) for each weight element type.
#define TILE_BLOCK(NAME, WT)                                                                     \
    SW_TARGET static void NAME(const void *w, int64_t ldw, const float *x, int64_t cols,         \
                               int64_t k0, int64_t k1, SWF *park, float *y, int64_t ldy,         \
                               sw_prefetch_cursor *pf, int nr, int nt) {                         \
        switch (nr) {                                                                            \
        case 1: TILE_NTS(WT, 1) break;                                                           \
        case 2: TILE_NTS(WT, 2) break;                                                           \
        case 3: TILE_NTS(WT, 3) break;                                                           \
        default: TILE_NTS(WT, 4) break;                                                          \
        }                                                                                        \
    }
TILE_BLOCK(SWX(tile_block_f32), SW_F32)
#if TILE_WIDE
TILE_BLOCK(SWX(tile_block_f16), SW_F16)
TILE_BLOCK(SWX(tile_block_bf16), SW_BF16)
#endif

/// Columns per chunk for rows longer than SW_KCHUNK_MIN (sw_internal.h; multiples of 16).
#define SW_KCHUNK 512

/// The tile: nr rows of type wt (SW_F32 unless TILE_WIDE) from w, ldw elements apart, against
/// numTokens rows of x. parkFloats: 64-byte aligned, [token group][row group][MR x TILE_NT]
/// vectors (used with TILE_WIDE only).
SW_TARGET void SWX(sw_tile)(int wt, const void *w, int64_t ldw, int nr, int64_t cols, const float *x,
                            int64_t numTokens, float *y, int64_t ldy, float *parkFloats, sw_prefetch_cursor *pf) {
    SWF *park = (SWF *)parkFloats;
    if (cols <= 0) {
        for (int64_t t = 0; t < numTokens; t++)
            for (int r = 0; r < nr; r++) y[t * ldy + r] = 0;
        return;
    }
    void (*block)(const void *, int64_t, const float *, int64_t, int64_t, int64_t, SWF *, float *,
                  int64_t, sw_prefetch_cursor *, int, int) =
#if TILE_WIDE
        wt == SW_F16 ? SWX(tile_block_f16) : wt == SW_BF16 ? SWX(tile_block_bf16) :
#endif
        SWX(tile_block_f32);
    int64_t elementBytes = TILE_WIDE && (wt == SW_F16 || wt == SW_BF16) ? 2 : 4;
    int64_t full = cols / SW_W * SW_W;
    int64_t chunk = TILE_WIDE && cols > SW_KCHUNK_MIN ? SW_KCHUNK : (full > 0 ? full : SW_W);
    for (int64_t k0 = 0; k0 < cols; k0 += chunk) {
        int64_t k1 = k0 + chunk >= full ? cols : k0 + chunk;  // the last chunk takes the tail
        for (int64_t t = 0; t < numTokens; t += TILE_NT) {
            int nt = (int)(numTokens - t < TILE_NT ? numTokens - t : TILE_NT);
            for (int r = 0; r < nr; r += MR)
                block((const char *)w + r * ldw * elementBytes, ldw, x + t * cols, cols, k0, k1,
                      park + ((t / TILE_NT) * 4 + r / MR) * (MR * TILE_NT), y + t * ldy + r, ldy, pf,
                      nr - r < MR ? nr - r : MR, nt);
        }
        if (k1 == cols) break;
    }
}

#undef SW_KCHUNK
#undef TILE_BLOCK
#undef TILE_NTS
#undef TILE_K
#undef TILE_WIDE
#undef TILE_NT
#undef MR
