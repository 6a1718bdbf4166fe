// Portable scalar dequantization of every weight type (ggml-common.h block layouts). The
// arithmetic order of each formula is GGML's, so results are bit-exact with gguf-py; fused
// multiply-add contraction is off for that reason.
#include "dequant_blocks.h"
#pragma STDC FP_CONTRACT OFF

static const int kBlockSize[SW_NUM_TYPES] = {1, 1, 1, 32, 32, 32, 32, 32, 256, 256, 256, 256, 256, 32, 32, 32};
static const int kTypeSize[SW_NUM_TYPES] = {4, 2, 2, 18, 20, 22, 24, 34, 84, 110, 144, 176, 210, 36, 36, 24};

int sw_block_size(int type) { return (type >= 0 && type < SW_NUM_TYPES) ? kBlockSize[type] : 0; }
int sw_type_size(int type) { return (type >= 0 && type < SW_NUM_TYPES) ? kTypeSize[type] : 0; }

void sw_dequantize_scalar(int type, const void *src, int64_t count, float *dst) {
    const uint8_t *s = (const uint8_t *)src;
    switch (type) {
    case SW_F32: memcpy(dst, src, (size_t)count * 4); return;
    case SW_F16: for (int64_t i = 0; i < count; i++) dst[i] = sw_half_at(s + 2 * i); return;
    case SW_BF16: for (int64_t i = 0; i < count; i++) dst[i] = sw_bf16(sw_u16(s + 2 * i)); return;
    default: dq_blocks(type, s, count, dst); return;
    }
}

void sw_dequantize(int isa, int type, const void *src, int64_t count, float *dst) {
#if SW_X86
    if (isa == SW_ISA_AVX512) { sw_dequantize_avx512(type, src, count, dst); return; }
    if (isa == SW_ISA_AVX2) { sw_dequantize_avx2(type, src, count, dst); return; }
#endif
#if defined(__aarch64__)
    if (isa == SW_ISA_NEON) { sw_dequantize_neon(type, src, count, dst); return; }
#endif
    (void)isa;
    sw_dequantize_scalar(type, src, count, dst);
}
