// Q8_0 weights against 16-bit activations (layouts in q8_packed.h): packing at load, the
// activation quantizer and the scalar kernel that the SIMD kernels match bit for bit.
#include "q8_packed.h"
#include <float.h>
#include <math.h>
#pragma STDC FP_CONTRACT OFF

int64_t sw_q8_packed_bytes(int64_t rows, int64_t cols) {
    return (rows + 15) / 16 * (cols / 32) * SW_Q8_GROUP_BLOCK;
}

int64_t sw_q8_act_bytes(int64_t cols) { return SW_Q8_ACT_BYTES(cols); }

void sw_q8_pack(const void *q8_0, int64_t rows, int64_t cols, void *dst) {
    sw_q8_pack_type(SW_Q8_0, q8_0, rows, cols, dst);
}

void sw_q8_pack_type(int type, const void *src, int64_t rows, int64_t cols, void *dst) {
    const uint8_t *in = (const uint8_t *)src;
    uint8_t *out = (uint8_t *)dst;
    const int header = sw_q8_header_bytes(type), scaleBytes = header / 16, blockIn = sw_type_size(type);
    int64_t nb = cols / 32, groups = (rows + 15) / 16;
    for (int64_t g = 0; g < groups; g++)
        for (int64_t b = 0; b < nb; b++) {
            uint8_t *blk = out + (g * nb + b) * sw_q8_group_block(type);
            for (int r = 0; r < 16; r++) {
                int64_t row = g * 16 + r;
                const uint8_t *s = row < rows ? in + (row * nb + b) * blockIn : NULL;
                // the scale's bytes as stored (f16, or f32 for SW_I8_B32), then the quants
                for (int k = 0; k < scaleBytes; k++) blk[scaleBytes * r + k] = s ? s[k] : 0;
                for (int k = 0; k < 32; k++) blk[header + (k / 2) * 32 + r * 2 + k % 2] = s ? s[scaleBytes + k] : 0;
            }
        }
}

/// max |x| of 32 floats, as the maximum of the magnitudes' bit patterns (an integer maximum,
/// so no order or NaN convention is involved; a NaN gives a NaN).
static float sw_q8_block_max(const float *x) {
    uint32_t m = 0;
    for (int k = 0; k < 32; k++) {
        uint32_t bits;
        memcpy(&bits, x + k, 4);
        bits &= 0x7FFFFFFFu;
        if (bits > m) m = bits;
    }
    return sw_bits_float(m);
}

static void sw_q8_quantize_scalar(const float *x, int64_t numTokens, int64_t cols, uint8_t *xq) {
    int64_t nb = cols / 32;
    for (int64_t t = 0; t < numTokens; t++) {
        const float *xt = x + t * cols;
        uint8_t *q = xq + t * SW_Q8_ACT_BYTES(cols);
        for (int64_t b = 0; b < nb; b++) {
            float d = sw_q8_block_max(xt + 32 * b) / 32767.0f;
            // zero, subnormal (1 / d overflows) or NaN d: every q is 0 or clamped
            float id = d >= FLT_MIN ? 1.0f / d : 0.0f;
            for (int k = 0; k < 32; k++) {
                float v = xt[32 * b + k] * id;
                v = v > -32767.0f ? v : -32767.0f;  // as vmaxps(v, -32767): NaN gives -32767
                v = v < 32767.0f ? v : 32767.0f;
                int16_t qi = (int16_t)nearbyintf(v);  // ties to even, as vcvtps2dq
                memcpy(q + 2 * (32 * b + k), &qi, 2);
            }
            memcpy(q + sw_q8_scale_offset(cols, b), &d, 4);
            sw_q8_store_sum(q, cols, b);
        }
    }
}

void sw_q8_quantize(int isa, const float *x, int64_t numTokens, int64_t cols, void *xq) {
#if SW_X86
    if (isa == SW_ISA_AVX512) { sw_q8_quantize_avx512(x, numTokens, cols, (uint8_t *)xq); return; }
#endif
#if defined(__aarch64__)
    if (isa == SW_ISA_NEON) { sw_q8_quantize_neon(x, numTokens, cols, (uint8_t *)xq); return; }
#endif
    (void)isa;
    sw_q8_quantize_scalar(x, numTokens, cols, (uint8_t *)xq);
}

/// The reference arithmetic: one row, one token.
static float sw_q8_dot_scalar(int type, const uint8_t *group, int r, int64_t cols, const uint8_t *xt) {
    const int header = sw_q8_header_bytes(type);
    float acc = 0.0f;
    for (int64_t b = 0; b < cols / 32; b++) {
        const uint8_t *blk = group + b * sw_q8_group_block(type);
        int32_t isum = 0;
        for (int k = 0; k < 32; k++) {
            int16_t q;
            memcpy(&q, xt + 2 * (32 * b + k), 2);
            isum += (int32_t)(int8_t)blk[header + (k / 2) * 32 + r * 2 + k % 2] * q;
        }
        acc = fmaf((float)isum, sw_q8_weight_scale(type, blk, r) * sw_q8_scale(xt, cols, b), acc);
    }
    return acc;
}

void sw_matmul_q8_rows(int isa, const void *packed, int64_t cols, int64_t rowStart, int64_t rowEnd,
                       const void *xq, int64_t numTokens, float *y, int64_t ldy) {
    sw_matmul_q8_rows_type(isa, SW_Q8_0, packed, cols, rowStart, rowEnd, xq, numTokens, y, ldy);
}

void sw_matmul_q8_rows_type(int isa, int type, const void *packed, int64_t cols, int64_t rowStart, int64_t rowEnd,
                            const void *xq, int64_t numTokens, float *y, int64_t ldy) {
    const uint8_t *w = (const uint8_t *)packed, *x = (const uint8_t *)xq;
#if SW_X86
    if (isa == SW_ISA_AVX512 && sw_has_avx512_vnni()) {
        sw_q8_groups_avx512(type, w, cols, rowStart, rowEnd, x, numTokens, y, ldy);
        return;
    }
    if (isa == SW_ISA_AVX2 || isa == SW_ISA_AVX512) {
        sw_q8_groups_avx2(type, w, cols, rowStart, rowEnd, x, numTokens, y, ldy);
        return;
    }
#endif
    (void)isa;
    int64_t groupBytes = (cols / 32) * sw_q8_group_block(type);
    for (int64_t r = rowStart; r < rowEnd; r++)
        for (int64_t t = 0; t < numTokens; t++)
            y[t * ldy + r] = sw_q8_dot_scalar(type, w + (r / 16) * groupBytes, (int)(r % 16), cols,
                                              x + t * SW_Q8_ACT_BYTES(cols));
}
