// Portable scalar dequantization of every weight type (ggml-common.h block layouts). The
// arithmetic order of each formula is GGML's, so results are bit-exact with gguf-py; fused
// multiply-add contraction is off for that reason.
#include "sw_internal.h"
#pragma STDC FP_CONTRACT OFF

static const int kBlockSize[SW_NUM_TYPES] = {1, 1, 1, 32, 32, 32, 32, 32, 256, 256, 256, 256, 256};
static const int kTypeSize[SW_NUM_TYPES] = {4, 2, 2, 18, 20, 22, 24, 34, 84, 110, 144, 176, 210};

int sw_block_size(int type) { return (type >= 0 && type < SW_NUM_TYPES) ? kBlockSize[type] : 0; }
int sw_type_size(int type) { return (type >= 0 && type < SW_NUM_TYPES) ? kTypeSize[type] : 0; }

static void dq_q4_0(const uint8_t *b, float *y) {
    float d = sw_half_at(b);
    for (int j = 0; j < 16; j++) {
        y[j] = d * (float)((b[2 + j] & 0x0F) - 8);
        y[j + 16] = d * (float)((b[2 + j] >> 4) - 8);
    }
}

static void dq_q4_1(const uint8_t *b, float *y) {
    float d = sw_half_at(b), m = sw_half_at(b + 2);
    for (int j = 0; j < 16; j++) {
        y[j] = d * (float)(b[4 + j] & 0x0F) + m;
        y[j + 16] = d * (float)(b[4 + j] >> 4) + m;
    }
}

static void dq_q5_0(const uint8_t *b, float *y) {
    float d = sw_half_at(b);
    uint32_t qh = sw_u32(b + 2);
    for (int j = 0; j < 16; j++) {
        int lo = (b[6 + j] & 0x0F) | (int)(((qh >> j) & 1) << 4);
        int hi = (b[6 + j] >> 4) | (int)(((qh >> (j + 16)) & 1) << 4);
        y[j] = d * (float)(lo - 16);
        y[j + 16] = d * (float)(hi - 16);
    }
}

static void dq_q5_1(const uint8_t *b, float *y) {
    float d = sw_half_at(b), m = sw_half_at(b + 2);
    uint32_t qh = sw_u32(b + 4);
    for (int j = 0; j < 16; j++) {
        int lo = (b[8 + j] & 0x0F) | (int)(((qh >> j) & 1) << 4);
        int hi = (b[8 + j] >> 4) | (int)(((qh >> (j + 16)) & 1) << 4);
        y[j] = d * (float)lo + m;
        y[j + 16] = d * (float)hi + m;
    }
}

static void dq_q8_0(const uint8_t *b, float *y) {
    float d = sw_half_at(b);
    for (int j = 0; j < 32; j++) y[j] = d * (float)(int8_t)b[2 + j];
}

static void dq_q2_K(const uint8_t *b, float *y) {
    float d = sw_half_at(b + 80), dmin = sw_half_at(b + 82);
    for (int g = 0; g < 16; g++) {
        uint8_t sc = b[g];
        float dl = d * (float)(sc & 0x0F), ml = dmin * (float)(sc >> 4);
        int half = g / 8, slice = (g % 8) / 2, part = g % 2;
        const uint8_t *qs = b + 16 + half * 32 + part * 16;
        for (int l = 0; l < 16; l++) y[g * 16 + l] = dl * (float)((qs[l] >> (2 * slice)) & 3) - ml;
    }
}

static void dq_q3_K(const uint8_t *b, float *y) {
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

static void dq_q4_K(const uint8_t *b, float *y) {
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

static void dq_q5_K(const uint8_t *b, float *y) {
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

static void dq_q6_K(const uint8_t *b, float *y) {
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

typedef void (*sw_block_fn)(const uint8_t *, float *);

void sw_dequantize_scalar(int type, const void *src, int64_t count, float *dst) {
    const uint8_t *s = (const uint8_t *)src;
    switch (type) {
    case SW_F32: memcpy(dst, src, (size_t)count * 4); return;
    case SW_F16: for (int64_t i = 0; i < count; i++) dst[i] = sw_half_at(s + 2 * i); return;
    case SW_BF16: for (int64_t i = 0; i < count; i++) dst[i] = sw_bf16(sw_u16(s + 2 * i)); return;
    default: break;
    }
    static const sw_block_fn fns[SW_NUM_TYPES] = {
        0, 0, 0, dq_q4_0, dq_q4_1, dq_q5_0, dq_q5_1, dq_q8_0,
        dq_q2_K, dq_q3_K, dq_q4_K, dq_q5_K, dq_q6_K,
    };
    if (type < 0 || type >= SW_NUM_TYPES) return;
    sw_block_fn fn = fns[type];
    int64_t bs = kBlockSize[type], ts = kTypeSize[type], nb = count / bs;
    for (int64_t i = 0; i < nb; i++) fn(s + i * ts, dst + i * bs);
}

void sw_dequantize(int isa, int type, const void *src, int64_t count, float *dst) {
#if SW_X86
    if (isa == SW_ISA_AVX512) { sw_dequantize_avx512(type, src, count, dst); return; }
    if (isa == SW_ISA_AVX2) { sw_dequantize_avx2(type, src, count, dst); return; }
#endif
    (void)isa;
    sw_dequantize_scalar(type, src, count, dst);
}
