// AVX2 dequantization: 16 elements at a time into two 8-lane vectors, shared by the
// dequantize-row entry (dequant_simd.c) and the fused decode matmul (matvec_avx2.c). Same
// formulas and order as the scalar path (no FMA), so values are bit-identical. Q2_K and Q3_K use
// the compiler-vectorized blocks.
#ifndef SWIFTLET_DEQUANT_AVX2_H
#define SWIFTLET_DEQUANT_AVX2_H
#include "dequant_blocks.h"
#include "sw_simd.h"

#if SW_X86
SW_AVX2 SW_INLINE float h2f2(const uint8_t *p) { return _cvtsh_ss(sw_u16(p)); }
/// The half at p, converted, in all 8 lanes: the value of _mm256_set1_ps(h2f2(p)), built from a
/// broadcast of the half so no instruction merges into a stale register (with one loop per
/// type, _cvtsh_ss's vpinsrw merged into the previous step's result and chained the steps).
SW_AVX2 SW_INLINE __m256 h2f2x8(const uint8_t *p) { return _mm256_cvtph_ps(_mm_set1_epi16((short)sw_u16(p))); }
SW_AVX2 SW_INLINE __m128i ld16b(const uint8_t *p) { return _mm_loadu_si128((const __m128i *)p); }
/// 16 unsigned bytes -> two vectors of 8 int32.
SW_AVX2 SW_INLINE void u8to32(__m128i q, __m256i *a, __m256i *b) {
    *a = _mm256_cvtepu8_epi32(q);
    *b = _mm256_cvtepu8_epi32(_mm_srli_si128(q, 8));
}
/// Bits 0..15 of `bits` as 16 int32 lanes holding 0 or 16.
SW_AVX2 SW_INLINE void bits16(uint32_t bits, __m256i *a, __m256i *b) {
    const __m256i lanes = _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7), one = _mm256_set1_epi32(1);
    *a = _mm256_slli_epi32(_mm256_and_si256(_mm256_srlv_epi32(_mm256_set1_epi32((int)bits), lanes), one), 4);
    *b = _mm256_slli_epi32(_mm256_and_si256(_mm256_srlv_epi32(_mm256_set1_epi32((int)(bits >> 8)), lanes), one), 4);
}

/// Elements e..e+15 of a row of `type` (e a multiple of 16) into v[0], v[1].
SW_AVX2 SW_INLINE void dq16_256(int type, const uint8_t *row, int64_t e, __m256 *v) {
    const __m128i low4 = _mm_set1_epi8(0x0F);
    int part = (int)((e % 32) / 16);
    __m256i a, b;
    switch (type) {
    case SW_Q4_0: case SW_Q4_1: case SW_Q5_0: case SW_Q5_1: {
        int hasMin = type == SW_Q4_1 || type == SW_Q5_1, five = type == SW_Q5_0 || type == SW_Q5_1;
        int size = type == SW_Q4_0 ? 18 : type == SW_Q4_1 ? 20 : type == SW_Q5_0 ? 22 : 24;
        const uint8_t *blk = row + (e / 32) * size;
        int qsOffset = 2 + 2 * hasMin + 4 * five;
        __m128i q = ld16b(blk + qsOffset);
        q = part ? _mm_and_si128(_mm_srli_epi16(q, 4), low4) : _mm_and_si128(q, low4);
        u8to32(q, &a, &b);
        if (five) {
            __m256i ha, hb;
            bits16(sw_u32(blk + 2 + 2 * hasMin) >> (16 * part), &ha, &hb);
            a = _mm256_or_si256(a, ha);
            b = _mm256_or_si256(b, hb);
        }
        __m256 d = h2f2x8(blk);
        if (hasMin) {
            __m256 m = h2f2x8(blk + 2);
            v[0] = _mm256_add_ps(_mm256_mul_ps(d, _mm256_cvtepi32_ps(a)), m);
            v[1] = _mm256_add_ps(_mm256_mul_ps(d, _mm256_cvtepi32_ps(b)), m);
        } else {
            __m256i off = _mm256_set1_epi32(five ? 16 : 8);
            v[0] = _mm256_mul_ps(d, _mm256_cvtepi32_ps(_mm256_sub_epi32(a, off)));
            v[1] = _mm256_mul_ps(d, _mm256_cvtepi32_ps(_mm256_sub_epi32(b, off)));
        }
        return;
    }
    case SW_F8_E4M3_B32: {  // the codes widened as sw_e4m3 (exact), times the block's scale: the table's bits
        const uint8_t *blk = row + (e / 32) * 36;
        float d;
        memcpy(&d, blk, 4);
        v[0] = _mm256_mul_ps(sw8_load_e4m3(blk + 4 + 16 * part), _mm256_set1_ps(d));
        v[1] = _mm256_mul_ps(sw8_load_e4m3(blk + 12 + 16 * part), _mm256_set1_ps(d));
        return;
    }
    case SW_I8_B32: {
        const uint8_t *blk = row + (e / 32) * 36;
        float d;
        memcpy(&d, blk, 4);
        __m128i q = ld16b(blk + 4 + 16 * part);
        v[0] = _mm256_mul_ps(_mm256_cvtepi32_ps(_mm256_cvtepi8_epi32(q)), _mm256_set1_ps(d));
        v[1] = _mm256_mul_ps(_mm256_cvtepi32_ps(_mm256_cvtepi8_epi32(_mm_srli_si128(q, 8))), _mm256_set1_ps(d));
        return;
    }
    case SW_U4_B32: {
        const uint8_t *blk = row + (e / 32) * 24;
        float d, z;
        memcpy(&d, blk, 4);
        memcpy(&z, blk + 4, 4);
        __m128i q = ld16b(blk + 8);
        q = part ? _mm_and_si128(_mm_srli_epi16(q, 4), low4) : _mm_and_si128(q, low4);
        u8to32(q, &a, &b);
        __m256 zv = _mm256_set1_ps(z), dv = _mm256_set1_ps(d);
        v[0] = _mm256_mul_ps(_mm256_sub_ps(_mm256_cvtepi32_ps(a), zv), dv);
        v[1] = _mm256_mul_ps(_mm256_sub_ps(_mm256_cvtepi32_ps(b), zv), dv);
        return;
    }
    case SW_Q8_0: {
        const uint8_t *blk = row + (e / 32) * 34;
        __m128i q = ld16b(blk + 2 + 16 * part);
        __m256 d = h2f2x8(blk);
        v[0] = _mm256_mul_ps(d, _mm256_cvtepi32_ps(_mm256_cvtepi8_epi32(q)));
        v[1] = _mm256_mul_ps(d, _mm256_cvtepi32_ps(_mm256_cvtepi8_epi32(_mm_srli_si128(q, 8))));
        return;
    }
    case SW_Q4_K: case SW_Q5_K: {
        int five = type == SW_Q5_K;
        const uint8_t *blk = row + (e / 256) * (five ? 176 : 144);
        int sub = (int)((e % 256) / 32);
        uint8_t sc, mn;
        sw_scale_min_k4(blk + 4, sub, &sc, &mn);
        __m256 dl = _mm256_set1_ps(h2f2(blk) * (float)sc), ml = _mm256_set1_ps(h2f2(blk + 2) * (float)mn);
        __m128i q = ld16b(blk + (five ? 48 : 16) + (sub / 2) * 32 + 16 * part);
        q = _mm_and_si128(_mm_srli_epi16(q, 4 * (sub % 2)), low4);
        if (five) {
            __m128i h = _mm_and_si128(_mm_srli_epi16(ld16b(blk + 16 + 16 * part), sub), _mm_set1_epi8(1));
            q = _mm_or_si128(q, _mm_slli_epi16(h, 4));  // bytes stay < 32: no carry across bytes
        }
        u8to32(q, &a, &b);
        v[0] = _mm256_sub_ps(_mm256_mul_ps(dl, _mm256_cvtepi32_ps(a)), ml);
        v[1] = _mm256_sub_ps(_mm256_mul_ps(dl, _mm256_cvtepi32_ps(b)), ml);
        return;
    }
    case SW_Q6_K: {
        const uint8_t *blk = row + (e / 256) * 210;
        int within = (int)(e % 256), half = within / 128, slice = (within % 128) / 32, l0 = within % 32;
        __m128i lo = ld16b(blk + half * 64 + 32 * (slice % 2) + l0);
        lo = _mm_and_si128(_mm_srli_epi16(lo, 4 * (slice / 2)), low4);
        __m128i hi = _mm_and_si128(_mm_srli_epi16(ld16b(blk + 128 + half * 32 + l0), 2 * slice), _mm_set1_epi8(3));
        u8to32(_mm_or_si128(lo, _mm_slli_epi16(hi, 4)), &a, &b);
        __m256i off = _mm256_set1_epi32(32);
        __m256 scale = _mm256_set1_ps(h2f2(blk + 208) * (float)(int8_t)blk[192 + within / 16]);
        v[0] = _mm256_mul_ps(scale, _mm256_cvtepi32_ps(_mm256_sub_epi32(a, off)));
        v[1] = _mm256_mul_ps(scale, _mm256_cvtepi32_ps(_mm256_sub_epi32(b, off)));
        return;
    }
    default:  // SW_F16, SW_BF16, SW_F32
        v[0] = sw8_load_as(row, e, type);
        v[1] = sw8_load_as(row, e + 8, type);
        return;
    }
}

/// The 8-lane dequantizer of the width-generic bodies (sw_simd.h).
#define SW_DQ_8 dq16_256

#endif
#endif
