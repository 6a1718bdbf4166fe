// The KV cache write: float rows converted to the cache's element type. AVX-512 and F16C
// convert 16 / 8 values per instruction (vcvtps2ph with round-to-nearest-even); BF16 rounds
// in integer lanes exactly as sw_float_to_bf16, so every path gives the same bits. (The
// AVX512_BF16 instruction vcvtneps2bf16 is not used: it flushes subnormals to zero.)
#include "kv_elements.h"

#if SW_X86
SW_AVX512 static void kv_store_avx512(int dtype, const float *src, void *dst, int64_t count) {
    uint16_t *d = (uint16_t *)dst;
    int64_t i = 0;
    if (dtype == SW_KV_F16) {
        for (; i + 16 <= count; i += 16)
            _mm256_storeu_si256((__m256i *)(d + i),
                                _mm512_cvtps_ph(_mm512_loadu_ps(src + i), _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC));
        for (; i < count; i++) d[i] = sw_float_to_half(src[i]);
        return;
    }
    for (; i + 16 <= count; i += 16) {
        __m512 v = _mm512_loadu_ps(src + i);
        __m512i u = _mm512_castps_si512(v), high = _mm512_srli_epi32(u, 16);
        __m512i r = _mm512_add_epi32(u, _mm512_add_epi32(_mm512_set1_epi32(0x7FFF),
                                                         _mm512_and_si512(high, _mm512_set1_epi32(1))));
        r = _mm512_srli_epi32(r, 16);
        __mmask16 nan = _mm512_cmp_ps_mask(v, v, _CMP_UNORD_Q);
        r = _mm512_mask_mov_epi32(r, nan, _mm512_or_si512(high, _mm512_set1_epi32(0x40)));
        _mm256_storeu_si256((__m256i *)(d + i), _mm512_cvtepi32_epi16(r));
    }
    for (; i < count; i++) d[i] = sw_float_to_bf16(src[i]);
}

SW_AVX2 static void kv_store_avx2(int dtype, const float *src, void *dst, int64_t count) {
    uint16_t *d = (uint16_t *)dst;
    int64_t i = 0;
    if (dtype == SW_KV_F16) {
        for (; i + 8 <= count; i += 8)
            _mm_storeu_si128((__m128i *)(d + i),
                             _mm256_cvtps_ph(_mm256_loadu_ps(src + i), _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC));
        for (; i < count; i++) d[i] = sw_float_to_half(src[i]);
        return;
    }
    for (; i < count; i++) d[i] = sw_float_to_bf16(src[i]);
}
#endif

void sw_kv_store(int isa, int dtype, const float *src, void *dst, int64_t count) {
    if (dtype == SW_KV_F32) { memcpy(dst, src, (size_t)count * 4); return; }
#if SW_X86
    if (isa == SW_ISA_AVX512) { kv_store_avx512(dtype, src, dst, count); return; }
    if (isa == SW_ISA_AVX2) { kv_store_avx2(dtype, src, dst, count); return; }
#endif
    (void)isa;
    uint16_t *d = (uint16_t *)dst;
    if (dtype == SW_KV_F16) for (int64_t i = 0; i < count; i++) d[i] = sw_float_to_half(src[i]);
    else for (int64_t i = 0; i < count; i++) d[i] = sw_float_to_bf16(src[i]);
}
