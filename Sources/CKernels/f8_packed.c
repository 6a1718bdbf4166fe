// FP8 E4M3 weights against F32 activations (layout in f8_packed.h): packing at load and the
// scalar kernel that the AVX2 kernel matches bit for bit.
#include "f8_packed.h"
#pragma STDC FP_CONTRACT OFF

int64_t sw_f8_packed_bytes(int64_t rows, int64_t cols) { return (rows + 15) / 16 * (cols / 32) * SW_F8_GROUP_BLOCK; }

int sw_f8_packable(const void *src, int64_t rows, int64_t cols) {
    const uint8_t *in = (const uint8_t *)src;
    for (int64_t blk = 0; blk < rows * (cols / 32); blk++)
        for (int k = 0; k < 32; k++)
            if ((in[36 * blk + 4 + k] & 0x7F) == 0x7F) return 0;
    return 1;
}

void sw_f8_pack(const void *src, int64_t rows, int64_t cols, void *dst) {
    const uint8_t *in = (const uint8_t *)src;
    uint8_t *out = (uint8_t *)dst;
    int64_t nb = cols / 32, groups = (rows + 15) / 16;
    for (int64_t g = 0; g < groups; g++)
        for (int64_t b = 0; b < nb; b++) {
            uint8_t *blk = out + (g * nb + b) * SW_F8_GROUP_BLOCK;
            for (int r = 0; r < 16; r++) {
                int64_t row = g * 16 + r;
                const uint8_t *s = row < rows ? in + (row * nb + b) * 36 : NULL;
                float d = 0.0f;
                if (s) memcpy(&d, s, 4);
                d *= 256.0f;  // exact: a power of two
                memcpy(blk + 4 * r, &d, 4);
                for (int k = 0; k < 32; k++) blk[64 + (k / 2) * 32 + (k % 2) * 16 + r] = s ? s[4 + k] : 0;
            }
        }
}

/// The reference arithmetic: row r (0..<16) of a group, one token.
static float sw_f8_dot_scalar(const uint8_t *group, int r, int64_t cols, const float *x) {
    float acc = 0.0f;
    for (int64_t b = 0; b < cols / 32; b++) {
        const uint8_t *blk = group + b * SW_F8_GROUP_BLOCK;
        float d, e = 0.0f, o = 0.0f;
        memcpy(&d, blk + 4 * r, 4);
        for (int j = 0; j < 16; j++) {
            e = fmaf(sw_half(sw_f8_half_bits(blk[64 + 32 * j + r])), x[32 * b + 2 * j], e);
            o = fmaf(sw_half(sw_f8_half_bits(blk[64 + 32 * j + 16 + r])), x[32 * b + 2 * j + 1], o);
        }
        acc = fmaf(e + o, d, acc);
    }
    return acc;
}

void sw_matmul_f8_rows(int isa, const void *packed, int64_t cols, int64_t rowStart, int64_t rowEnd,
                       const float *x, int64_t numTokens, float *y, int64_t ldy, float *scratch) {
    const uint8_t *w = (const uint8_t *)packed;
#if SW_X86
    if (isa == SW_ISA_AVX2 || isa == SW_ISA_AVX512) {
        sw_f8_groups_avx2(w, cols, rowStart, rowEnd, x, numTokens, y, ldy, scratch);
        return;
    }
#endif
    (void)isa;
    (void)scratch;
    int64_t groupBytes = (cols / 32) * SW_F8_GROUP_BLOCK;
    for (int64_t r = rowStart; r < rowEnd; r++)
        for (int64_t t = 0; t < numTokens; t++)
            y[t * ldy + r] = sw_f8_dot_scalar(w + (r / 16) * groupBytes, (int)(r % 16), cols, x + t * cols);
}
