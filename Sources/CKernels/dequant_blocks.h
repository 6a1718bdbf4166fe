// Block dequantizers of every quantized type (ggml-common.h layouts, GGML's formulas in
// GGML's order). Included by the scalar file and instantiated per instruction set by the
// SIMD file, where the compiler vectorizes the same arithmetic (contraction stays off, so
// every path is bit-exact with the scalar one).
#ifndef SWIFTLET_DEQUANT_BLOCKS_H
#define SWIFTLET_DEQUANT_BLOCKS_H
#include "kv_elements.h"
#include "sw_internal.h"
#pragma STDC FP_CONTRACT OFF

SW_INLINE void dq_q4_0(const uint8_t *b, float *y) {
    float d = sw_half_at(b);
    for (int j = 0; j < 16; j++) {
        y[j] = d * (float)((b[2 + j] & 0x0F) - 8);
        y[j + 16] = d * (float)((b[2 + j] >> 4) - 8);
    }
}

SW_INLINE void dq_q4_1(const uint8_t *b, float *y) {
    float d = sw_half_at(b), m = sw_half_at(b + 2);
    for (int j = 0; j < 16; j++) {
        y[j] = d * (float)(b[4 + j] & 0x0F) + m;
        y[j + 16] = d * (float)(b[4 + j] >> 4) + m;
    }
}

SW_INLINE void dq_q5_0(const uint8_t *b, float *y) {
    float d = sw_half_at(b);
    uint32_t qh = sw_u32(b + 2);
    for (int j = 0; j < 16; j++) {
        int lo = (b[6 + j] & 0x0F) | (int)(((qh >> j) & 1) << 4);
        int hi = (b[6 + j] >> 4) | (int)(((qh >> (j + 16)) & 1) << 4);
        y[j] = d * (float)(lo - 16);
        y[j + 16] = d * (float)(hi - 16);
    }
}

SW_INLINE void dq_q5_1(const uint8_t *b, float *y) {
    float d = sw_half_at(b), m = sw_half_at(b + 2);
    uint32_t qh = sw_u32(b + 4);
    for (int j = 0; j < 16; j++) {
        int lo = (b[8 + j] & 0x0F) | (int)(((qh >> j) & 1) << 4);
        int hi = (b[8 + j] >> 4) | (int)(((qh >> (j + 16)) & 1) << 4);
        y[j] = d * (float)lo + m;
        y[j + 16] = d * (float)hi + m;
    }
}

SW_INLINE void dq_q8_0(const uint8_t *b, float *y) {
    float d = sw_half_at(b);
    for (int j = 0; j < 32; j++) y[j] = d * (float)(int8_t)b[2 + j];
}

SW_INLINE void dq_q2_K(const uint8_t *b, float *y) {
    float d = sw_half_at(b + 80), dmin = sw_half_at(b + 82);
    for (int g = 0; g < 16; g++) {
        uint8_t sc = b[g];
        float dl = d * (float)(sc & 0x0F), ml = dmin * (float)(sc >> 4);
        int half = g / 8, slice = (g % 8) / 2, part = g % 2;
        const uint8_t *qs = b + 16 + half * 32 + part * 16;
        for (int l = 0; l < 16; l++) y[g * 16 + l] = dl * (float)((qs[l] >> (2 * slice)) & 3) - ml;
    }
}

SW_INLINE void dq_q3_K(const uint8_t *b, float *y) {
    float d = sw_half_at(b + 108);
    const uint8_t *hmask = b, *scales = b + 96;
    for (int g = 0; g < 16; g++) {
        uint8_t lowByte = scales[g % 8];
        int low = g < 8 ? (lowByte & 0x0F) : (lowByte >> 4);
        int high = (scales[8 + g % 4] >> (2 * (g / 4))) & 3;
        float dl = d * (float)((low | (high << 4)) - 32);
        int half = g / 8, slice = (g % 8) / 2, part = g % 2;
        const uint8_t *qs = b + 32 + half * 32 + part * 16;
        int hbit = half * 4 + slice;
        for (int l = 0; l < 16; l++) {
            int q = (qs[l] >> (2 * slice)) & 3;
            int offset = ((hmask[part * 16 + l] >> hbit) & 1) ? 0 : 4;
            y[g * 16 + l] = dl * (float)(q - offset);
        }
    }
}

SW_INLINE void dq_q4_K(const uint8_t *b, float *y) {
    float d = sw_half_at(b), dmin = sw_half_at(b + 2);
    for (int sub = 0; sub < 8; sub++) {
        uint8_t sc, mn;
        sw_scale_min_k4(b + 4, sub, &sc, &mn);
        float dl = d * (float)sc, ml = dmin * (float)mn;
        const uint8_t *qs = b + 16 + (sub / 2) * 32;
        int shift = 4 * (sub % 2);
        for (int l = 0; l < 32; l++) y[sub * 32 + l] = dl * (float)((qs[l] >> shift) & 0x0F) - ml;
    }
}

SW_INLINE void dq_q5_K(const uint8_t *b, float *y) {
    float d = sw_half_at(b), dmin = sw_half_at(b + 2);
    const uint8_t *qh = b + 16;
    for (int sub = 0; sub < 8; sub++) {
        uint8_t sc, mn;
        sw_scale_min_k4(b + 4, sub, &sc, &mn);
        float dl = d * (float)sc, ml = dmin * (float)mn;
        const uint8_t *qs = b + 48 + (sub / 2) * 32;
        int shift = 4 * (sub % 2);
        for (int l = 0; l < 32; l++) {
            int q = ((qs[l] >> shift) & 0x0F) | (((qh[l] >> sub) & 1) << 4);
            y[sub * 32 + l] = dl * (float)q - ml;
        }
    }
}

SW_INLINE void dq_q6_K(const uint8_t *b, float *y) {
    float d = sw_half_at(b + 208);
    const int8_t *scales = (const int8_t *)(b + 192);
    for (int half = 0; half < 2; half++) {
        const uint8_t *ql = b + half * 64, *qh = b + 128 + half * 32;
        for (int slice = 0; slice < 4; slice++) {
            int nibbleShift = 4 * (slice / 2), highShift = 2 * slice;
            for (int l = 0; l < 32; l++) {
                int low = (ql[l + 32 * (slice % 2)] >> nibbleShift) & 0x0F;
                int high = (qh[l] >> highShift) & 3;
                int index = half * 128 + slice * 32 + l;
                y[index] = (d * (float)scales[index / 16]) * (float)((low | (high << 4)) - 32);
            }
        }
    }
}

/// SW_F8_E4M3_B32: an F32 scale, then 32 E4M3 codes; each value float(code) * scale, one rounding
/// (compressed-tensors' decompression: the code widened to the scale's F32, then multiplied).
SW_INLINE void dq_f8_e4m3_b32(const uint8_t *s, float *y) {
    float d;
    memcpy(&d, s, 4);
    for (int i = 0; i < 32; i++) y[i] = sw_e4m3(s[4 + i]) * d;
}

/// SW_I8_B32: an F32 scale, then 32 signed codes; each value float(code) * scale (compressed-tensors'
/// and GPTQ's decompression order: the code converted to the scale's type, then multiplied).
SW_INLINE void dq_i8_b32(const uint8_t *s, float *y) {
    float d;
    memcpy(&d, s, 4);
    for (int i = 0; i < 32; i++) y[i] = (float)(int8_t)s[4 + i] * d;
}

/// SW_U4_B32: F32 scale, F32 zero point, 16 bytes of nibbles (element j low, j + 16 high); each
/// value (float(code) - zero) * scale, the zero point subtracted before the scale as the
/// producing tools' dequantizers do.
SW_INLINE void dq_u4_b32(const uint8_t *s, float *y) {
    float d, z;
    memcpy(&d, s, 4);
    memcpy(&z, s + 4, 4);
    for (int j = 0; j < 16; j++) {
        y[j] = ((float)(s[8 + j] & 0x0F) - z) * d;
        y[j + 16] = ((float)(s[8 + j] >> 4) - z) * d;
    }
}

/// Dequantizes `count` elements (a multiple of the block size) of a quantized type.
SW_INLINE void dq_blocks(int type, const uint8_t *s, int64_t count, float *dst) {
    switch (type) {
    case SW_Q4_0: for (int64_t i = 0; i < count / 32; i++) dq_q4_0(s + i * 18, dst + i * 32); break;
    case SW_Q4_1: for (int64_t i = 0; i < count / 32; i++) dq_q4_1(s + i * 20, dst + i * 32); break;
    case SW_Q5_0: for (int64_t i = 0; i < count / 32; i++) dq_q5_0(s + i * 22, dst + i * 32); break;
    case SW_Q5_1: for (int64_t i = 0; i < count / 32; i++) dq_q5_1(s + i * 24, dst + i * 32); break;
    case SW_Q8_0: for (int64_t i = 0; i < count / 32; i++) dq_q8_0(s + i * 34, dst + i * 32); break;
    case SW_Q2_K: for (int64_t i = 0; i < count / 256; i++) dq_q2_K(s + i * 84, dst + i * 256); break;
    case SW_Q3_K: for (int64_t i = 0; i < count / 256; i++) dq_q3_K(s + i * 110, dst + i * 256); break;
    case SW_Q4_K: for (int64_t i = 0; i < count / 256; i++) dq_q4_K(s + i * 144, dst + i * 256); break;
    case SW_Q5_K: for (int64_t i = 0; i < count / 256; i++) dq_q5_K(s + i * 176, dst + i * 256); break;
    case SW_Q6_K: for (int64_t i = 0; i < count / 256; i++) dq_q6_K(s + i * 210, dst + i * 256); break;
    case SW_F8_E4M3_B32: for (int64_t i = 0; i < count / 32; i++) dq_f8_e4m3_b32(s + i * 36, dst + i * 32); break;
    case SW_I8_B32: for (int64_t i = 0; i < count / 32; i++) dq_i8_b32(s + i * 36, dst + i * 32); break;
    case SW_U4_B32: for (int64_t i = 0; i < count / 32; i++) dq_u4_b32(s + i * 24, dst + i * 32); break;
    default: break;
    }
}
#endif
