// The NEON (AArch64) steps of attention.c's body, for head sizes that are a multiple of 16: the
// scalar steps' operations in their order, four lanes at a time where the scalar code keeps 16
// partial sums or 16 columns, so the body gives the same bits with either set of steps (checked
// under qemu-aarch64 by scripts/check-neon).
#ifndef SWIFTLET_ATTENTION_NEON_H
#define SWIFTLET_ATTENTION_NEON_H
#include "sw_math.h"
#include "sw_neon.h"

#if defined(__aarch64__)
/// q · (row of dtype elements at element `at` of b), n a multiple of 16: the 16 partial sums in
/// four vectors, then sw_sum16.
SW_INLINE float neon_attention_dot(const float *a, const void *b, int64_t at, int64_t n, const int dtype) {
    float32x4_t s[4] = {vdupq_n_f32(0), vdupq_n_f32(0), vdupq_n_f32(0), vdupq_n_f32(0)};
    for (int64_t i = 0; i < n; i += 16)
        for (int k = 0; k < 4; k++)
            s[k] = neon_madd(s[k], vld1q_f32(a + i + 4 * k), neon_load_as(b, at + i + 4 * k, dtype));
    return neon_sum16(s);
}

/// s[j] = sw_expf(s[j] - max) for j < n.
SW_INLINE void neon_attention_exp(float *s, int64_t n, float max) {
    int64_t j = 0;
    for (; j + 4 <= n; j += 4) vst1q_f32(s + j, neon_expf(vsubq_f32(vld1q_f32(s + j), vdupq_n_f32(max))));
    for (; j < n; j++) s[j] = sw_expf(s[j] - max);
}

/// acc = acc * correction + sum_j p[j] v_j over headDim columns (a multiple of 16), 16 at a
/// time in four vectors; v_j is the dtype row j * rowStride elements into vb.
SW_INLINE void neon_attention_accumulate(float *acc, const float *p, int64_t n, const void *vb,
                                         int64_t rowStride, int64_t headDim, float correction, const int dtype) {
    float32x4_t c = vdupq_n_f32(correction);
    for (int64_t i = 0; i < headDim; i += 16) {
        float32x4_t a[4];
        for (int k = 0; k < 4; k++) a[k] = vmulq_f32(vld1q_f32(acc + i + 4 * k), c);
        for (int64_t j = 0; j < n; j++) {
            float32x4_t pj = vdupq_n_f32(p[j]);
            for (int k = 0; k < 4; k++) a[k] = neon_madd(a[k], pj, neon_load_as(vb, j * rowStride + i + 4 * k, dtype));
        }
        for (int k = 0; k < 4; k++) vst1q_f32(acc + i + 4 * k, a[k]);
    }
}
#endif
#endif
