// The fused dequantize-dot for decode at one vector width W = SW_W (sw_simd.h): nr weight rows
// x nt tokens, each row dequantized 2W elements at a time in registers by the width's
// dequantizer SW_DQ_<W> (dq16_256 or dq32_512: the tiled path's values) and multiplied in the
// tile kernel's order (one accumulator per output, fused multiply-adds over columns in order,
// then the width's horizontal sum), so a token's outputs are bit-identical alone or in a batch
// of any size. Included by matvec_avx2.c (W = 8) and matvec_avx512.c (W = 16).
//
// MV_ROWS1, rows per step with one token, is each width's as before the body was shared: 8 on
// AVX-512 (enough independent accumulator chains to hide the FMA latency), 4 on AVX2. Two
// tokens (AVX-512 only) take 4 rows.

#if SW_W == 16
#define MV_ROWS1 8
#else
#define MV_ROWS1 4
#endif

SW_TARGET SW_INLINE void SWX(mv)(const int type, const uint8_t *w, int64_t rowBytes, const int nr, int64_t cols,
                                 const float *x, const int nt, float *y, int64_t ldy) {
    SWF acc[8][2];
    for (int r = 0; r < nr; r++)
        for (int t = 0; t < nt; t++) acc[r][t] = SWV(zero)();
    for (int64_t e = 0; e < cols; e += 2 * SW_W) {
        SWF v[8][2];
        for (int r = 0; r < nr; r++) SW_CAT(SW_DQ_, SW_W)(type, w + r * rowBytes, e, v[r]);
        for (int t = 0; t < nt; t++) {
            SWF x0 = SWV(load)(x + t * cols + e), x1 = SWV(load)(x + t * cols + e + SW_W);
            for (int r = 0; r < nr; r++) {
                acc[r][t] = SWV(fmadd)(v[r][0], x0, acc[r][t]);
                acc[r][t] = SWV(fmadd)(v[r][1], x1, acc[r][t]);
            }
        }
    }
    for (int r = 0; r < nr; r++)
        for (int t = 0; t < nt; t++) y[t * ldy + r] = SWV(hsum)(acc[r][t]);
}

/// Rows rowStart..<rowEnd for nt (1 or 2) tokens.
SW_TARGET SW_INLINE void SWX(mv_rows)(const int type, const uint8_t *w, int64_t rowBytes, int64_t cols,
                                      int64_t rowStart, int64_t rowEnd, const float *x, const int nt,
                                      float *y, int64_t ldy) {
    int64_t r = rowStart;
    if (MV_ROWS1 > 4 && nt == 1)
        for (; r + MV_ROWS1 <= rowEnd; r += MV_ROWS1)
            SWX(mv)(type, w + r * rowBytes, rowBytes, MV_ROWS1, cols, x, 1, y + r, ldy);
    for (; r + 4 <= rowEnd; r += 4) SWX(mv)(type, w + r * rowBytes, rowBytes, 4, cols, x, nt, y + r, ldy);
    for (; r < rowEnd; r++) SWX(mv)(type, w + r * rowBytes, rowBytes, 1, cols, x, nt, y + r, ldy);
}

#undef MV_ROWS1
