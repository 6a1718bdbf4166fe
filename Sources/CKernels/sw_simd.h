// Width-generic SIMD mapping of the x86 kernels: the same vector operations at 8 lanes (AVX2 +
// FMA + F16C, names sw8_*) and at 16 lanes (AVX-512, names sw16_*), so a kernel that is the same
// algorithm at both widths is written once. Such a body lives in a *_body.h file that is
// included once per width with SW_W defined as 8 or 16 (sw_each_width.h does both); inside it
// SWV(op) is the width's operation, SWF / SWM its float vector and lane-mask types, SW_TARGET
// its function attribute, and SWX(name) gives a per-width name (name_avx2, name_avx512).
//
// Each operation is one instruction, or the fixed sequence that width's kernels used before they
// shared a body. The horizontal sums and maxima, the transpose-sum of W vectors and the 2^n
// scaling keep each width's own order and instructions, so every output keeps its bits (the two
// widths still differ from each other in the last bits, as they always have).
#ifndef SWIFTLET_SW_SIMD_H
#define SWIFTLET_SW_SIMD_H
#include "sw_internal.h"

#if SW_X86
#define SW_CAT_(a, b) a##b
#define SW_CAT(a, b) SW_CAT_(a, b)
#define SW_TARGET_8 SW_AVX2
#define SW_TARGET_16 SW_AVX512
#define SW_ISA_8 avx2
#define SW_ISA_16 avx512
_Static_assert(SW_KV_F32 == SW_F32 && SW_KV_F16 == SW_F16 && SW_KV_BF16 == SW_BF16,
               "load_as takes either kind of element type");
// Selected by SW_W where a body expands them.
#define SW_TARGET SW_CAT(SW_TARGET_, SW_W)
#define SWV(op) SW_CAT(SW_CAT(sw, SW_W), _##op)
#define SWF SWV(f)
#define SWM SWV(m)
#define SWX(name) SW_CAT(name##_, SW_CAT(SW_ISA_, SW_W))

/// The operations that are one instruction at either width: W lanes, intrinsics prefix P.
/// fmadd(a, b, c) = a * b + c and fnmadd(a, b, c) = c - a * b, each with one rounding.
#define SW_SIMD_BASIC(W, P)                                                                       \
    SW_TARGET_##W SW_INLINE sw##W##_f sw##W##_zero(void) { return P##_setzero_ps(); }             \
    SW_TARGET_##W SW_INLINE sw##W##_f sw##W##_set1(float a) { return P##_set1_ps(a); }            \
    SW_TARGET_##W SW_INLINE sw##W##_f sw##W##_load(const float *p) { return P##_loadu_ps(p); }    \
    SW_TARGET_##W SW_INLINE void sw##W##_store(float *p, sw##W##_f v) { P##_storeu_ps(p, v); }    \
    SW_TARGET_##W SW_INLINE sw##W##_f sw##W##_add(sw##W##_f a, sw##W##_f b) { return P##_add_ps(a, b); } \
    SW_TARGET_##W SW_INLINE sw##W##_f sw##W##_sub(sw##W##_f a, sw##W##_f b) { return P##_sub_ps(a, b); } \
    SW_TARGET_##W SW_INLINE sw##W##_f sw##W##_mul(sw##W##_f a, sw##W##_f b) { return P##_mul_ps(a, b); } \
    SW_TARGET_##W SW_INLINE sw##W##_f sw##W##_min(sw##W##_f a, sw##W##_f b) { return P##_min_ps(a, b); } \
    SW_TARGET_##W SW_INLINE sw##W##_f sw##W##_max(sw##W##_f a, sw##W##_f b) { return P##_max_ps(a, b); } \
    SW_TARGET_##W SW_INLINE sw##W##_f sw##W##_fmadd(sw##W##_f a, sw##W##_f b, sw##W##_f c) {     \
        return P##_fmadd_ps(a, b, c);                                                             \
    }                                                                                             \
    SW_TARGET_##W SW_INLINE sw##W##_f sw##W##_fnmadd(sw##W##_f a, sw##W##_f b, sw##W##_f c) {    \
        return P##_fnmadd_ps(a, b, c);                                                            \
    }

/// W elements from element i of a row of floats (SW_F32), IEEE halves (SW_F16) or bfloat16
/// (SW_BF16), widened to float (kind: a constant after inlining; SW_KV_* have the same values).
#define SW_SIMD_LOAD_AS(W)                                                                        \
    SW_TARGET_##W SW_INLINE sw##W##_f sw##W##_load_as(const void *p, int64_t i, const int kind) { \
        if (kind == SW_F16) return sw##W##_load_f16((const uint16_t *)p + i);                    \
        if (kind == SW_BF16) return sw##W##_load_bf16((const uint16_t *)p + i);                  \
        if (kind == SW_KV_FP8_E4M3) return sw##W##_load_e4m3((const uint8_t *)p + i);            \
        if (kind == SW_KV_FP8_E5M2) return sw##W##_load_e5m2((const uint8_t *)p + i);            \
        return sw##W##_load((const float *)p + i);                                                \
    }

// ---- 8 lanes: AVX2 ---------------------------------------------------------------------------
typedef __m256 sw8_f;
typedef __m256i sw8_m;  // lane mask: all ones in the selected lanes

SW_SIMD_BASIC(8, _mm256)

/// Nearest integer, ties to even.
SW_AVX2 SW_INLINE sw8_f sw8_round(sw8_f x) { return _mm256_round_ps(x, _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC); }
/// p * 2^n for integral n in [-126, 127]: 2^n built in the exponent bits, then one multiply.
SW_AVX2 SW_INLINE sw8_f sw8_ldexp(sw8_f p, sw8_f n) {
    __m256i bits = _mm256_slli_epi32(_mm256_add_epi32(_mm256_cvtps_epi32(n), _mm256_set1_epi32(127)), 23);
    return _mm256_mul_ps(p, _mm256_castsi256_ps(bits));
}
/// Sum of the 8 lanes: halves, then pairs, then the last two.
SW_AVX2 SW_INLINE float sw8_hsum(sw8_f v) {
    __m128 s = _mm_add_ps(_mm256_castps256_ps128(v), _mm256_extractf128_ps(v, 1));
    s = _mm_add_ps(s, _mm_movehl_ps(s, s));
    s = _mm_add_ss(s, _mm_movehdup_ps(s));
    return _mm_cvtss_f32(s);
}
/// Largest of the 8 lanes, in the order of sw8_hsum.
SW_AVX2 SW_INLINE float sw8_hmax(sw8_f v) {
    __m128 m = _mm_max_ps(_mm256_castps256_ps128(v), _mm256_extractf128_ps(v, 1));
    m = _mm_max_ps(m, _mm_movehl_ps(m, m));
    m = _mm_max_ss(m, _mm_movehdup_ps(m));
    return _mm_cvtss_f32(m);
}
/// Horizontal sums of d[0..7] as one vector (lane j = sum of d[j]), by a fixed tree of hadds.
SW_AVX2 SW_INLINE sw8_f sw8_hsum_each(const sw8_f *d) {
    __m256 u0 = _mm256_hadd_ps(_mm256_hadd_ps(d[0], d[1]), _mm256_hadd_ps(d[2], d[3]));
    __m256 u1 = _mm256_hadd_ps(_mm256_hadd_ps(d[4], d[5]), _mm256_hadd_ps(d[6], d[7]));
    return _mm256_add_ps(_mm256_permute2f128_ps(u0, u1, 0x20), _mm256_permute2f128_ps(u0, u1, 0x31));
}
/// 8 IEEE halves at p, widened (vcvtph2ps).
SW_AVX2 SW_INLINE sw8_f sw8_load_f16(const uint16_t *p) { return _mm256_cvtph_ps(_mm_loadu_si128((const __m128i *)p)); }
/// 8 bfloat16 at p, widened (the 16 bits shifted into the top of each lane).
SW_AVX2 SW_INLINE sw8_f sw8_load_bf16(const uint16_t *p) {
    return _mm256_castsi256_ps(_mm256_slli_epi32(_mm256_cvtepu16_epi32(_mm_loadu_si128((const __m128i *)p)), 16));
}
/// 8 E4M3 bytes at p, widened exactly as sw_e4m3: magnitude bits placed as a half's (0x7E00
/// or-ed into NaN codes), vcvtph2ps, times 256.
SW_AVX2 SW_INLINE sw8_f sw8_load_e4m3(const uint8_t *p) {
    __m128i b = _mm_cvtepu8_epi16(_mm_loadl_epi64((const __m128i *)p)), magnitude = _mm_and_si128(b, _mm_set1_epi16(0x7F));
    __m128i h = _mm_or_si128(_mm_slli_epi16(magnitude, 7), _mm_slli_epi16(_mm_and_si128(b, _mm_set1_epi16(0x80)), 8));
    __m128i nan = _mm_and_si128(_mm_cmpeq_epi16(magnitude, _mm_set1_epi16(0x7F)), _mm_set1_epi16(0x7E00));
    return _mm256_mul_ps(_mm256_cvtph_ps(_mm_or_si128(h, nan)), _mm256_set1_ps(256.0f));
}
/// 8 E5M2 bytes at p, widened (each the upper byte of a half).
SW_AVX2 SW_INLINE sw8_f sw8_load_e5m2(const uint8_t *p) {
    return _mm256_cvtph_ps(_mm_slli_epi16(_mm_cvtepu8_epi16(_mm_loadl_epi64((const __m128i *)p)), 8));
}
SW_SIMD_LOAD_AS(8)
/// v as 8 IEEE halves at p, rounded to nearest even (vcvtps2ph).
SW_AVX2 SW_INLINE void sw8_store_f16(uint16_t *p, sw8_f v) {
    _mm_storeu_si128((__m128i *)p, _mm256_cvtps_ph(v, _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC));
}
/// Lanes j < n.
SW_AVX2 SW_INLINE sw8_m sw8_first(int n) {
    return _mm256_cmpgt_epi32(_mm256_set1_epi32(n), _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7));
}
/// Lanes lo <= j < n.
SW_AVX2 SW_INLINE sw8_m sw8_range(int64_t lo, int64_t n) {
    __m256i lane = _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7);
    return _mm256_and_si256(_mm256_cmpgt_epi32(lane, _mm256_set1_epi32((int)lo - 1)),
                            _mm256_cmpgt_epi32(_mm256_set1_epi32((int)n), lane));
}
/// The lanes of m from p, zeros elsewhere (lanes outside m are not read).
SW_AVX2 SW_INLINE sw8_f sw8_load_tail(const float *p, sw8_m m) { return _mm256_maskload_ps(p, m); }
/// a in the lanes of m, b elsewhere.
SW_AVX2 SW_INLINE sw8_f sw8_select(sw8_m m, sw8_f a, sw8_f b) { return _mm256_blendv_ps(b, a, _mm256_castsi256_ps(m)); }
/// a in the lanes of m, zero elsewhere.
SW_AVX2 SW_INLINE sw8_f sw8_keep(sw8_m m, sw8_f a) { return _mm256_and_ps(a, _mm256_castsi256_ps(m)); }

// ---- 16 lanes: AVX-512 -----------------------------------------------------------------------
typedef __m512 sw16_f;
typedef __mmask16 sw16_m;

SW_SIMD_BASIC(16, _mm512)

SW_AVX512 SW_INLINE sw16_f sw16_round(sw16_f x) { return _mm512_roundscale_ps(x, _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC); }
/// p * 2^n (vscalefps).
SW_AVX512 SW_INLINE sw16_f sw16_ldexp(sw16_f p, sw16_f n) { return _mm512_scalef_ps(p, n); }
SW_AVX512 SW_INLINE float sw16_hsum(sw16_f v) { return _mm512_reduce_add_ps(v); }
SW_AVX512 SW_INLINE float sw16_hmax(sw16_f v) { return _mm512_reduce_max_ps(v); }
/// Horizontal sums of d[0..15] as one vector (lane j = sum of d[j]), by a fixed shuffle tree.
SW_AVX512 SW_INLINE sw16_f sw16_hsum_each(const sw16_f *d) {
    __m512 l1[8], l2[4], l3[2];
    for (int p = 0; p < 8; p++)
        l1[p] = _mm512_add_ps(_mm512_shuffle_f32x4(d[2 * p], d[2 * p + 1], _MM_SHUFFLE(1, 0, 1, 0)),
                              _mm512_shuffle_f32x4(d[2 * p], d[2 * p + 1], _MM_SHUFFLE(3, 2, 3, 2)));
    for (int p = 0; p < 4; p++)
        l2[p] = _mm512_add_ps(_mm512_shuffle_f32x4(l1[2 * p], l1[2 * p + 1], _MM_SHUFFLE(2, 0, 2, 0)),
                              _mm512_shuffle_f32x4(l1[2 * p], l1[2 * p + 1], _MM_SHUFFLE(3, 1, 3, 1)));
    for (int p = 0; p < 2; p++)
        l3[p] = _mm512_add_ps(_mm512_shuffle_ps(l2[2 * p], l2[2 * p + 1], _MM_SHUFFLE(1, 0, 1, 0)),
                              _mm512_shuffle_ps(l2[2 * p], l2[2 * p + 1], _MM_SHUFFLE(3, 2, 3, 2)));
    __m512 s = _mm512_add_ps(_mm512_shuffle_ps(l3[0], l3[1], _MM_SHUFFLE(2, 0, 2, 0)),
                             _mm512_shuffle_ps(l3[0], l3[1], _MM_SHUFFLE(3, 1, 3, 1)));
    // the tree leaves key j in lane (j % 4) * 4 + j / 4; this permutation is its own inverse
    const __m512i order = _mm512_setr_epi32(0, 4, 8, 12, 1, 5, 9, 13, 2, 6, 10, 14, 3, 7, 11, 15);
    return _mm512_permutexvar_ps(order, s);
}
SW_AVX512 SW_INLINE sw16_f sw16_load_f16(const uint16_t *p) { return _mm512_cvtph_ps(_mm256_loadu_si256((const __m256i *)p)); }
SW_AVX512 SW_INLINE sw16_f sw16_load_bf16(const uint16_t *p) {
    return _mm512_castsi512_ps(_mm512_slli_epi32(_mm512_cvtepu16_epi32(_mm256_loadu_si256((const __m256i *)p)), 16));
}
/// 16 E4M3 bytes at p, widened as sw8_load_e4m3.
SW_AVX512 SW_INLINE sw16_f sw16_load_e4m3(const uint8_t *p) {
    __m256i b = _mm256_cvtepu8_epi16(_mm_loadu_si128((const __m128i *)p)), magnitude = _mm256_and_si256(b, _mm256_set1_epi16(0x7F));
    __m256i h = _mm256_or_si256(_mm256_slli_epi16(magnitude, 7), _mm256_slli_epi16(_mm256_and_si256(b, _mm256_set1_epi16(0x80)), 8));
    __m256i nan = _mm256_and_si256(_mm256_cmpeq_epi16(magnitude, _mm256_set1_epi16(0x7F)), _mm256_set1_epi16(0x7E00));
    return _mm512_mul_ps(_mm512_cvtph_ps(_mm256_or_si256(h, nan)), _mm512_set1_ps(256.0f));
}
/// 16 E5M2 bytes at p, widened (each the upper byte of a half).
SW_AVX512 SW_INLINE sw16_f sw16_load_e5m2(const uint8_t *p) {
    return _mm512_cvtph_ps(_mm256_slli_epi16(_mm256_cvtepu8_epi16(_mm_loadu_si128((const __m128i *)p)), 8));
}
SW_SIMD_LOAD_AS(16)
SW_AVX512 SW_INLINE void sw16_store_f16(uint16_t *p, sw16_f v) {
    _mm256_storeu_si256((__m256i *)p, _mm512_cvtps_ph(v, _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC));
}
SW_AVX512 SW_INLINE sw16_m sw16_first(int n) { return (__mmask16)((1u << n) - 1); }
SW_AVX512 SW_INLINE sw16_m sw16_range(int64_t lo, int64_t n) { return (__mmask16)(((1u << n) - 1) & ~((1u << lo) - 1)); }
SW_AVX512 SW_INLINE sw16_f sw16_load_tail(const float *p, sw16_m m) { return _mm512_maskz_loadu_ps(m, p); }
/// Masked 16-bit loads (AVX-512 BW; the 8-lane set has none).
SW_AVX512 SW_INLINE sw16_f sw16_load_f16_tail(const uint16_t *p, sw16_m m) { return _mm512_cvtph_ps(_mm256_maskz_loadu_epi16(m, p)); }
SW_AVX512 SW_INLINE sw16_f sw16_load_bf16_tail(const uint16_t *p, sw16_m m) {
    return _mm512_castsi512_ps(_mm512_slli_epi32(_mm512_cvtepu16_epi32(_mm256_maskz_loadu_epi16(m, p)), 16));
}
SW_AVX512 SW_INLINE sw16_f sw16_select(sw16_m m, sw16_f a, sw16_f b) { return _mm512_mask_mov_ps(b, m, a); }
SW_AVX512 SW_INLINE sw16_f sw16_keep(sw16_m m, sw16_f a) { return _mm512_maskz_mov_ps(m, a); }
#endif
#endif
