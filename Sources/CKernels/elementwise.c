// RMS norm, rotary embedding, SiLU and GELU gates, and add. Each is one portable C body, instantiated
// once per instruction set with a target attribute so the compiler vectorizes it for that
// set; reductions keep 16 explicit partial sums so the order is fixed (and vectorizable).
#include <math.h>
#include "sw_internal.h"
#include "sw_math.h"

SW_INLINE void rms_norm_body(const float *x, const float *weight, float eps, int64_t numTokens,
                             int64_t dim, float *out) {
    for (int64_t t = 0; t < numTokens; t++) {
        const float *xt = x + t * dim;
        float *ot = out + t * dim;
        float s[16] = {0};
        int64_t i = 0;
        for (; i + 16 <= dim; i += 16)
            for (int k = 0; k < 16; k++) s[k] += xt[i + k] * xt[i + k];
        for (; i < dim; i++) s[i % 16] += xt[i] * xt[i];
        float sum = sw_sum16(s);
        float scale = 1.0f / sqrtf(sum / (float)dim + eps);
        for (int64_t j = 0; j < dim; j++) ot[j] = (xt[j] * scale) * weight[j];
    }
}

/// Rotates pairs (i, i + stride) of one head with the angles of columns i0..<i0+count.
SW_INLINE void rope_head(float *v, int64_t i0, int64_t count, int pairing, int64_t half,
                         const float *cs, const float *sn) {
    if (pairing == 0) {
        for (int64_t i = 0; i < count; i++) {
            float a = v[2 * (i0 + i)], b = v[2 * (i0 + i) + 1];
            v[2 * (i0 + i)] = a * cs[i] - b * sn[i];
            v[2 * (i0 + i) + 1] = a * sn[i] + b * cs[i];
        }
    } else {
        for (int64_t i = 0; i < count; i++) {
            float a = v[i0 + i], b = v[i0 + i + half];
            v[i0 + i] = a * cs[i] - b * sn[i];
            v[i0 + i + half] = a * sn[i] + b * cs[i];
        }
    }
}

/// rope_head or its NEON twin.
typedef void (*rope_head_fn)(float *v, int64_t i0, int64_t count, int pairing, int64_t half,
                             const float *cs, const float *sn);

SW_INLINE void rope_body(float *x, int64_t numTokens, int64_t numHeads, int64_t headDim,
                         const int32_t *positions, const float *invFreq, int pairing, rope_head_fn head) {
    int64_t half = headDim / 2;
    float cs[256], sn[256];  // angles of up to 256 pairs at a time, shared by all heads
    for (int64_t t = 0; t < numTokens; t++) {
        float p = (float)positions[t];
        for (int64_t i0 = 0; i0 < half; i0 += 256) {
            int64_t count = half - i0 < 256 ? half - i0 : 256;
            for (int64_t i = 0; i < count; i++) {
                float angle = p * invFreq[i0 + i];
                cs[i] = cosf(angle);
                sn[i] = sinf(angle);
            }
            for (int64_t h = 0; h < numHeads; h++)
                head(x + (t * numHeads + h) * headDim, i0, count, pairing, half, cs, sn);
        }
    }
}

SW_INLINE void silu_mul_body(const float *gate, const float *up, int64_t count, float *out) {
    for (int64_t i = 0; i < count; i++) {
        float g = gate[i];
        out[i] = g / (1.0f + sw_expf(-g)) * up[i];
    }
}

/// gelu_tanh(g) * up with gelu_tanh(g) = 0.5 g (1 + tanh(z)) = g / (1 + e^(-2z)),
/// z = sqrt(2/pi) (g + 0.044715 g^3).
SW_INLINE void gelu_tanh_mul_body(const float *gate, const float *up, int64_t count, float *out) {
    for (int64_t i = 0; i < count; i++) {
        float g = gate[i];
        float z = 0.7978845608028654f * (g + 0.044715f * g * g * g);
        out[i] = g / (1.0f + sw_expf(-2.0f * z)) * up[i];
    }
}

SW_INLINE void add_body(float *x, const float *y, int64_t count) {
    for (int64_t i = 0; i < count; i++) x[i] += y[i];
}

#define SW_OPS(SUFFIX, ATTR)                                                                      \
    ATTR static void rms_norm_##SUFFIX(const float *x, const float *w, float eps, int64_t n,     \
                                       int64_t dim, float *out) {                                \
        rms_norm_body(x, w, eps, n, dim, out);                                                   \
    }                                                                                            \
    ATTR static void rope_##SUFFIX(float *x, int64_t n, int64_t nh, int64_t hd, const int32_t *p, \
                                   const float *f, int pairing) {                                \
        rope_body(x, n, nh, hd, p, f, pairing, rope_head);                                       \
    }                                                                                            \
    ATTR static void silu_mul_##SUFFIX(const float *g, const float *u, int64_t n, float *o) {    \
        silu_mul_body(g, u, n, o);                                                               \
    }                                                                                            \
    ATTR static void gelu_tanh_mul_##SUFFIX(const float *g, const float *u, int64_t n, float *o) { \
        gelu_tanh_mul_body(g, u, n, o);                                                          \
    }                                                                                            \
    ATTR static void add_##SUFFIX(float *x, const float *y, int64_t n) { add_body(x, y, n); }

SW_OPS(scalar, )
#if SW_X86
SW_OPS(avx2, SW_AVX2)
SW_OPS(avx512, SW_AVX512)
#define SW_PICK(NAME, ...)                                                                        \
    do {                                                                                          \
        if (isa == SW_ISA_AVX512) NAME##_avx512(__VA_ARGS__);                                     \
        else if (isa == SW_ISA_AVX2) NAME##_avx2(__VA_ARGS__);                                    \
        else NAME##_scalar(__VA_ARGS__);                                                          \
    } while (0)
#elif defined(__aarch64__)
// the NEON twins (elementwise_neon.c) give the scalar bodies' bits
void sw_rms_norm_neon(const float *x, const float *w, float eps, int64_t n, int64_t dim, float *out);
void sw_rope_head_neon(float *v, int64_t i0, int64_t count, int pairing, int64_t half, const float *cs,
                       const float *sn);
static void sw_rope_neon(float *x, int64_t n, int64_t nh, int64_t hd, const int32_t *p, const float *f, int pairing) {
    rope_body(x, n, nh, hd, p, f, pairing, sw_rope_head_neon);
}
void sw_silu_mul_neon(const float *g, const float *u, int64_t n, float *o);
void sw_gelu_tanh_mul_neon(const float *g, const float *u, int64_t n, float *o);
void sw_add_neon(float *x, const float *y, int64_t n);
#define SW_PICK(NAME, ...)                                                                        \
    do {                                                                                          \
        if (isa == SW_ISA_NEON) sw_##NAME##_neon(__VA_ARGS__);                                    \
        else NAME##_scalar(__VA_ARGS__);                                                          \
    } while (0)
#else
#define SW_PICK(NAME, ...) do { (void)isa; NAME##_scalar(__VA_ARGS__); } while (0)
#endif

void sw_rms_norm(int isa, const float *x, const float *weight, float eps, int64_t numTokens,
                 int64_t dim, float *out) {
    SW_PICK(rms_norm, x, weight, eps, numTokens, dim, out);
}

void sw_rope(int isa, float *x, int64_t numTokens, int64_t numHeads, int64_t headDim,
             const int32_t *positions, const float *invFreq, int pairing) {
    SW_PICK(rope, x, numTokens, numHeads, headDim, positions, invFreq, pairing);
}

void sw_silu_mul(int isa, const float *gate, const float *up, int64_t count, float *out) {
    SW_PICK(silu_mul, gate, up, count, out);
}

void sw_gelu_tanh_mul(int isa, const float *gate, const float *up, int64_t count, float *out) {
    SW_PICK(gelu_tanh_mul, gate, up, count, out);
}

void sw_add(int isa, float *x, const float *y, int64_t count) { SW_PICK(add, x, y, count); }
