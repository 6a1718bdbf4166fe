// NEON (AArch64) kernels of the packed layouts (q8_packed.h, q4_packed.h: Q8_0, Q4_0, Q4_1,
// Q5_0, Q5_1, Q4_K, Q5_K, Q6_K), one token at a time:
// the quants are widened to 16-bit lanes, multiplied by the activation pair of their column pair
// with widening multiply-accumulates into 32-bit lanes (one lane per row and column of the pair),
// and the pairs are added per row at the end of the block: exact integer sums, so each row gets
// the scalar kernel's block sums and, in the same order, its float operations (vfmaq_f32 is one
// fused multiply-add, as fmaf): the same bits as scalar, checked under qemu-aarch64
// (Tests/kernel-emulation/check_neon.c).
#include "q4_packed.h"
#pragma STDC FP_CONTRACT OFF

#if defined(__aarch64__)
#include <arm_neon.h>

/// The activation pair of columns 2j, 2j+1 in every 32-bit lane (int16 lanes x0, x1, x0, x1, ...).
SW_INLINE int16x8_t neon_pair(const uint8_t *x) { return vreinterpretq_s16_u32(vdupq_n_u32(sw_u32(x))); }

/// Lanes (2i, 2i+1) of a and b, 4 + 4 of them, added per row i: rows 0..3 of a, then of b.
SW_INLINE int32x4_t neon_rows(int32x4_t a, int32x4_t b) { return vpaddq_s32(a, b); }

/// Adds w * x pairwise-lane products of 8 int16 lanes into two int32x4 accumulators.
SW_INLINE void neon_mla(int32x4_t *lo, int32x4_t *hi, int16x8_t w, int16x8_t x) {
    *lo = vmlal_s16(*lo, vget_low_s16(w), vget_low_s16(x));
    *hi = vmlal_high_s16(*hi, w, x);
}

/// Four f16 scales (or, for Q4_K, f32 ones) at p as floats.
SW_INLINE float32x4_t neon_scales(const uint8_t *p, int f32) {
    if (f32) return vld1q_f32((const float *)p);
    float16x4_t h;
    memcpy(&h, p, 8);
    return vcvt_f32_f16(h);
}

/// The float step of four rows: acc = fma(float(isum), d * dx, acc) (Q8_0 / Q4_0 after the
/// offset), then with minimums (m not NULL) acc = fma(m, dx * sx, acc).
SW_INLINE float32x4_t neon_block_fma(float32x4_t acc, int32x4_t isum, const uint8_t *d, float dx,
                                     const uint8_t *m, float dsx, int f32) {
    acc = vfmaq_f32(acc, vcvtq_f32_s32(isum), vmulq_f32(neon_scales(d, f32), vdupq_n_f32(dx)));
    if (m) acc = vfmaq_f32(acc, neon_scales(m, f32), vdupq_n_f32(dsx));
    return acc;
}

/// Q8_0 (or I8_B32: f32 scales), one group of 16 rows, one token.
static void q8_group_neon(const int type, const uint8_t *group, int64_t cols, const uint8_t *xt, float *y, int n) {
    const int header = sw_q8_header_bytes(type), f32 = type == SW_I8_B32;
    float32x4_t acc[4];
    for (int q = 0; q < 4; q++) acc[q] = vdupq_n_f32(0);
    for (int64_t b = 0; b < cols / 32; b++) {
        const uint8_t *blk = group + b * sw_q8_group_block(type);
        int32x4_t s[8];  // lane (2r + c) % 4 of s[(2r + c) / 4]
        for (int q = 0; q < 8; q++) s[q] = vdupq_n_s32(0);
        for (int j = 0; j < 16; j++) {
            int16x8_t x = neon_pair(xt + 64 * b + 4 * j);
            int8x16_t w0 = vld1q_s8((const int8_t *)(blk + header + 32 * j)), w1 = vld1q_s8((const int8_t *)(blk + header + 16 + 32 * j));
            neon_mla(&s[0], &s[1], vmovl_s8(vget_low_s8(w0)), x);
            neon_mla(&s[2], &s[3], vmovl_high_s8(w0), x);
            neon_mla(&s[4], &s[5], vmovl_s8(vget_low_s8(w1)), x);
            neon_mla(&s[6], &s[7], vmovl_high_s8(w1), x);
        }
        float dx = sw_q8_scale(xt, cols, b);
        for (int q = 0; q < 4; q++)
            acc[q] = neon_block_fma(acc[q], neon_rows(s[2 * q], s[2 * q + 1]), blk + (f32 ? 16 : 8) * q, dx, NULL, 0, f32);
    }
    float out[16];
    for (int q = 0; q < 4; q++) vst1q_f32(out + 4 * q, acc[q]);
    memcpy(y, out, (size_t)n * 4);
}

/// Q4_0 / Q4_1 / Q5_0 / Q5_1 / Q4_K / Q6_K, one group of 16 rows, one token.
static void q4_group_neon(const int type, const uint8_t *group, int64_t cols, const uint8_t *xt, float *y, int n) {
    const int header = sw_q4_header_bytes(type), bb = sw_q4_block_bytes(type), bits = sw_q4_high_bits(type);
    const int phases = sw_q4_phases(type), f32 = sw_q4_f32_scales(type);
    const uint16x8_t mask = vdupq_n_u16(0xF), highMask = vdupq_n_u16((uint16_t)(((1 << bits) - 1) << 4));
    float32x4_t acc[4];
    for (int q = 0; q < 4; q++) acc[q] = vdupq_n_f32(0);
    for (int64_t b = 0; b < cols / 32; b++) {
        const uint8_t *blk = group + b * bb;
        float dx = sw_q8_scale(xt, cols, b);
        for (int ph = 0; ph < phases; ph++) {
            int32x4_t s[8];  // lane (2r + c) % 4 of s[(2r + c) / 4], r the row in the group
            for (int q = 0; q < 8; q++) s[q] = vdupq_n_s32(0);
            for (int j = 4 / phases * ph; j < 4 / phases * (ph + 1); j++)
                for (int h = 0; h < 2; h++) {
                    const uint8_t *v = blk + header + (2 * j + h) * 32, *hv = blk + sw_q4_high_byte(type, j) + 32 * h;
                    uint16x8_t v0 = vld1q_u16((const uint16_t *)v), v1 = vld1q_u16((const uint16_t *)(v + 16));
                    uint16x8_t h0 = mask, h1 = mask;
                    if (bits) h0 = vld1q_u16((const uint16_t *)hv), h1 = vld1q_u16((const uint16_t *)(hv + 16));
                    for (int p = 0; p < 4; p++) {
                        int16x8_t x = neon_pair(xt + 64 * b + 16 * j + 4 * p);
                        uint16x8_t u0 = vandq_u16(vshlq_u16(v0, vdupq_n_s16((int16_t)(-4 * p))), mask);
                        uint16x8_t u1 = vandq_u16(vshlq_u16(v1, vdupq_n_s16((int16_t)(-4 * p))), mask);
                        if (bits) {  // the high bit(s) of each lane to bit 4 (a negative shift is to the right)
                            int16x8_t sh = vdupq_n_s16((int16_t)(4 - sw_q4_high_bit(type, j, p)));
                            u0 = vorrq_u16(u0, vandq_u16(vshlq_u16(h0, sh), highMask));
                            u1 = vorrq_u16(u1, vandq_u16(vshlq_u16(h1, sh), highMask));
                        }
                        int16x8_t w0 = vreinterpretq_s16_u16(u0), w1 = vreinterpretq_s16_u16(u1);
                        neon_mla(&s[4 * h], &s[4 * h + 1], w0, x);
                        neon_mla(&s[4 * h + 2], &s[4 * h + 3], w1, x);
                    }
                }
            int32_t sx = sw_q4_phase_sum(type, xt, cols, b, ph);
            for (int q = 0; q < 4; q++) {
                int32x4_t isum = neon_rows(s[2 * q], s[2 * q + 1]);
                const uint8_t *d = blk + sw_q4_scale_byte(type, ph, 4 * q);
                if (sw_q4_has_min(type))
                    acc[q] = neon_block_fma(acc[q], isum, d, dx, blk + sw_q4_min_byte(type, 4 * q), dx * (float)sx, f32);
                else
                    acc[q] = neon_block_fma(acc[q], vsubq_s32(isum, vdupq_n_s32(sw_q4_offset(type) * sx)), d, dx, NULL, 0, f32);
            }
        }
    }
    float out[16];
    for (int q = 0; q < 4; q++) vst1q_f32(out + 4 * q, acc[q]);
    memcpy(y, out, (size_t)n * 4);
}

void sw_packed_groups_neon(int type, const uint8_t *packed, int64_t cols, int64_t rowStart, int64_t rowEnd,
                           const uint8_t *xq, int64_t numTokens, float *y, int64_t ldy) {
    const int q8 = type == SW_Q8_0 || type == SW_I8_B32;
    const int64_t blockBytes = q8 ? sw_q8_group_block(type) : sw_q4_block_bytes(type);
    const int64_t groupBytes = (cols / 32) * blockBytes, xs = SW_Q8_ACT_BYTES(cols);
    for (int64_t r = rowStart; r < rowEnd; r += 16) {
        int n = rowEnd - r < 16 ? (int)(rowEnd - r) : 16;
        const uint8_t *group = packed + (r / 16) * groupBytes;
        for (int64_t t = 0; t < numTokens; t++) {
            if (q8) q8_group_neon(type, group, cols, xq + t * xs, y + t * ldy + r, n);
            else q4_group_neon(type, group, cols, xq + t * xs, y + t * ldy + r, n);
        }
    }
}

/// The activation quantizer (sw_q8_quantize_scalar's arithmetic, four lanes at a time): the block
/// maximum as an integer maximum of magnitude bits, x * (1 / d) clamped by comparisons (NaN gives
/// -32767), rounded to nearest even (fcvtns), then the block sums.
void sw_q8_quantize_neon(const float *x, int64_t numTokens, int64_t cols, uint8_t *xq) {
    int64_t nb = cols / 32;
    const float32x4_t lo = vdupq_n_f32(-32767.0f), hi = vdupq_n_f32(32767.0f);
    for (int64_t t = 0; t < numTokens; t++) {
        const float *xt = x + t * cols;
        uint8_t *q = xq + t * SW_Q8_ACT_BYTES(cols);
        for (int64_t b = 0; b < nb; b++) {
            const float *xb = xt + 32 * b;
            uint32x4_t m = vdupq_n_u32(0);
            for (int k = 0; k < 32; k += 4)
                m = vmaxq_u32(m, vandq_u32(vld1q_u32((const uint32_t *)(xb + k)), vdupq_n_u32(0x7FFFFFFF)));
            float d = sw_bits_float(vmaxvq_u32(m)) / 32767.0f;
            float32x4_t id = vdupq_n_f32(d >= 1.17549435e-38f ? 1.0f / d : 0.0f);  // FLT_MIN
            for (int k = 0; k < 32; k += 8) {
                int32x4_t r[2];
                for (int h = 0; h < 2; h++) {
                    float32x4_t v = vmulq_f32(vld1q_f32(xb + k + 4 * h), id);
                    v = vbslq_f32(vcgtq_f32(v, lo), v, lo);
                    v = vbslq_f32(vcltq_f32(v, hi), v, hi);
                    r[h] = vcvtnq_s32_f32(v);
                }
                vst1q_s16((int16_t *)(q + 2 * (32 * b + k)), vcombine_s16(vmovn_s32(r[0]), vmovn_s32(r[1])));
            }
            memcpy(q + sw_q8_scale_offset(cols, b), &d, 4);
            sw_q8_store_sum(q, cols, b);
        }
    }
}
#endif
