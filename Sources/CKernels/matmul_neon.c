// NEON (AArch64) twins of the tile path of sw_matmul_rows (matmul.c): the F32 tile kernel and the
// F16 / BF16 row widening before it. Each output is sw_dot_scalar's dot product (8 interleaved
// partial sums as two vectors, the same tail and pairwise total) over a register block of 4 rows
// and 2 tokens, so every weight and activation vector is loaded once per block; the widenings are
// exact. Same bits as scalar (checked under qemu-aarch64 by scripts/check-neon).
#include "kv_elements.h"
#include "sw_neon.h"

#if defined(__aarch64__)
/// y[t, r] for R rows (<= 4) and T tokens (<= 2): w rows ldw floats apart, x rows cols apart.
SW_INLINE void neon_dots(const float *w, int64_t ldw, const int R, int64_t cols, const float *x,
                         const int T, float *y, int64_t ldy) {
    float32x4_t lo[4][2], hi[4][2];  // partial sums 0..3 and 4..7 of each (row, token)
    for (int r = 0; r < R; r++)
        for (int t = 0; t < T; t++) lo[r][t] = hi[r][t] = vdupq_n_f32(0);
    int64_t i = 0;
    for (; i + 8 <= cols; i += 8) {
        float32x4_t xl[2], xh[2];
        for (int t = 0; t < T; t++) {
            xl[t] = vld1q_f32(x + t * cols + i);
            xh[t] = vld1q_f32(x + t * cols + i + 4);
        }
        for (int r = 0; r < R; r++) {
            float32x4_t wl = vld1q_f32(w + r * ldw + i), wh = vld1q_f32(w + r * ldw + i + 4);
            for (int t = 0; t < T; t++) {
                lo[r][t] = neon_madd(lo[r][t], wl, xl[t]);
                hi[r][t] = neon_madd(hi[r][t], wh, xh[t]);
            }
        }
    }
    for (int r = 0; r < R; r++)
        for (int t = 0; t < T; t++) {
            float s[8];
            vst1q_f32(s, lo[r][t]);
            vst1q_f32(s + 4, hi[r][t]);
            for (int64_t j = i; j < cols; j++) s[j - i] += w[r * ldw + j] * x[t * cols + j];
            y[t * ldy + r] = ((s[0] + s[4]) + (s[1] + s[5])) + ((s[2] + s[6]) + (s[3] + s[7]));
        }
}

/// The dot block with constant sizes, so each call unrolls.
#define NEON_DOTS(R, T) neon_dots(w + r * ldw, ldw, R, cols, x + t * cols, T, y + t * ldy + r, ldy)

void sw_tile_neon(const float *w, int64_t ldw, int nr, int64_t cols, const float *x,
                  int64_t numTokens, float *y, int64_t ldy) {
    int64_t t = 0;
    for (; t + 2 <= numTokens; t += 2) {
        int r = 0;
        for (; r + 4 <= nr; r += 4) NEON_DOTS(4, 2);
        for (; r < nr; r++) NEON_DOTS(1, 2);
    }
    for (; t < numTokens; t++) {
        int r = 0;
        for (; r + 4 <= nr; r += 4) NEON_DOTS(4, 1);
        for (; r < nr; r++) NEON_DOTS(1, 1);
    }
}

/// F16 and BF16 rows widened 8 at a time (exact); every other type takes the scalar dequantizer,
/// whose block bodies the compiler vectorizes for NEON.
void sw_dequantize_neon(int type, const void *src, int64_t count, float *dst) {
    if (type != SW_F16 && type != SW_BF16) { sw_dequantize_scalar(type, src, count, dst); return; }
    int64_t i = 0;  // the element kinds are the KV cache's (SW_KV_F16 == SW_F16, sw_simd.h)
    for (; i + 8 <= count; i += 8) {
        vst1q_f32(dst + i, neon_load_as(src, i, type));
        vst1q_f32(dst + i + 4, neon_load_as(src, i + 4, type));
    }
    for (; i < count; i++) dst[i] = sw_kv_load(src, i, type);
}
#endif
