// NEON (AArch64) twins of the portable helpers: four lanes of the scalar arithmetic, in its order
// and with its roundings (a product and a sum are two roundings: contraction is off in every
// kernel file on AArch64, sw_internal.h), so a NEON kernel built from them gives its scalar twin's
// bits.
#ifndef SWIFTLET_SW_NEON_H
#define SWIFTLET_SW_NEON_H
#include "sw_internal.h"

#if defined(__aarch64__)
#include <arm_neon.h>

/// a + b * c with two roundings (the scalar `a += b * c` without contraction).
SW_INLINE float32x4_t neon_madd(float32x4_t a, float32x4_t b, float32x4_t c) {
    return vaddq_f32(a, vmulq_f32(b, c));
}

/// sw_expf on four lanes: the same clamp, range reduction, polynomial and exponent scaling.
/// NaN stays NaN (vmaxq / vminq propagate it, as the scalar comparisons leave it).
SW_INLINE float32x4_t neon_expf(float32x4_t x) {
    x = vminq_f32(vmaxq_f32(x, vdupq_n_f32(-87.3f)), vdupq_n_f32(88.0f));
    float32x4_t n = vrndnq_f32(vmulq_f32(x, vdupq_n_f32(1.44269504088896341f)));
    float32x4_t r = vsubq_f32(x, vmulq_f32(n, vdupq_n_f32(0.693359375f)));
    r = vsubq_f32(r, vmulq_f32(n, vdupq_n_f32(-2.12194440e-4f)));
    float32x4_t p = vdupq_n_f32(1.9875691500e-4f);
    p = vaddq_f32(vmulq_f32(p, r), vdupq_n_f32(1.3981999507e-3f));
    p = vaddq_f32(vmulq_f32(p, r), vdupq_n_f32(8.3334519073e-3f));
    p = vaddq_f32(vmulq_f32(p, r), vdupq_n_f32(4.1665795894e-2f));
    p = vaddq_f32(vmulq_f32(p, r), vdupq_n_f32(1.6666665459e-1f));
    p = vaddq_f32(vmulq_f32(p, r), vdupq_n_f32(5.0000001201e-1f));
    p = vaddq_f32(vaddq_f32(vmulq_f32(vmulq_f32(p, r), r), r), vdupq_n_f32(1.0f));
    int32x4_t bits = vshlq_n_s32(vaddq_s32(vcvtq_s32_f32(n), vdupq_n_s32(127)), 23);
    return vmulq_f32(p, vreinterpretq_f32_s32(bits));
}

/// sw_sum16 of 16 partial sums held as s[0] = sums 0..3, s[1] = 4..7, s[2] = 8..11, s[3] = 12..15.
SW_INLINE float neon_sum16(const float32x4_t *s) {
    float32x4_t c = vaddq_f32(vaddq_f32(s[0], s[2]), vaddq_f32(s[1], s[3]));  // a[k] + a[k + 4]
    float32x2_t b = vadd_f32(vget_low_f32(c), vget_high_f32(c));              // b0, b1
    return vget_lane_f32(b, 0) + vget_lane_f32(b, 1);
}

/// Four IEEE halves at p, widened exactly.
SW_INLINE float32x4_t neon_load_f16(const uint16_t *p) {
    return vcvt_f32_f16(vreinterpret_f16_u16(vld1_u16(p)));
}
/// Four bfloat16 at p, widened (shifted into the top of each lane).
SW_INLINE float32x4_t neon_load_bf16(const uint16_t *p) {
    return vreinterpretq_f32_u32(vshll_n_u16(vld1_u16(p), 16));
}
/// Four 8-bit floats at p as the low lanes of halves' bit patterns.
SW_INLINE uint16x4_t neon_load_u8x4(const uint8_t *p) {
    uint32_t word;
    memcpy(&word, p, 4);
    return vget_low_u16(vmovl_u8(vcreate_u8((uint64_t)word)));
}
/// Four E4M3 bytes at p, widened exactly as sw_e4m3 (0x7E00 or-ed into the halves of NaN codes).
SW_INLINE float32x4_t neon_load_e4m3(const uint8_t *p) {
    uint16x4_t b = neon_load_u8x4(p), magnitude = vand_u16(b, vdup_n_u16(0x7F));
    uint16x4_t h = vorr_u16(vshl_n_u16(magnitude, 7), vshl_n_u16(vand_u16(b, vdup_n_u16(0x80)), 8));
    h = vorr_u16(h, vand_u16(vceq_u16(magnitude, vdup_n_u16(0x7F)), vdup_n_u16(0x7E00)));
    return vmulq_f32(vcvt_f32_f16(vreinterpret_f16_u16(h)), vdupq_n_f32(256.0f));
}
/// Four E5M2 bytes at p, widened (each the upper byte of a half).
SW_INLINE float32x4_t neon_load_e5m2(const uint8_t *p) {
    return vcvt_f32_f16(vreinterpret_f16_u16(vshl_n_u16(neon_load_u8x4(p), 8)));
}
/// Four elements from element i of a row of kind SW_KV_F32 / SW_KV_F16 / SW_KV_BF16 / SW_KV_FP8_*, as floats.
SW_INLINE float32x4_t neon_load_as(const void *p, int64_t i, const int kind) {
    if (kind == SW_KV_F16) return neon_load_f16((const uint16_t *)p + i);
    if (kind == SW_KV_BF16) return neon_load_bf16((const uint16_t *)p + i);
    if (kind == SW_KV_FP8_E4M3) return neon_load_e4m3((const uint8_t *)p + i);
    if (kind == SW_KV_FP8_E5M2) return neon_load_e5m2((const uint8_t *)p + i);
    return vld1q_f32((const float *)p + i);
}
#endif
#endif
