// AVX2 and AVX-512 dequantizers: the block formulas of dequant_blocks.h compiled for each
// set (the compiler vectorizes them; FMA contraction stays off so results equal the scalar
// path bit for bit), and F16/BF16 rows with vector conversions. F16C converts signaling NaNs
// to quiet ones; every other half (finite, infinite, quiet NaN) converts exactly as in scalar.
#include "dequant_blocks.h"
#pragma STDC FP_CONTRACT OFF

#if SW_X86
SW_AVX2 void sw_dequantize_avx2(int type, const void *src, int64_t count, float *dst) {
    const uint8_t *s = (const uint8_t *)src;
    int64_t i = 0;
    switch (type) {
    case SW_F32: memcpy(dst, src, (size_t)count * 4); return;
    case SW_F16:
        for (; i + 8 <= count; i += 8)
            _mm256_storeu_ps(dst + i, _mm256_cvtph_ps(_mm_loadu_si128((const __m128i *)(s + 2 * i))));
        for (; i < count; i++) dst[i] = sw_half_at(s + 2 * i);
        return;
    case SW_BF16:
        for (; i + 8 <= count; i += 8) {
            __m256i v = _mm256_cvtepu16_epi32(_mm_loadu_si128((const __m128i *)(s + 2 * i)));
            _mm256_storeu_ps(dst + i, _mm256_castsi256_ps(_mm256_slli_epi32(v, 16)));
        }
        for (; i < count; i++) dst[i] = sw_bf16(sw_u16(s + 2 * i));
        return;
    default: dq_blocks(type, s, count, dst); return;
    }
}

SW_AVX512 void sw_dequantize_avx512(int type, const void *src, int64_t count, float *dst) {
    const uint8_t *s = (const uint8_t *)src;
    int64_t i = 0;
    switch (type) {
    case SW_F32: memcpy(dst, src, (size_t)count * 4); return;
    case SW_F16:
        for (; i + 16 <= count; i += 16)
            _mm512_storeu_ps(dst + i, _mm512_cvtph_ps(_mm256_loadu_si256((const __m256i *)(s + 2 * i))));
        for (; i < count; i++) dst[i] = sw_half_at(s + 2 * i);
        return;
    case SW_BF16:
        for (; i + 16 <= count; i += 16) {
            __m512i v = _mm512_cvtepu16_epi32(_mm256_loadu_si256((const __m256i *)(s + 2 * i)));
            _mm512_storeu_ps(dst + i, _mm512_castsi512_ps(_mm512_slli_epi32(v, 16)));
        }
        for (; i < count; i++) dst[i] = sw_bf16(sw_u16(s + 2 * i));
        return;
    default: dq_blocks(type, s, count, dst); return;
    }
}
#endif
