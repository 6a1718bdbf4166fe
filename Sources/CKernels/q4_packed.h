// Layouts of the Q4_0 / Q4_1 / Q5_0 / Q5_1 / Q4_K / Q5_K / Q6_K path with 16-bit integer activations (q4_packed.c,
// matmul_q4_simd.c). The activations are the Q8_0 path's (q8_packed.h): int16 quants, a float
// scale and the exact int32 sum of the quants per 32-column block.
//
// Packed weights: rows in groups of 16 (the last group padded with zero rows); a group is
// cols/32 blocks of sw_q4_block_bytes(type) bytes, one per 32-column block:
//   [16 x f16]          the 16 rows' block scales d
//   [16 x f16]          (Q4_1, Q5_1) the 16 rows' block minimums m
// (Q4_K and Q5_K instead: [16 x f32] d * sc and [16 x f32] -(dmin * m) of the block's sub-block, the
// GGML dequantizer's d1 and -m1, so they are Q4_1's and Q5_1's arithmetic with float scales;
// U4_B32 the same with its block's scale and -(zero * scale); Q6_K:
// [2][16 x f32] d * sc of the block's two 16-column halves)
//   [4][2][16] u16      quad j (columns 8j..8j+7), half h (rows 8h..8h+7), lane 2i+c: the
//                       four nibbles of row 8h+i at columns 8j+2p+c, p = 0..3, nibble p at
//                       bits 4p..4p+3 (the low four bits of the Q5 quants)
//   [2][16] u16         (Q5_0, Q5_1, Q5_K) half h, lane 2i+c: the fifth bits of row 8h+i at columns
//                       8j+2p+c, bit 4j+p
//   [2][2][16] u16      (Q6_K) plane a (quads 2a, 2a+1), half h, lane 2i+c: the fifth and sixth
//                       bits of row 8h+i at columns 8j+2p+c, bits 2(4(j-2a)+p) and the next
// Half h of quad j is 32 bytes: one AVX2 load gives four vectors (shift by 4p, mask 0xF) whose
// 32-bit lane i holds row 8h+i's quants of the column pair 8j+2p, 8j+2p+1, ready for vpmaddwd
// against that pair of activations broadcast; both halves of a quad are one AVX-512 load.
//
// Output y[t, r] = sum over blocks, in order, of (Q4_0, Q5_0) fma(float(isum - o * sx), d_r * d_t,
// acc) with o = 8 or 16, or (Q4_1, Q5_1, Q4_K, Q5_K) fma(m_r, d_t * float(sx), fma(float(isum), d_r * d_t,
// acc)), or (Q6_K, per 16-column half a then b) fma(float(isum_a - 32 * sx_a), d_ra * d_t, acc),
// where isum is the
// exact int32 sum of quant x activation quant over the block and sx that of the activation
// quants (both below 2^24 in magnitude, so their float conversions are exact): the same bits
// on every instruction set, batch size and tiling.
#ifndef SWIFTLET_Q4_PACKED_H
#define SWIFTLET_Q4_PACKED_H
#include "q8_packed.h"

/// Whether the type has minimums (Q4_1, Q5_1, Q4_K, Q5_K) and fifth bits (Q5_0, Q5_1, Q5_K).
SW_INLINE int sw_q4_has_min(int type) {
    return type == SW_Q4_1 || type == SW_Q5_1 || type == SW_Q4_K || type == SW_Q5_K || type == SW_U4_B32;
}
SW_INLINE int sw_q4_five(int type) { return type == SW_Q5_0 || type == SW_Q5_1 || type == SW_Q5_K; }
/// Bits above the low nibble: 1 for Q5_0 / Q5_1, 2 for Q6_K, else 0.
SW_INLINE int sw_q4_high_bits(int type) { return type == SW_Q6_K ? 2 : sw_q4_five(type); }
/// Whether the header holds f32 scales (Q4_K, Q5_K, Q6_K) instead of f16 ones.
SW_INLINE int sw_q4_f32_scales(int type) { return type == SW_Q4_K || type == SW_Q5_K || type == SW_Q6_K || type == SW_U4_B32; }
/// Scale steps per block: Q6_K has a scale per 16-column half (quads 0-1, then 2-3).
SW_INLINE int sw_q4_phases(int type) { return type == SW_Q6_K ? 2 : 1; }
/// Bytes of one 16-row group's 32-column block: scales (and minimums), 256 bytes of low
/// nibbles, then (Q5) 64 bytes of fifth bits or (Q6_K) 128 bytes of fifth and sixth bits.
SW_INLINE int sw_q4_header_bytes(int type) { return sw_q4_f32_scales(type) ? 128 : sw_q4_has_min(type) ? 64 : 32; }
SW_INLINE int sw_q4_block_bytes(int type) { return sw_q4_header_bytes(type) + 256 + 64 * sw_q4_high_bits(type); }
/// Byte offsets in a packed block of row r's scale (of phase ph) and of its minimum.
SW_INLINE int sw_q4_scale_byte(int type, int ph, int r) { return sw_q4_f32_scales(type) ? 64 * ph + 4 * r : 2 * r; }
SW_INLINE int sw_q4_min_byte(int type, int r) { return sw_q4_f32_scales(type) ? 64 + 4 * r : 32 + 2 * r; }
/// Byte offset of the high-bit plane (half 0) that quad j reads: one for Q5, quad j / 2's for Q6_K.
SW_INLINE int sw_q4_high_byte(int type, int j) { return sw_q4_header_bytes(type) + 256 + 64 * (type == SW_Q6_K) * (j / 2); }
/// The lowest bit, in its plane's 16-bit lane, of the high bits of columns 8j+2p+c.
SW_INLINE int sw_q4_high_bit(int type, int j, int p) { return type == SW_Q6_K ? 2 * (4 * (j % 2) + p) : 4 * j + p; }
/// Row r's scale (of phase ph) and minimum of a packed block (f16 or f32 header entries).
SW_INLINE float sw_q4_header_at(int type, const uint8_t *p) {
    if (!sw_q4_f32_scales(type)) return sw_half_at(p);
    float v;
    memcpy(&v, p, 4);
    return v;
}
SW_INLINE float sw_q4_scale_at(int type, const uint8_t *blk, int ph, int r) {
    return sw_q4_header_at(type, blk + sw_q4_scale_byte(type, ph, r));
}
SW_INLINE float sw_q4_min_at(int type, const uint8_t *blk, int r) { return sw_q4_header_at(type, blk + sw_q4_min_byte(type, r)); }
/// The offset of quants without a minimum (8 for Q4_0, 16 for Q5_0, 32 for Q6_K).
SW_INLINE int sw_q4_offset(int type) { return type == SW_Q6_K ? 32 : sw_q4_five(type) ? 16 : 8; }
/// The activation quant sum that phase ph's offset or minimum term multiplies: the block's, or
/// for Q6_K its first or second 16-column half's.
SW_INLINE int32_t sw_q4_phase_sum(int type, const uint8_t *xt, int64_t cols, int64_t b, int ph) {
    if (type != SW_Q6_K) return sw_q8_sum(xt, cols, b);
    int32_t half = sw_q8_half_sum(xt, cols, b);
    return ph ? sw_q8_sum(xt, cols, b) - half : half;
}

#if SW_X86
void sw_q4_groups_avx512(int type, const uint8_t *packed, int64_t cols, int64_t rowStart, int64_t rowEnd,
                         const uint8_t *xq, int64_t numTokens, float *y, int64_t ldy);
void sw_q4_groups_avx2(int type, const uint8_t *packed, int64_t cols, int64_t rowStart, int64_t rowEnd,
                       const uint8_t *xq, int64_t numTokens, float *y, int64_t ldy);
#endif
#if defined(__aarch64__)
/// Q8_0, Q4_0, Q4_1, Q5_0, Q5_1, Q4_K, Q5_K and Q6_K groups on NEON (matmul_packed_neon.c).
void sw_packed_groups_neon(int type, const uint8_t *packed, int64_t cols, int64_t rowStart, int64_t rowEnd,
                           const uint8_t *xq, int64_t numTokens, float *y, int64_t ldy);
#endif
#endif
