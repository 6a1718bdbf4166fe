// Layouts of the Q8_0 path with 16-bit integer activations (q8_packed.c, matmul_q8_simd.c).
//
// Packed weights: rows in groups of 16 (the last group padded with zero rows); a group is
// cols/32 blocks of SW_Q8_GROUP_BLOCK bytes, one per 32-column block:
//   [16 x f16]          the 16 rows' block scales ([16 x f32] for SW_I8_B32: sw_q8_group_block)
//   [16][16][2] int8    quants of row r, columns 2j and 2j+1 of the block, at [j][r]
// Quantized activations, one token after another (SW_Q8_ACT_BYTES(cols) bytes each):
//   [cols] int16        q = round(x / d), d = max|x| / 32767 over each 32-column block
//   [cols/32] float     d per block
//   [cols/32] int32     the exact sum of the block's q (read by the Q4 / Q5 / Q4_K kernels)
//   [cols/32] int32     the exact sum of its first 16 q (read by the Q6_K kernels)
// Output y[t, r] = sum over blocks, in order, of fma(float(isum), scale_r * d_t, acc), with
// isum = sum(q_w * q_x) exact in int32 (|isum| < 2^27; its float conversion rounds to
// nearest even everywhere): every instruction set gets the same bits. 16-bit activations
// keep a block's values to 1/32767 of its largest one (8-bit ones cost measurable accuracy).
#ifndef SWIFTLET_Q8_PACKED_H
#define SWIFTLET_Q8_PACKED_H
#include "sw_internal.h"

#define SW_Q8_GROUP_BLOCK (32 + 512)
/// SW_I8_B32 packs into the same layout with [16 x f32] scales: a 64-byte header.
SW_INLINE int sw_q8_header_bytes(int type) { return type == SW_I8_B32 ? 64 : 32; }
SW_INLINE int sw_q8_group_block(int type) { return sw_q8_header_bytes(type) + 512; }
/// Row r's block scale in a packed block (f16, or f32 for SW_I8_B32).
SW_INLINE float sw_q8_weight_scale(int type, const uint8_t *blk, int r) {
    if (type != SW_I8_B32) return sw_half_at(blk + 2 * r);
    float d;
    memcpy(&d, blk + 4 * r, 4);
    return d;
}
#define SW_Q8_ACT_BYTES(cols) (2 * (cols) + ((cols) / 32) * 12)

/// Byte offset of block b's scale in one token's quantized activations (after its quants).
SW_INLINE int64_t sw_q8_scale_offset(int64_t cols, int64_t b) { return 2 * cols + 4 * b; }
/// The scale of block b of one token's quantized activations.
SW_INLINE float sw_q8_scale(const uint8_t *xt, int64_t cols, int64_t b) {
    float d;
    memcpy(&d, xt + sw_q8_scale_offset(cols, b), 4);
    return d;
}
/// Byte offsets of block b's quant sum and first-half sum (after the scales).
SW_INLINE int64_t sw_q8_sum_offset(int64_t cols, int64_t b) { return 2 * cols + 4 * (cols / 32) + 4 * b; }
SW_INLINE int64_t sw_q8_half_sum_offset(int64_t cols, int64_t b) { return 2 * cols + 8 * (cols / 32) + 4 * b; }
/// The sum of block b's quants in one token's quantized activations.
SW_INLINE int32_t sw_q8_sum(const uint8_t *xt, int64_t cols, int64_t b) {
    int32_t s;
    memcpy(&s, xt + sw_q8_sum_offset(cols, b), 4);
    return s;
}
/// The sum of the first 16 quants of block b.
SW_INLINE int32_t sw_q8_half_sum(const uint8_t *xt, int64_t cols, int64_t b) {
    int32_t s;
    memcpy(&s, xt + sw_q8_half_sum_offset(cols, b), 4);
    return s;
}
/// Stores the sums of block b's 32 quants and of its first 16 (already written) after the scales.
SW_INLINE void sw_q8_store_sum(uint8_t *xt, int64_t cols, int64_t b) {
    int32_t s = 0, half = 0;
    for (int k = 0; k < 32; k++) {
        int16_t q;
        memcpy(&q, xt + 2 * (32 * b + k), 2);
        s += q;
        if (k == 15) half = s;
    }
    memcpy(xt + sw_q8_sum_offset(cols, b), &s, 4);
    memcpy(xt + sw_q8_half_sum_offset(cols, b), &half, 4);
}

/// sw_q8_pack for SW_Q8_0 or SW_I8_B32 rows (q8_packed.c).
void sw_q8_pack_type(int type, const void *src, int64_t rows, int64_t cols, void *dst);
/// sw_matmul_q8_rows for weights packed by sw_q8_pack_type(type, ...).
void sw_matmul_q8_rows_type(int isa, int type, const void *packed, int64_t cols, int64_t rowStart, int64_t rowEnd,
                            const void *xq, int64_t numTokens, float *y, int64_t ldy);

#if SW_X86
#define SW_AVX512_VNNI __attribute__((target("avx512f,avx512bw,avx512vl,avx512dq,avx512vnni,avx2,fma,f16c")))
void sw_q8_groups_avx512(int type, const uint8_t *packed, int64_t cols, int64_t rowStart, int64_t rowEnd,
                         const uint8_t *xq, int64_t numTokens, float *y, int64_t ldy);
void sw_q8_groups_avx2(int type, const uint8_t *packed, int64_t cols, int64_t rowStart, int64_t rowEnd,
                       const uint8_t *xq, int64_t numTokens, float *y, int64_t ldy);
void sw_q8_quantize_avx512(const float *x, int64_t numTokens, int64_t cols, uint8_t *xq);
#endif
#if defined(__aarch64__)
/// The activation quantizer on NEON (matmul_packed_neon.c), sw_q8_quantize's bits.
void sw_q8_quantize_neon(const float *x, int64_t numTokens, int64_t cols, uint8_t *xq);
#endif
#endif
