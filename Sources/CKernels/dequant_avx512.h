// AVX-512 dequantization of 32 elements at a time into two vectors, shared by the
// dequantize-row entry (dequant_simd.c) and the fused decode matmuls (matvec_*avx512.c).
// Formulas and their order match the scalar path (multiply, then add/subtract; no FMA), so
// values are bit-identical with it.
#ifndef SWIFTLET_DEQUANT_AVX512_H
#define SWIFTLET_DEQUANT_AVX512_H
#include "dequant_blocks.h"
#include "sw_simd.h"

#if SW_X86
SW_AVX512 SW_INLINE float h2f(const uint8_t *p) { return _cvtsh_ss(sw_u16(p)); }
SW_AVX512 SW_INLINE __m128i ld16(const uint8_t *p) { return _mm_loadu_si128((const __m128i *)p); }

/// Elements e..e+31 of a row of `type` (e a multiple of 32) into v[0], v[1].
SW_AVX512 SW_INLINE void dq32_512(int type, const uint8_t *row, int64_t e, __m512 *v) {
    const __m128i low4 = _mm_set1_epi8(0x0F);
    switch (type) {
    case SW_Q4_0: case SW_Q4_1: {
        // The 16 possible values of the block (d q + m, or d (q - 8)) computed once, then
        // looked up by nibble: permutexvar reads only the low 4 bits of each index lane.
        int legacy1 = type == SW_Q4_1;
        const uint8_t *b = row + (e / 32) * (legacy1 ? 20 : 18);
        __m512i q = _mm512_cvtepu8_epi32(ld16(b + (legacy1 ? 4 : 2)));
        const __m512 nibbles = _mm512_setr_ps(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15);
        __m512 d = _mm512_set1_ps(h2f(b)), table;
        if (legacy1) table = _mm512_add_ps(_mm512_mul_ps(d, nibbles), _mm512_set1_ps(h2f(b + 2)));
        else table = _mm512_mul_ps(d, _mm512_sub_ps(nibbles, _mm512_set1_ps(8)));
        v[0] = _mm512_permutexvar_ps(q, table);
        v[1] = _mm512_permutexvar_ps(_mm512_srli_epi32(q, 4), table);
        return;
    }
    case SW_Q5_0: case SW_Q5_1: {
        int legacy1 = type == SW_Q5_1;
        const uint8_t *b = row + (e / 32) * (legacy1 ? 24 : 22);
        uint32_t qh = sw_u32(b + (legacy1 ? 4 : 2));
        __m512i q = _mm512_cvtepu8_epi32(ld16(b + (legacy1 ? 8 : 6)));
        __m512i sixteen = _mm512_set1_epi32(16);
        __m512i lo = _mm512_and_si512(q, _mm512_set1_epi32(15)), hi = _mm512_srli_epi32(q, 4);
        lo = _mm512_mask_add_epi32(lo, (__mmask16)(qh & 0xFFFF), lo, sixteen);
        hi = _mm512_mask_add_epi32(hi, (__mmask16)(qh >> 16), hi, sixteen);
        __m512 d = _mm512_set1_ps(h2f(b));
        if (legacy1) {
            __m512 m = _mm512_set1_ps(h2f(b + 2));
            v[0] = _mm512_add_ps(_mm512_mul_ps(d, _mm512_cvtepi32_ps(lo)), m);
            v[1] = _mm512_add_ps(_mm512_mul_ps(d, _mm512_cvtepi32_ps(hi)), m);
        } else {
            v[0] = _mm512_mul_ps(d, _mm512_cvtepi32_ps(_mm512_sub_epi32(lo, sixteen)));
            v[1] = _mm512_mul_ps(d, _mm512_cvtepi32_ps(_mm512_sub_epi32(hi, sixteen)));
        }
        return;
    }
    case SW_F8_E4M3_B32: {
        const uint8_t *b = row + (e / 32) * 36;
        float d;
        memcpy(&d, b, 4);
        v[0] = _mm512_mul_ps(sw16_load_e4m3(b + 4), _mm512_set1_ps(d));
        v[1] = _mm512_mul_ps(sw16_load_e4m3(b + 20), _mm512_set1_ps(d));
        return;
    }
    case SW_I8_B32: {
        const uint8_t *b = row + (e / 32) * 36;
        float d;
        memcpy(&d, b, 4);
        v[0] = _mm512_mul_ps(_mm512_cvtepi32_ps(_mm512_cvtepi8_epi32(ld16(b + 4))), _mm512_set1_ps(d));
        v[1] = _mm512_mul_ps(_mm512_cvtepi32_ps(_mm512_cvtepi8_epi32(ld16(b + 20))), _mm512_set1_ps(d));
        return;
    }
    case SW_U4_B32: {
        const uint8_t *b = row + (e / 32) * 24;
        float d, z;
        memcpy(&d, b, 4);
        memcpy(&z, b + 4, 4);
        __m512i q = _mm512_cvtepu8_epi32(ld16(b + 8));
        __m512 zv = _mm512_set1_ps(z), dv = _mm512_set1_ps(d);
        __m512i lo = _mm512_and_si512(q, _mm512_set1_epi32(15)), hi = _mm512_srli_epi32(q, 4);
        v[0] = _mm512_mul_ps(_mm512_sub_ps(_mm512_cvtepi32_ps(lo), zv), dv);
        v[1] = _mm512_mul_ps(_mm512_sub_ps(_mm512_cvtepi32_ps(hi), zv), dv);
        return;
    }
    case SW_Q8_0: {
        const uint8_t *b = row + (e / 32) * 34;
        __m512 d = _mm512_set1_ps(h2f(b));
        v[0] = _mm512_mul_ps(d, _mm512_cvtepi32_ps(_mm512_cvtepi8_epi32(ld16(b + 2))));
        v[1] = _mm512_mul_ps(d, _mm512_cvtepi32_ps(_mm512_cvtepi8_epi32(ld16(b + 18))));
        return;
    }
    case SW_Q4_K: case SW_Q5_K: {
        int five = type == SW_Q5_K;
        const uint8_t *b = row + (e / 256) * (five ? 176 : 144);
        int sub = (int)((e % 256) / 32);
        uint8_t sc, mn;
        sw_scale_min_k4(b + 4, sub, &sc, &mn);
        __m512 dl = _mm512_set1_ps(h2f(b) * (float)sc), ml = _mm512_set1_ps(h2f(b + 2) * (float)mn);
        const uint8_t *qs = b + (five ? 48 : 16) + (sub / 2) * 32;
        int shift = 4 * (sub % 2);
        for (int i = 0; i < 2; i++) {
            __m128i q = _mm_and_si128(_mm_srli_epi16(ld16(qs + 16 * i), shift), low4);
            __m512i qi = _mm512_cvtepu8_epi32(q);
            if (five) {
                __m512i h = _mm512_cvtepu8_epi32(ld16(b + 16 + 16 * i));
                h = _mm512_and_si512(_mm512_srli_epi32(h, (unsigned)sub), _mm512_set1_epi32(1));
                qi = _mm512_or_si512(qi, _mm512_slli_epi32(h, 4));
            }
            v[i] = _mm512_sub_ps(_mm512_mul_ps(dl, _mm512_cvtepi32_ps(qi)), ml);
        }
        return;
    }
    case SW_Q6_K: {
        const uint8_t *b = row + (e / 256) * 210;
        int within = (int)(e % 256), half = within / 128, slice = (within % 128) / 32;
        float d = h2f(b + 208);
        const uint8_t *ql = b + half * 64 + 32 * (slice % 2), *qh = b + 128 + half * 32;
        for (int i = 0; i < 2; i++) {
            __m512i low = _mm512_cvtepu8_epi32(ld16(ql + 16 * i));
            low = _mm512_and_si512(_mm512_srli_epi32(low, (unsigned)(4 * (slice / 2))), _mm512_set1_epi32(15));
            __m512i high = _mm512_cvtepu8_epi32(ld16(qh + 16 * i));
            high = _mm512_and_si512(_mm512_srli_epi32(high, (unsigned)(2 * slice)), _mm512_set1_epi32(3));
            __m512i q = _mm512_sub_epi32(_mm512_or_si512(low, _mm512_slli_epi32(high, 4)), _mm512_set1_epi32(32));
            float scale = d * (float)(int8_t)b[192 + (within + 16 * i) / 16];
            v[i] = _mm512_mul_ps(_mm512_set1_ps(scale), _mm512_cvtepi32_ps(q));
        }
        return;
    }
    default:  // SW_F16, SW_BF16, SW_F32
        v[0] = sw16_load_as(row, e, type);
        v[1] = sw16_load_as(row, e + 16, type);
        return;
    }
}

/// The 16-lane dequantizer of the width-generic bodies (sw_simd.h).
#define SW_DQ_16 dq32_512

#endif
#endif
