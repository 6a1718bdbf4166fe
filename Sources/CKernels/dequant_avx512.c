// AVX-512 dequantize-row entry: dq32_512 (dequant_avx512.h) 32 elements at a time.
// Types without a hand-written version (Q2_K, Q3_K) use the compiler-vectorized blocks.
#include "dequant_avx512.h"

#if SW_X86
/// Whether dq32_512 handles `type`.
static int has_dq32_512(int type) { return type != SW_Q2_K && type != SW_Q3_K; }

SW_AVX512 void sw_dequantize_avx512(int type, const void *src, int64_t count, float *dst) {
    const uint8_t *s = (const uint8_t *)src;
    if (!has_dq32_512(type)) { dq_blocks(type, s, count, dst); return; }
    int64_t e = 0;
    for (; e + 32 <= count; e += 32) {
        __m512 v[2];
        dq32_512(type, s, e, v);
        _mm512_storeu_ps(dst + e, v[0]);
        _mm512_storeu_ps(dst + e + 16, v[1]);
    }
    // float types: a tail shorter than 32
    for (; e < count; e++)
        dst[e] = type == SW_F16 ? sw_half_at(s + 2 * e)
               : type == SW_BF16 ? sw_bf16(sw_u16(s + 2 * e)) : ((const float *)s)[e];
}

#endif
