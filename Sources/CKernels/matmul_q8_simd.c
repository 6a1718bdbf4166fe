// Q8_0 (and I8_B32, its f32-scale twin) x 16-bit activation kernels (layouts in q8_packed.h). The 16 rows of a packed group
// are the 16 lanes of a vector, so the sums need no horizontal reduction and every row's
// float accumulation is the scalar kernel's: one fused multiply-add per block, in order.
#include <float.h>
#include "q8_packed.h"

#if SW_X86

// ---- AVX-512 VNNI: one group x up to 8 tokens, the block's weights widened once ----------
SW_AVX512_VNNI SW_INLINE void q8g512(const int type, const uint8_t *group, int64_t cols, const uint8_t *xq,
                                     float *y, int64_t ldy, __mmask16 rows, const int nt) {
    const int64_t nb = cols / 32, xs = SW_Q8_ACT_BYTES(cols), bb = sw_q8_group_block(type);
    const int header = sw_q8_header_bytes(type);
    __m512 acc[8];
    for (int t = 0; t < nt; t++) acc[t] = _mm512_setzero_ps();
    for (int64_t b = 0; b < nb; b++) {
        const uint8_t *blk = group + b * bb;
        // 8 blocks ahead (into the next group at the end; a prefetch never faults): the hardware
        // prefetcher alone left decode reading about 20% slower
        for (int l = 0; l < bb; l += 64) _mm_prefetch((const char *)blk + 8 * bb + l, _MM_HINT_T0);
        __m512 ws = type == SW_I8_B32 ? _mm512_loadu_ps((const float *)blk) : _mm512_cvtph_ps(_mm256_loadu_si256((const __m256i *)blk));
        __m512i wq[16];  // lane r: row r's quants of columns 2j, 2j+1 as int16
        for (int j = 0; j < 16; j++)
            wq[j] = _mm512_cvtepi8_epi16(_mm256_loadu_si256((const __m256i *)(blk + header + 32 * j)));
        for (int t = 0; t < nt; t++) {
            const uint8_t *xt = xq + t * xs + 64 * b;
            // four independent chains; integer sums are exact, so their split is free
            __m512i s[4] = {_mm512_setzero_si512(), _mm512_setzero_si512(), _mm512_setzero_si512(),
                            _mm512_setzero_si512()};
            for (int j = 0; j < 16; j++)
                s[j % 4] = _mm512_dpwssd_epi32(s[j % 4], wq[j], _mm512_set1_epi32((int)sw_u32(xt + 4 * j)));
            __m512i sum = _mm512_add_epi32(_mm512_add_epi32(s[0], s[1]), _mm512_add_epi32(s[2], s[3]));
            __m512 scale = _mm512_mul_ps(ws, _mm512_set1_ps(sw_q8_scale(xq + t * xs, cols, b)));
            acc[t] = _mm512_fmadd_ps(_mm512_cvtepi32_ps(sum), scale, acc[t]);
        }
    }
    for (int t = 0; t < nt; t++) _mm512_mask_storeu_ps(y + t * ldy, rows, acc[t]);
}

SW_AVX512_VNNI void sw_q8_groups_avx512(int type, const uint8_t *packed, int64_t cols, int64_t rowStart,
                                        int64_t rowEnd, const uint8_t *xq, int64_t numTokens,
                                        float *y, int64_t ldy) {
    const int64_t groupBytes = (cols / 32) * sw_q8_group_block(type), xs = SW_Q8_ACT_BYTES(cols);
    for (int64_t r = rowStart; r < rowEnd; r += 16) {
        int n = rowEnd - r < 16 ? (int)(rowEnd - r) : 16;
        __mmask16 rows = (__mmask16)((1u << n) - 1);
        const uint8_t *group = packed + (r / 16) * groupBytes;
        for (int64_t t = 0; t < numTokens; t += 8) {
            const uint8_t *x = xq + t * xs;
            float *yt = y + t * ldy + r;
            switch (numTokens - t < 8 ? (int)(numTokens - t) : 8) {
#define Q8_NT(N) case N: if (type == SW_I8_B32) q8g512(SW_I8_B32, group, cols, x, yt, ldy, rows, N); \
                      else q8g512(SW_Q8_0, group, cols, x, yt, ldy, rows, N); break;
            Q8_NT(1) Q8_NT(2) Q8_NT(3) Q8_NT(4) Q8_NT(5) Q8_NT(6) Q8_NT(7) Q8_NT(8)
#undef Q8_NT
            }
        }
    }
}

/// Quantizes activations (q8_packed.c's scalar rules, 32 columns at a time).
SW_AVX512 void sw_q8_quantize_avx512(const float *x, int64_t numTokens, int64_t cols, uint8_t *xq) {
    const int64_t nb = cols / 32;
    const __m512i magnitude = _mm512_set1_epi32(0x7FFFFFFF);
    const __m512 lo = _mm512_set1_ps(-32767.0f), hi = _mm512_set1_ps(32767.0f);
    for (int64_t t = 0; t < numTokens; t++) {
        const float *xt = x + t * cols;
        uint8_t *q = xq + t * SW_Q8_ACT_BYTES(cols);
        for (int64_t b = 0; b < nb; b++) {
            __m512 v0 = _mm512_loadu_ps(xt + 32 * b), v1 = _mm512_loadu_ps(xt + 32 * b + 16);
            __m512i m = _mm512_max_epu32(_mm512_and_si512(_mm512_castps_si512(v0), magnitude),
                                         _mm512_and_si512(_mm512_castps_si512(v1), magnitude));
            float d = sw_bits_float((uint32_t)_mm512_reduce_max_epu32(m)) / 32767.0f;
            float id = d >= FLT_MIN ? 1.0f / d : 0.0f;
            __m512 vid = _mm512_set1_ps(id);
            __m512i q0 = _mm512_cvtps_epi32(_mm512_min_ps(_mm512_max_ps(_mm512_mul_ps(v0, vid), lo), hi));
            __m512i q1 = _mm512_cvtps_epi32(_mm512_min_ps(_mm512_max_ps(_mm512_mul_ps(v1, vid), lo), hi));
            _mm256_storeu_si256((__m256i *)(q + 64 * b), _mm512_cvtepi32_epi16(q0));
            _mm256_storeu_si256((__m256i *)(q + 64 * b + 32), _mm512_cvtepi32_epi16(q1));
            memcpy(q + sw_q8_scale_offset(cols, b), &d, 4);
            sw_q8_store_sum(q, cols, b);
        }
    }
}

// ---- AVX2: one group (two 8-row halves) x up to 4 tokens, each broadcast used by both halves
SW_AVX2 SW_INLINE void q8g256(const int type, const uint8_t *group, int64_t cols, const uint8_t *xq, float *y,
                              int64_t ldy, const int n, const int nt) {
    const int64_t nb = cols / 32, xs = SW_Q8_ACT_BYTES(cols), bb = sw_q8_group_block(type);
    const int header = sw_q8_header_bytes(type);
    __m256 acc[4][2];
    for (int t = 0; t < nt; t++) acc[t][0] = acc[t][1] = _mm256_setzero_ps();
    for (int64_t b = 0; b < nb; b++) {
        const uint8_t *blk = group + b * bb;
        // 4 blocks ahead, as the AVX-512 kernel (into the next group at the end; never faults)
        for (int l = 0; l < bb; l += 64) _mm_prefetch((const char *)blk + 4 * bb + l, _MM_HINT_T0);
        __m256i s[4][2];
        for (int t = 0; t < nt; t++) s[t][0] = s[t][1] = _mm256_setzero_si256();
        for (int j = 0; j < 16; j++) {
            // lane i of half h: row 8h+i's quants of columns 2j, 2j+1
            __m256i w0 = _mm256_cvtepi8_epi16(_mm_loadu_si128((const __m128i *)(blk + header + 32 * j)));
            __m256i w1 = _mm256_cvtepi8_epi16(_mm_loadu_si128((const __m128i *)(blk + header + 16 + 32 * j)));
            for (int t = 0; t < nt; t++) {
                __m256i x = _mm256_set1_epi32((int)sw_u32(xq + t * xs + 64 * b + 4 * j));
                s[t][0] = _mm256_add_epi32(s[t][0], _mm256_madd_epi16(w0, x));
                s[t][1] = _mm256_add_epi32(s[t][1], _mm256_madd_epi16(w1, x));
            }
        }
        for (int h = 0; h < 2; h++) {
            __m256 ws = type == SW_I8_B32 ? _mm256_loadu_ps((const float *)(blk + 32 * h))
                                          : _mm256_cvtph_ps(_mm_loadu_si128((const __m128i *)(blk + 16 * h)));
            for (int t = 0; t < nt; t++) {
                __m256 scale = _mm256_mul_ps(ws, _mm256_set1_ps(sw_q8_scale(xq + t * xs, cols, b)));
                acc[t][h] = _mm256_fmadd_ps(_mm256_cvtepi32_ps(s[t][h]), scale, acc[t][h]);
            }
        }
    }
    for (int t = 0; t < nt; t++) {
        float out[16];
        _mm256_storeu_ps(out, acc[t][0]);
        _mm256_storeu_ps(out + 8, acc[t][1]);
        memcpy(y + t * ldy, out, (size_t)n * 4);
    }
}

SW_AVX2 void sw_q8_groups_avx2(int type, const uint8_t *packed, int64_t cols, int64_t rowStart, int64_t rowEnd,
                               const uint8_t *xq, int64_t numTokens, float *y, int64_t ldy) {
    const int64_t groupBytes = (cols / 32) * sw_q8_group_block(type), xs = SW_Q8_ACT_BYTES(cols);
    for (int64_t r = rowStart; r < rowEnd; r += 16) {
        int n = rowEnd - r < 16 ? (int)(rowEnd - r) : 16;
        const uint8_t *group = packed + (r / 16) * groupBytes;
        for (int64_t t = 0; t < numTokens; t += 4) {
            int nt = numTokens - t < 4 ? (int)(numTokens - t) : 4;
            const uint8_t *x = xq + t * xs;
            float *yt = y + t * ldy + r;
#define Q8_256(T)                                                                                \
            if (nt == 4) q8g256(T, group, cols, x, yt, ldy, n, 4);                               \
            else if (nt == 3) q8g256(T, group, cols, x, yt, ldy, n, 3);                          \
            else if (nt == 2) q8g256(T, group, cols, x, yt, ldy, n, 2);                          \
            else q8g256(T, group, cols, x, yt, ldy, n, 1);
            if (type == SW_I8_B32) { Q8_256(SW_I8_B32) } else { Q8_256(SW_Q8_0) }
#undef Q8_256
        }
    }
}
#endif
