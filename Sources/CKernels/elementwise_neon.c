// NEON (AArch64) twins of elementwise.c: RMS norm (the 16 partial sums as four vectors), the rotation
// of one head's pairs (deinterleaved by vld2q where they are adjacent; the angles and the loop over
// heads are elementwise.c's), the SiLU and GELU gates (neon_expf) and add. Same operations in the
// same order: same bits as scalar (scripts/check-neon).
#include <math.h>
#include "sw_math.h"
#include "sw_neon.h"

#if defined(__aarch64__)
void sw_rms_norm_neon(const float *x, const float *weight, float eps, int64_t numTokens,
                      int64_t dim, float *out) {
    for (int64_t t = 0; t < numTokens; t++) {
        const float *xt = x + t * dim;
        float *ot = out + t * dim;
        float32x4_t v[4] = {vdupq_n_f32(0), vdupq_n_f32(0), vdupq_n_f32(0), vdupq_n_f32(0)};
        int64_t i = 0;
        for (; i + 16 <= dim; i += 16)
            for (int k = 0; k < 4; k++) {
                float32x4_t a = vld1q_f32(xt + i + 4 * k);
                v[k] = neon_madd(v[k], a, a);
            }
        float s[16];
        for (int k = 0; k < 4; k++) vst1q_f32(s + 4 * k, v[k]);
        for (; i < dim; i++) s[i % 16] += xt[i] * xt[i];
        float sum = sw_sum16(s);
        float scale = 1.0f / sqrtf(sum / (float)dim + eps);
        float32x4_t sc = vdupq_n_f32(scale);
        int64_t j = 0;
        for (; j + 4 <= dim; j += 4)
            vst1q_f32(ot + j, vmulq_f32(vmulq_f32(vld1q_f32(xt + j), sc), vld1q_f32(weight + j)));
        for (; j < dim; j++) ot[j] = (xt[j] * scale) * weight[j];
    }
}

/// (a, b) rotated by the angles' (cos, sin): a cos - b sin, a sin + b cos.
SW_INLINE void neon_rotate(float32x4_t *a, float32x4_t *b, float32x4_t c, float32x4_t s) {
    float32x4_t na = vsubq_f32(vmulq_f32(*a, c), vmulq_f32(*b, s));
    *b = vaddq_f32(vmulq_f32(*a, s), vmulq_f32(*b, c));
    *a = na;
}

/// rope_head (elementwise.c) with NEON: pairs (i, i + 1) when pairing is 0 (adjacent), (i, i + half)
/// otherwise, of columns i0..<i0+count; elementwise.c's rope body calls it per head.
void sw_rope_head_neon(float *v, int64_t i0, int64_t count, int pairing, int64_t half, const float *cs,
                       const float *sn) {
    int64_t i = 0;
    for (; i + 4 <= count; i += 4) {
        float32x4_t c = vld1q_f32(cs + i), s = vld1q_f32(sn + i);
        if (pairing == 0) {
            float32x4x2_t p = vld2q_f32(v + 2 * (i0 + i));
            neon_rotate(&p.val[0], &p.val[1], c, s);
            vst2q_f32(v + 2 * (i0 + i), p);
        } else {
            float32x4_t a = vld1q_f32(v + i0 + i), b = vld1q_f32(v + i0 + i + half);
            neon_rotate(&a, &b, c, s);
            vst1q_f32(v + i0 + i, a);
            vst1q_f32(v + i0 + i + half, b);
        }
    }
    for (; i < count; i++) {
        float *pa = pairing == 0 ? v + 2 * (i0 + i) : v + i0 + i, *pb = pairing == 0 ? pa + 1 : pa + half;
        float a = *pa, b = *pb;
        *pa = a * cs[i] - b * sn[i];
        *pb = a * sn[i] + b * cs[i];
    }
}

/// g / (1 + e^(-k g')) * up over four lanes, with g' = g (SiLU) or the GELU tanh argument.
SW_INLINE float32x4_t neon_gate(float32x4_t g, float32x4_t e, float32x4_t up) {
    return vmulq_f32(vdivq_f32(g, vaddq_f32(vdupq_n_f32(1.0f), e)), up);
}

void sw_silu_mul_neon(const float *gate, const float *up, int64_t count, float *out) {
    int64_t i = 0;
    for (; i + 4 <= count; i += 4) {
        float32x4_t g = vld1q_f32(gate + i);
        vst1q_f32(out + i, neon_gate(g, neon_expf(vnegq_f32(g)), vld1q_f32(up + i)));
    }
    for (; i < count; i++) out[i] = gate[i] / (1.0f + sw_expf(-gate[i])) * up[i];
}

void sw_gelu_tanh_mul_neon(const float *gate, const float *up, int64_t count, float *out) {
    int64_t i = 0;
    for (; i + 4 <= count; i += 4) {
        float32x4_t g = vld1q_f32(gate + i);
        float32x4_t cube = vmulq_f32(vmulq_f32(vmulq_f32(vdupq_n_f32(0.044715f), g), g), g);
        float32x4_t z = vmulq_f32(vdupq_n_f32(0.7978845608028654f), vaddq_f32(g, cube));
        vst1q_f32(out + i, neon_gate(g, neon_expf(vmulq_f32(vdupq_n_f32(-2.0f), z)), vld1q_f32(up + i)));
    }
    for (; i < count; i++) {
        float g = gate[i];
        float z = 0.7978845608028654f * (g + 0.044715f * g * g * g);
        out[i] = g / (1.0f + sw_expf(-2.0f * z)) * up[i];
    }
}

void sw_add_neon(float *x, const float *y, int64_t count) {
    int64_t i = 0;
    for (; i + 4 <= count; i += 4) vst1q_f32(x + i, vaddq_f32(vld1q_f32(x + i), vld1q_f32(y + i)));
    for (; i < count; i++) x[i] += y[i];
}
#endif
