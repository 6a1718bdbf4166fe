// The KV cache write: float rows converted to the cache's element type. AVX-512 and F16C
// convert 16 / 8 values per instruction (vcvtps2ph with round-to-nearest-even); BF16 rounds
// in integer lanes exactly as sw_float_to_bf16, so every path gives the same bits. (The
// AVX512_BF16 instruction vcvtneps2bf16 is not used: it flushes subnormals to zero.)
#include "kv_elements.h"
#include "sw_neon.h"
#include "sw_simd.h"

#if SW_X86
/// BF16 with AVX-512: 16 values at a time, rounded in integer lanes; returns how many were done.
SW_AVX512 SW_INLINE int64_t kv_bf16_16(const float *src, uint16_t *d, int64_t count) {
    int64_t i = 0;
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
    return i;
}
/// BF16 with AVX2: no vector path (all values go one at a time).
SW_AVX2 SW_INLINE int64_t kv_bf16_8(const float *src, uint16_t *d, int64_t count) {
    (void)src, (void)d, (void)count;
    return 0;
}

/// The write at W lanes: F16 W values per vcvtps2ph, BF16 by the width's kv_bf16_W, and each
/// tail one value at a time.
#define SW_KV_STORE(W)                                                                            \
    SW_TARGET_##W static void kv_store_##W(int dtype, const float *src, void *dst, int64_t count) { \
        uint16_t *d = (uint16_t *)dst;                                                            \
        int64_t i = 0;                                                                            \
        if (dtype == SW_KV_F16) {                                                                 \
            for (; i + W <= count; i += W) sw##W##_store_f16(d + i, sw##W##_load(src + i));       \
            for (; i < count; i++) d[i] = sw_float_to_half(src[i]);                               \
            return;                                                                               \
        }                                                                                         \
        for (i = kv_bf16_##W(src, d, count); i < count; i++) d[i] = sw_float_to_bf16(src[i]);     \
    }
SW_KV_STORE(8)
SW_KV_STORE(16)
#endif

#if defined(__aarch64__)
/// The write with NEON: F16 4 values per fcvtn (round to nearest even; NaNs quieted with their top
/// payload bits, as sw_float_to_half), BF16 rounded in integer lanes as sw_float_to_bf16.
static void kv_store_neon(int dtype, const float *src, uint16_t *d, int64_t count) {
    int64_t i = 0;
    if (dtype == SW_KV_F16) {
        for (; i + 4 <= count; i += 4) vst1_u16(d + i, vreinterpret_u16_f16(vcvt_f16_f32(vld1q_f32(src + i))));
        for (; i < count; i++) d[i] = sw_float_to_half(src[i]);
        return;
    }
    for (; i + 4 <= count; i += 4) {
        uint32x4_t u = vld1q_u32((const uint32_t *)(src + i)), high = vshrq_n_u32(u, 16);
        uint32x4_t r = vshrq_n_u32(vaddq_u32(u, vaddq_u32(vdupq_n_u32(0x7FFF), vandq_u32(high, vdupq_n_u32(1)))), 16);
        uint32x4_t nan = vcgtq_u32(vandq_u32(u, vdupq_n_u32(0x7FFFFFFF)), vdupq_n_u32(0x7F800000));
        vst1_u16(d + i, vmovn_u32(vbslq_u32(nan, vorrq_u32(high, vdupq_n_u32(0x40)), r)));
    }
    for (; i < count; i++) d[i] = sw_float_to_bf16(src[i]);
}
#endif

void sw_kv_store(int isa, int dtype, const float *src, void *dst, int64_t count) {
    if (dtype == SW_KV_F32) { memcpy(dst, src, (size_t)count * 4); return; }
    // FP8: one value at a time on every ISA (a KV row is a few hundred values per token)
    if (dtype == SW_KV_FP8_E4M3) {
        for (int64_t i = 0; i < count; i++) ((uint8_t *)dst)[i] = sw_float_to_e4m3(src[i]);
        return;
    }
    if (dtype == SW_KV_FP8_E5M2) {
        for (int64_t i = 0; i < count; i++) ((uint8_t *)dst)[i] = sw_float_to_e5m2(src[i]);
        return;
    }
#if SW_X86
    if (isa == SW_ISA_AVX512) { kv_store_16(dtype, src, dst, count); return; }
    if (isa == SW_ISA_AVX2) { kv_store_8(dtype, src, dst, count); return; }
#endif
#if defined(__aarch64__)
    if (isa == SW_ISA_NEON) { kv_store_neon(dtype, src, (uint16_t *)dst, count); return; }
#endif
    (void)isa;
    uint16_t *d = (uint16_t *)dst;
    if (dtype == SW_KV_F16) for (int64_t i = 0; i < count; i++) d[i] = sw_float_to_half(src[i]);
    else for (int64_t i = 0; i < count; i++) d[i] = sw_float_to_bf16(src[i]);
}
