// Q4_0 / Q4_1 / Q5_0 / Q5_1 weights against 16-bit activations (layouts in q4_packed.h): packing at load and
// the scalar kernel that the SIMD kernels match bit for bit; the generic entry points that pick
// the Q8_0 or Q4 layout by weight type.
#include "q4_packed.h"
#include <math.h>
#pragma STDC FP_CONTRACT OFF

int sw_has_packed_layout(int type) {
    return type == SW_Q8_0 || type == SW_Q4_0 || type == SW_Q4_1 || type == SW_Q5_0 || type == SW_Q5_1;
}

int64_t sw_packed_bytes(int type, int64_t rows, int64_t cols) {
    if (type == SW_Q8_0) return sw_q8_packed_bytes(rows, cols);
    return (rows + 15) / 16 * (cols / 32) * sw_q4_block_bytes(type);
}

/// Quant k (0..<32) of a GGUF Q4_0 / Q4_1 block's 16 quant bytes: low nibbles are elements
/// 0..15, high nibbles 16..31.
static int sw_q4_nibble(const uint8_t *qs, int k) { return k < 16 ? qs[k] & 0x0F : qs[k - 16] >> 4; }

static void sw_q4_pack(int type, const uint8_t *src, int64_t rows, int64_t cols, uint8_t *out) {
    const int blockIn = sw_type_size(type), header = sw_q4_header_bytes(type), five = sw_q4_five(type);
    const int64_t nb = cols / 32, groups = (rows + 15) / 16;
    for (int64_t g = 0; g < groups; g++)
        for (int64_t b = 0; b < nb; b++) {
            uint8_t *blk = out + (g * nb + b) * sw_q4_block_bytes(type);
            memset(blk, 0, (size_t)sw_q4_block_bytes(type));
            for (int r = 0; r < 16; r++) {
                int64_t row = g * 16 + r;
                if (row >= rows) continue;  // padding: zero scales, minimums and quants
                const uint8_t *s = src + (row * nb + b) * blockIn;
                memcpy(blk + 2 * r, s, 2);                                  // d
                if (sw_q4_has_min(type)) memcpy(blk + 32 + 2 * r, s + 2, 2);  // m
                const uint8_t *qs = s + blockIn - 16;
                // Q5: bit k of the 32-bit qh after the scales is element k's fifth bit
                uint32_t qh = five ? sw_u32(s + 2 + 2 * sw_q4_has_min(type)) : 0;
                int h = r / 8, i = r % 8;
                for (int c = 0; c < 2; c++) {
                    uint16_t high = 0;
                    for (int j = 0; j < 4; j++) {
                        uint16_t lane = 0;
                        for (int p = 0; p < 4; p++) {
                            int k = 8 * j + 2 * p + c;
                            lane |= (uint16_t)(sw_q4_nibble(qs, k) << (4 * p));
                            high |= (uint16_t)(((qh >> k) & 1u) << (4 * j + p));
                        }
                        memcpy(blk + header + (2 * j + h) * 32 + 2 * (2 * i + c), &lane, 2);
                    }
                    if (five) memcpy(blk + header + 256 + 32 * h + 2 * (2 * i + c), &high, 2);
                }
            }
        }
}

void sw_pack(int type, const void *src, int64_t rows, int64_t cols, void *dst) {
    if (type == SW_Q8_0) sw_q8_pack(src, rows, cols, dst);
    else sw_q4_pack(type, (const uint8_t *)src, rows, cols, (uint8_t *)dst);
}

/// The reference arithmetic: row r (0..<16) of a group, one token.
static float sw_q4_dot_scalar(int type, const uint8_t *group, int r, int64_t cols, const uint8_t *xt) {
    const int header = sw_q4_header_bytes(type), h = r / 8, i = r % 8;
    float acc = 0.0f;
    for (int64_t b = 0; b < cols / 32; b++) {
        const uint8_t *blk = group + b * sw_q4_block_bytes(type);
        int32_t isum = 0;
        for (int c = 0; c < 2; c++) {
            uint16_t high = sw_q4_five(type) ? sw_u16(blk + header + 256 + 32 * h + 2 * (2 * i + c)) : 0;
            for (int j = 0; j < 4; j++) {
                uint16_t lane = sw_u16(blk + header + (2 * j + h) * 32 + 2 * (2 * i + c));
                for (int p = 0; p < 4; p++) {
                    int16_t q;
                    memcpy(&q, xt + 2 * (32 * b + 8 * j + 2 * p + c), 2);
                    int w = ((lane >> (4 * p)) & 0xF) | ((high >> (4 * j + p)) & 1) << 4;
                    isum += (int32_t)w * q;
                }
            }
        }
        float dx = sw_q8_scale(xt, cols, b), scale = sw_half_at(blk + 2 * r) * dx;
        int32_t sx = sw_q8_sum(xt, cols, b);
        if (sw_q4_has_min(type)) {
            acc = fmaf((float)isum, scale, acc);
            acc = fmaf(sw_half_at(blk + 32 + 2 * r), dx * (float)sx, acc);
        } else {
            acc = fmaf((float)(isum - sw_q4_offset(type) * sx), scale, acc);
        }
    }
    return acc;
}

void sw_matmul_packed_rows(int isa, int type, const void *packed, int64_t cols, int64_t rowStart,
                           int64_t rowEnd, const void *xq, int64_t numTokens, float *y, int64_t ldy) {
    const uint8_t *w = (const uint8_t *)packed, *x = (const uint8_t *)xq;
#if defined(__aarch64__)
    if (isa == SW_ISA_NEON) {
        sw_packed_groups_neon(type, w, cols, rowStart, rowEnd, x, numTokens, y, ldy);
        return;
    }
#endif
    if (type == SW_Q8_0) {
        sw_matmul_q8_rows(isa, packed, cols, rowStart, rowEnd, xq, numTokens, y, ldy);
        return;
    }
#if SW_X86
    if (isa == SW_ISA_AVX512 && sw_has_avx512_vnni()) {
        sw_q4_groups_avx512(type, w, cols, rowStart, rowEnd, x, numTokens, y, ldy);
        return;
    }
    if (isa == SW_ISA_AVX2 || isa == SW_ISA_AVX512) {
        sw_q4_groups_avx2(type, w, cols, rowStart, rowEnd, x, numTokens, y, ldy);
        return;
    }
#endif
    (void)isa;
    int64_t groupBytes = (cols / 32) * sw_q4_block_bytes(type);
    for (int64_t r = rowStart; r < rowEnd; r++)
        for (int64_t t = 0; t < numTokens; t++)
            y[t * ldy + r] = sw_q4_dot_scalar(type, w + (r / 16) * groupBytes, (int)(r % 16), cols,
                                              x + t * SW_Q8_ACT_BYTES(cols));
}
