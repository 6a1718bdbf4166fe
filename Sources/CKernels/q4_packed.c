// Q4_0 / Q4_1 / Q5_0 / Q5_1 / Q4_K / Q5_K / Q6_K weights against 16-bit activations (layouts in q4_packed.h): packing at load and
// the scalar kernel that the SIMD kernels match bit for bit; the generic entry points that pick
// the Q8_0 or Q4 layout by weight type.
#include "q4_packed.h"
#include <math.h>
#pragma STDC FP_CONTRACT OFF

int sw_has_packed_layout(int type) {
    return type == SW_Q8_0 || type == SW_Q4_0 || type == SW_Q4_1 || type == SW_Q5_0 || type == SW_Q5_1 ||
           type == SW_Q4_K || type == SW_Q5_K || type == SW_Q6_K || type == SW_U4_B32 || type == SW_I8_B32 ||
           type == SW_F8_E4M3_B32;
}

int64_t sw_packed_bytes(int type, int64_t rows, int64_t cols) {
    if (type == SW_F8_E4M3_B32) return sw_f8_packed_bytes(rows, cols);
    if (type == SW_Q8_0 || type == SW_I8_B32) return (rows + 15) / 16 * (cols / 32) * sw_q8_group_block(type);
    return (rows + 15) / 16 * (cols / 32) * sw_q4_block_bytes(type);
}

/// Block b (32 columns) of one GGUF row of `type`: its quants (0..15, 0..31 for Q5, 0..63 for
/// Q6_K) into q, and its scale and minimum header entries for lane r of the packed block.
static void sw_q4_source(int type, const uint8_t *row, int64_t b, uint8_t q[32], uint8_t *blk, int r) {
    if (type == SW_Q6_K) {
        // super-block b / 8; element e of it: w = (d * sc[e / 16]) * (q - 32), as GGML
        const uint8_t *s = row + (b / 8) * 210;
        int e0 = (int)(b % 8) * 32;
        for (int a = 0; a < 2; a++) {
            float ds = sw_half_at(s + 208) * (float)(int8_t)s[192 + e0 / 16 + a];
            memcpy(blk + 64 * a + 4 * r, &ds, 4);
        }
        for (int k = 0; k < 32; k++) {
            int e = e0 + k, half = e / 128, within = e % 128, slice = within / 32, l = within % 32;
            int lo = (s[half * 64 + (slice % 2) * 32 + l] >> (4 * (slice / 2))) & 0x0F;
            int hi = (s[128 + half * 32 + l] >> (2 * slice)) & 3;
            q[k] = (uint8_t)(lo | hi << 4);
        }
        return;
    }
    if (type == SW_Q4_K || type == SW_Q5_K) {
        // super-block b / 8, sub-block b % 8: w = d * sc * q - dmin * m (GGML's d1 * q - m1);
        // Q5_K's fifth bit of element k of the sub-block is bit `sub` of qh[k]
        const int five = type == SW_Q5_K;
        const uint8_t *s = row + (b / 8) * (five ? 176 : 144);
        int sub = (int)(b % 8);
        uint8_t sc, m;
        sw_scale_min_k4(s + 4, sub, &sc, &m);
        float dl = sw_half_at(s) * (float)sc, nml = -(sw_half_at(s + 2) * (float)m);
        memcpy(blk + 4 * r, &dl, 4);
        memcpy(blk + 64 + 4 * r, &nml, 4);
        const uint8_t *qh = s + 16, *qs = s + (five ? 48 : 16) + (sub / 2) * 32;
        for (int k = 0; k < 32; k++)
            q[k] = (uint8_t)(((qs[k] >> (4 * (sub % 2))) & 0x0F) | (five ? ((qh[k] >> sub) & 1) << 4 : 0));
        return;
    }
    if (type == SW_U4_B32) {
        // F32 scale d and zero z: w = d * q - z * d, Q4_K's header arithmetic (d1 q - m1)
        const uint8_t *s = row + b * 24;
        float d, z;
        memcpy(&d, s, 4);
        memcpy(&z, s + 4, 4);
        float nm = -(z * d);
        memcpy(blk + 4 * r, &d, 4);
        memcpy(blk + 64 + 4 * r, &nm, 4);
        for (int k = 0; k < 32; k++) q[k] = (uint8_t)(k < 16 ? s[8 + k] & 0x0F : s[8 + k - 16] >> 4);
        return;
    }
    const int blockIn = sw_type_size(type), hasMin = sw_q4_has_min(type);
    const uint8_t *s = row + b * blockIn, *qs = s + blockIn - 16;
    memcpy(blk + 2 * r, s, 2);                       // d
    if (hasMin) memcpy(blk + 32 + 2 * r, s + 2, 2);  // m
    // Q5: bit k of the 32-bit qh after the scales is element k's fifth bit
    uint32_t qh = sw_q4_five(type) ? sw_u32(s + 2 + 2 * hasMin) : 0;
    // low nibbles are elements 0..15, high nibbles 16..31
    for (int k = 0; k < 32; k++)
        q[k] = (uint8_t)((k < 16 ? qs[k] & 0x0F : qs[k - 16] >> 4) | ((qh >> k) & 1u) << 4);
}

static void sw_q4_pack(int type, const uint8_t *src, int64_t rows, int64_t cols, uint8_t *out) {
    const int header = sw_q4_header_bytes(type), bits = sw_q4_high_bits(type);
    const int64_t nb = cols / 32, groups = (rows + 15) / 16, rowBytes = cols / sw_block_size(type) * sw_type_size(type);
    for (int64_t g = 0; g < groups; g++)
        for (int64_t b = 0; b < nb; b++) {
            uint8_t *blk = out + (g * nb + b) * sw_q4_block_bytes(type);
            memset(blk, 0, (size_t)sw_q4_block_bytes(type));
            for (int r = 0; r < 16; r++) {
                int64_t row = g * 16 + r;
                if (row >= rows) continue;  // padding: zero scales, minimums and quants
                uint8_t q[32];
                sw_q4_source(type, src + row * rowBytes, b, q, blk, r);
                int h = r / 8, i = r % 8;
                for (int c = 0; c < 2; c++) {
                    uint16_t planes[4] = {0, 0, 0, 0};  // high bits, indexed by quad j
                    for (int j = 0; j < 4; j++) {
                        uint16_t lane = 0;
                        for (int p = 0; p < 4; p++) {
                            int k = 8 * j + 2 * p + c;
                            lane |= (uint16_t)((q[k] & 0x0F) << (4 * p));
                            planes[j] |= (uint16_t)((q[k] >> 4) << sw_q4_high_bit(type, j, p));
                        }
                        memcpy(blk + header + (2 * j + h) * 32 + 2 * (2 * i + c), &lane, 2);
                    }
                    // quads sharing a plane (all four for Q5, pairs for Q6_K) set disjoint bits
                    for (int j = 0; bits && j < 4; j++) {
                        uint8_t *at = blk + sw_q4_high_byte(type, j) + 32 * h + 2 * (2 * i + c);
                        uint16_t plane = (uint16_t)(sw_u16(at) | planes[j]);
                        memcpy(at, &plane, 2);
                    }
                }
            }
        }
}

void sw_pack(int type, const void *src, int64_t rows, int64_t cols, void *dst) {
    if (type == SW_Q8_0 || type == SW_I8_B32) sw_q8_pack_type(type, src, rows, cols, dst);
    else if (type == SW_F8_E4M3_B32) sw_f8_pack(src, rows, cols, dst);
    else sw_q4_pack(type, (const uint8_t *)src, rows, cols, (uint8_t *)dst);
}

/// Quant of row 8h+i, column 8j+2p+c of a packed block (the low nibble and the high bits).
static int sw_q4_quant_at(int type, const uint8_t *blk, int h, int i, int j, int p, int c) {
    const int lane = 2 * (2 * i + c), bits = sw_q4_high_bits(type);
    int q = (sw_u16(blk + sw_q4_header_bytes(type) + (2 * j + h) * 32 + lane) >> (4 * p)) & 0xF;
    if (bits) q |= ((sw_u16(blk + sw_q4_high_byte(type, j) + 32 * h + lane) >> sw_q4_high_bit(type, j, p)) & ((1 << bits) - 1)) << 4;
    return q;
}

/// The reference arithmetic: row r (0..<16) of a group, one token.
static float sw_q4_dot_scalar(int type, const uint8_t *group, int r, int64_t cols, const uint8_t *xt) {
    const int h = r / 8, i = r % 8, phases = sw_q4_phases(type);
    float acc = 0.0f;
    for (int64_t b = 0; b < cols / 32; b++) {
        const uint8_t *blk = group + b * sw_q4_block_bytes(type);
        float dx = sw_q8_scale(xt, cols, b);
        for (int ph = 0; ph < phases; ph++) {
            int32_t isum = 0;
            for (int j = 4 / phases * ph; j < 4 / phases * (ph + 1); j++)
                for (int c = 0; c < 2; c++)
                    for (int p = 0; p < 4; p++) {
                        int16_t q;
                        memcpy(&q, xt + 2 * (32 * b + 8 * j + 2 * p + c), 2);
                        isum += (int32_t)sw_q4_quant_at(type, blk, h, i, j, p, c) * q;
                    }
            int32_t sx = sw_q4_phase_sum(type, xt, cols, b, ph);
            float scale = sw_q4_scale_at(type, blk, ph, r) * dx;
            if (sw_q4_has_min(type)) {
                acc = fmaf((float)isum, scale, acc);
                acc = fmaf(sw_q4_min_at(type, blk, r), dx * (float)sx, acc);
            } else {
                acc = fmaf((float)(isum - sw_q4_offset(type) * sx), scale, acc);
            }
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
    if (type == SW_Q8_0 || type == SW_I8_B32) {
        sw_matmul_q8_rows_type(isa, type, packed, cols, rowStart, rowEnd, xq, numTokens, y, ldy);
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
