// AVX-512 dequantize-row entry: dq32_512 (dequant_avx512.h) 32 elements at a time, with one
// loop per type so the type switch is resolved once per row, not once per 32 elements.
// Types without a hand-written version (Q2_K, Q3_K) use the compiler-vectorized blocks.
#include "dequant_avx512.h"

#if SW_X86
/// Elements 0..<count / 32 * 32 of a row of the constant `type`; returns how many were done.
SW_AVX512 SW_INLINE int64_t dq_row_512(const int type, const uint8_t *s, int64_t count, float *dst) {
    int64_t e = 0;
    for (; e + 32 <= count; e += 32) {
        __m512 v[2];
        dq32_512(type, s, e, v);
        _mm512_storeu_ps(dst + e, v[0]);
        _mm512_storeu_ps(dst + e + 16, v[1]);
    }
    return e;
}

SW_AVX512 void sw_dequantize_avx512(int type, const void *src, int64_t count, float *dst) {
    const uint8_t *s = (const uint8_t *)src;
    int64_t e;
    switch (type) {
    case SW_Q4_0: e = dq_row_512(SW_Q4_0, s, count, dst); break;
    case SW_Q4_1: e = dq_row_512(SW_Q4_1, s, count, dst); break;
    case SW_Q5_0: e = dq_row_512(SW_Q5_0, s, count, dst); break;
    case SW_Q5_1: e = dq_row_512(SW_Q5_1, s, count, dst); break;
    case SW_Q8_0: e = dq_row_512(SW_Q8_0, s, count, dst); break;
    case SW_Q4_K: e = dq_row_512(SW_Q4_K, s, count, dst); break;
    case SW_Q5_K: e = dq_row_512(SW_Q5_K, s, count, dst); break;
    case SW_Q6_K: e = dq_row_512(SW_Q6_K, s, count, dst); break;
    case SW_F16: e = dq_row_512(SW_F16, s, count, dst); break;
    case SW_BF16: e = dq_row_512(SW_BF16, s, count, dst); break;
    case SW_F32: e = dq_row_512(SW_F32, s, count, dst); break;
    default: dq_blocks(type, s, count, dst); return;  // Q2_K, Q3_K
    }
    // float types: a tail shorter than 32
    for (; e < count; e++)
        dst[e] = type == SW_F16 ? sw_half_at(s + 2 * e)
               : type == SW_BF16 ? sw_bf16(sw_u16(s + 2 * e)) : ((const float *)s)[e];
}

#endif
