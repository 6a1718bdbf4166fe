// Q4_0 / Q4_1 / Q5_0 / Q5_1 / Q4_K / Q5_K / Q6_K x 16-bit activation kernels (layouts in q4_packed.h). The 16 rows of a packed
// group are vector lanes (AVX-512) or two 8-lane halves (AVX2); nibbles are widened to 16-bit
// lanes with shifts and masks only, multiplied by vpmaddwd / vpdpwssd against a broadcast pair
// of activation quants, summed exactly in int32, and each row's float accumulation is the
// scalar kernel's: per block, in order, one fused multiply-add (two for Q4_1).
#include "q4_packed.h"
#include <stdlib.h>
#pragma STDC FP_CONTRACT OFF

#if SW_X86

/// Calls CALL(T) with T the constant equal to `type`, so each kernel's loops unroll for it.
#define Q4_BY_TYPE(CALL)                                                                         \
    switch (type) {                                                                              \
    case SW_Q4_1: CALL(SW_Q4_1); break;                                                          \
    case SW_Q5_0: CALL(SW_Q5_0); break;                                                          \
    case SW_Q5_1: CALL(SW_Q5_1); break;                                                          \
    case SW_Q4_K: CALL(SW_Q4_K); break;                                                          \
    case SW_Q5_K: CALL(SW_Q5_K); break;                                                          \
    case SW_Q6_K: CALL(SW_Q6_K); break;                                                          \
    case SW_U4_B32: CALL(SW_U4_B32); break;                                                      \
    default: CALL(SW_Q4_0);                                                                      \
    }

/// Each 16-bit lane's high-bit mask above the nibble (bit 4, or bits 4-5 for Q6_K).
#define Q4_HIGH_MASK(type) (0x00010001 * (((1 << sw_q4_high_bits(type)) - 1) << 4))

/// Cache lines of the block `ahead` blocks on (into the next group at the end; a prefetch
/// never faults): several interleaved row streams are more than the hardware prefetcher follows.
#define Q4_PREFETCH(blk, bb, ahead)                                                              \
    for (int l = 0; l < (bb); l += 64) _mm_prefetch((const char *)(blk) + (ahead) * (bb) + l, _MM_HINT_T0)

// ---- AVX-512 VNNI: one group x up to 8 tokens, the block's quants widened once ----------
/// The quants of columns 8j+2p, 8j+2p+1 in the 32-bit lanes (rows): the low nibbles of v and,
/// for Q5, the fifth bit from `high`; for Q6_K, bits 5 and 6 from plane j / 2 (`high`).
SW_AVX512_VNNI SW_INLINE __m512i q4w512(const int type, __m512i v, __m512i high, const int j, const int p) {
    __m512i w = _mm512_and_si512(p ? _mm512_srli_epi32(v, 4 * p) : v, _mm512_set1_epi32(0x000F000F));
    if (sw_q4_high_bits(type)) {
        const int sh = sw_q4_high_bit(type, j, p) - 4;
        __m512i hb = sh >= 0 ? _mm512_srli_epi32(high, sh) : _mm512_slli_epi32(high, -sh);
        w = _mm512_or_si512(w, _mm512_and_si512(hb, _mm512_set1_epi32(Q4_HIGH_MASK(type))));
    }
    return w;
}

SW_AVX512_VNNI SW_INLINE void q4g512(const int type, const uint8_t *group, int64_t cols, const uint8_t *xq,
                                     float *y, int64_t ldy, __mmask16 rows, const int nt) {
    const int header = sw_q4_header_bytes(type), bb = sw_q4_block_bytes(type), phases = sw_q4_phases(type);
    const int64_t nb = cols / 32, xs = SW_Q8_ACT_BYTES(cols);
    __m512 acc[8];
    for (int t = 0; t < nt; t++) acc[t] = _mm512_setzero_ps();
    for (int64_t b = 0; b < nb; b++) {
        const uint8_t *blk = group + b * bb;
        Q4_PREFETCH(blk, bb, 6);
        __m512i w[4][4];  // quad j, nibble p: lane i = row i's quants of columns 8j+2p, 8j+2p+1
        for (int j = 0; j < 4; j++) {
            __m512i high = _mm512_setzero_si512();
            if (sw_q4_high_bits(type))
                high = _mm512_castps_si512(_mm512_loadu_ps((const float *)(blk + sw_q4_high_byte(type, j))));
            __m512i v = _mm512_castps_si512(_mm512_loadu_ps((const float *)(blk + header + 64 * j)));
            for (int p = 0; p < 4; p++) w[j][p] = q4w512(type, v, high, j, p);
        }
        for (int ph = 0; ph < phases; ph++) {
            const uint8_t *sp = blk + sw_q4_scale_byte(type, ph, 0), *mp = blk + sw_q4_min_byte(type, 0);
            __m512 ws, ms;
            if (sw_q4_f32_scales(type)) {
                ws = _mm512_loadu_ps((const float *)sp);
                ms = sw_q4_has_min(type) ? _mm512_loadu_ps((const float *)mp) : ws;
            } else {
                ws = _mm512_cvtph_ps(_mm256_loadu_si256((const __m256i *)sp));
                ms = sw_q4_has_min(type) ? _mm512_cvtph_ps(_mm256_loadu_si256((const __m256i *)mp)) : ws;
            }
            for (int t = 0; t < nt; t++) {
                const uint8_t *xt = xq + t * xs + 64 * b;
                __m512i s[4] = {_mm512_setzero_si512(), _mm512_setzero_si512(), _mm512_setzero_si512(),
                                _mm512_setzero_si512()};
                for (int j = 4 / phases * ph; j < 4 / phases * (ph + 1); j++)
                    for (int p = 0; p < 4; p++)
                        s[p] = _mm512_dpwssd_epi32(s[p], w[j][p], _mm512_set1_epi32((int)sw_u32(xt + 16 * j + 4 * p)));
                __m512i sum = _mm512_add_epi32(_mm512_add_epi32(s[0], s[1]), _mm512_add_epi32(s[2], s[3]));
                float dx = sw_q8_scale(xq + t * xs, cols, b);
                int32_t sx = sw_q4_phase_sum(type, xq + t * xs, cols, b, ph);
                __m512 scale = _mm512_mul_ps(ws, _mm512_set1_ps(dx));
                if (sw_q4_has_min(type)) {
                    acc[t] = _mm512_fmadd_ps(_mm512_cvtepi32_ps(sum), scale, acc[t]);
                    acc[t] = _mm512_fmadd_ps(ms, _mm512_set1_ps(dx * (float)sx), acc[t]);
                } else {
                    sum = _mm512_sub_epi32(sum, _mm512_set1_epi32(sw_q4_offset(type) * sx));
                    acc[t] = _mm512_fmadd_ps(_mm512_cvtepi32_ps(sum), scale, acc[t]);
                }
            }
        }
    }
    for (int t = 0; t < nt; t++) _mm512_mask_storeu_ps(y + t * ldy, rows, acc[t]);
}

SW_AVX512_VNNI void sw_q4_groups_avx512(int type, const uint8_t *packed, int64_t cols, int64_t rowStart,
                                        int64_t rowEnd, const uint8_t *xq, int64_t numTokens,
                                        float *y, int64_t ldy) {
    const int64_t groupBytes = (cols / 32) * sw_q4_block_bytes(type), xs = SW_Q8_ACT_BYTES(cols);
    for (int64_t r = rowStart; r < rowEnd; r += 16) {
        int n = rowEnd - r < 16 ? (int)(rowEnd - r) : 16;
        __mmask16 rows = (__mmask16)((1u << n) - 1);
        const uint8_t *group = packed + (r / 16) * groupBytes;
        for (int64_t t = 0; t < numTokens; t += 8) {
            const uint8_t *x = xq + t * xs;
            float *yt = y + t * ldy + r;
            int nt = numTokens - t < 8 ? (int)(numTokens - t) : 8;
            // constant type and token count per call, so each loop unrolls
#define Q4_CALL(T) q4g512(T, group, cols, x, yt, ldy, rows, N)
#define Q4_NT(n) case n: { enum { N = n }; Q4_BY_TYPE(Q4_CALL) } break;
            switch (nt) { Q4_NT(1) Q4_NT(2) Q4_NT(3) Q4_NT(4) Q4_NT(5) Q4_NT(6) Q4_NT(7) Q4_NT(8) }
#undef Q4_NT
#undef Q4_CALL
        }
    }
}

// ---- AVX2: one group (two 8-row halves) x up to 4 tokens, each broadcast used by both halves
/// The quants of columns 8j+2p, 8j+2p+1 in the 32-bit lanes of one half: the low nibbles of v
/// and, for Q5, the fifth bit from `high`; for Q6_K, bits 5 and 6 from plane j / 2 (`high`).
SW_AVX2 SW_INLINE __m256i q4w256(const int type, __m256i v, __m256i high, const int j, const int p) {
    __m256i w = _mm256_and_si256(p ? _mm256_srli_epi32(v, 4 * p) : v, _mm256_set1_epi32(0x000F000F));
    if (sw_q4_high_bits(type)) {
        const int sh = sw_q4_high_bit(type, j, p) - 4;
        __m256i hb = sh >= 0 ? _mm256_srli_epi32(high, sh) : _mm256_slli_epi32(high, -sh);
        w = _mm256_or_si256(w, _mm256_and_si256(hb, _mm256_set1_epi32(Q4_HIGH_MASK(type))));
    }
    return w;
}

/// One group x nt tokens. `wbuf` (or NULL): the group's quants already widened by q4unpack256,
/// read instead of widening them again for every 4 tokens.
SW_AVX2 SW_INLINE void q4g256(const int type, const uint8_t *group, int64_t cols, const uint8_t *xq,
                              float *y, int64_t ldy, const int n, const int nt, const __m256i *wbuf) {
    const int header = sw_q4_header_bytes(type), bb = sw_q4_block_bytes(type), phases = sw_q4_phases(type);
    const int64_t nb = cols / 32, xs = SW_Q8_ACT_BYTES(cols);
    __m256 acc[4][2];
    for (int t = 0; t < nt; t++) acc[t][0] = acc[t][1] = _mm256_setzero_ps();
    for (int64_t b = 0; b < nb; b++) {
        const uint8_t *blk = group + b * bb;
        if (!wbuf) Q4_PREFETCH(blk, bb, 6);
        for (int ph = 0; ph < phases; ph++) {
            __m256i s[4][2];
            for (int t = 0; t < nt; t++) s[t][0] = s[t][1] = _mm256_setzero_si256();
            // a phase's quads share their high-bit plane
            const int j0 = 4 / phases * ph;
            __m256i high0 = _mm256_setzero_si256(), high1 = high0;
            if (!wbuf && sw_q4_high_bits(type)) {
                high0 = _mm256_loadu_si256((const __m256i *)(blk + sw_q4_high_byte(type, j0)));
                high1 = _mm256_loadu_si256((const __m256i *)(blk + sw_q4_high_byte(type, j0) + 32));
            }
            for (int j = j0; j < j0 + 4 / phases; j++) {
                __m256i v0 = _mm256_setzero_si256(), v1 = v0;
                if (!wbuf) {
                    v0 = _mm256_loadu_si256((const __m256i *)(blk + header + 64 * j));
                    v1 = _mm256_loadu_si256((const __m256i *)(blk + header + 64 * j + 32));
                }
                for (int p = 0; p < 4; p++) {
                    // lane i of half h: row 8h+i's quants of columns 8j+2p, 8j+2p+1
                    __m256i w0, w1;
                    if (wbuf) {
                        w0 = _mm256_load_si256(wbuf + (b * 16 + 4 * j + p) * 2);
                        w1 = _mm256_load_si256(wbuf + (b * 16 + 4 * j + p) * 2 + 1);
                    } else {
                        w0 = q4w256(type, v0, high0, j, p);
                        w1 = q4w256(type, v1, high1, j, p);
                    }
                    for (int t = 0; t < nt; t++) {
                        __m256i x = _mm256_set1_epi32((int)sw_u32(xq + t * xs + 64 * b + 16 * j + 4 * p));
                        s[t][0] = _mm256_add_epi32(s[t][0], _mm256_madd_epi16(w0, x));
                        s[t][1] = _mm256_add_epi32(s[t][1], _mm256_madd_epi16(w1, x));
                    }
                }
            }
            for (int h = 0; h < 2; h++) {
                const uint8_t *sp = blk + sw_q4_scale_byte(type, ph, 8 * h), *mp = blk + sw_q4_min_byte(type, 8 * h);
                __m256 ws, ms;
                if (sw_q4_f32_scales(type)) {
                    ws = _mm256_loadu_ps((const float *)sp);
                    ms = sw_q4_has_min(type) ? _mm256_loadu_ps((const float *)mp) : ws;
                } else {
                    ws = _mm256_cvtph_ps(_mm_loadu_si128((const __m128i *)sp));
                    ms = sw_q4_has_min(type) ? _mm256_cvtph_ps(_mm_loadu_si128((const __m128i *)mp)) : ws;
                }
                for (int t = 0; t < nt; t++) {
                    float dx = sw_q8_scale(xq + t * xs, cols, b);
                    int32_t sx = sw_q4_phase_sum(type, xq + t * xs, cols, b, ph);
                    __m256 scale = _mm256_mul_ps(ws, _mm256_set1_ps(dx));
                    if (sw_q4_has_min(type)) {
                        acc[t][h] = _mm256_fmadd_ps(_mm256_cvtepi32_ps(s[t][h]), scale, acc[t][h]);
                        acc[t][h] = _mm256_fmadd_ps(ms, _mm256_set1_ps(dx * (float)sx), acc[t][h]);
                    } else {
                        __m256i sum = _mm256_sub_epi32(s[t][h], _mm256_set1_epi32(sw_q4_offset(type) * sx));
                        acc[t][h] = _mm256_fmadd_ps(_mm256_cvtepi32_ps(sum), scale, acc[t][h]);
                    }
                }
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

/// Widens a group's quants once into out: [block][quad j][nibble p][half] vectors of q4w256.
SW_AVX2 SW_INLINE void q4unpack256(const int type, const uint8_t *group, int64_t cols, __m256i *out) {
    const int header = sw_q4_header_bytes(type), bb = sw_q4_block_bytes(type);
    for (int64_t b = 0; b < cols / 32; b++) {
        const uint8_t *blk = group + b * bb;
        for (int j = 0; j < 4; j++) {
            __m256i high0 = _mm256_setzero_si256(), high1 = high0;
            if (sw_q4_high_bits(type)) {
                high0 = _mm256_loadu_si256((const __m256i *)(blk + sw_q4_high_byte(type, j)));
                high1 = _mm256_loadu_si256((const __m256i *)(blk + sw_q4_high_byte(type, j) + 32));
            }
            __m256i v0 = _mm256_loadu_si256((const __m256i *)(blk + header + 64 * j));
            __m256i v1 = _mm256_loadu_si256((const __m256i *)(blk + header + 64 * j + 32));
            for (int p = 0; p < 4; p++) {
                _mm256_store_si256(out + (b * 16 + 4 * j + p) * 2, q4w256(type, v0, high0, j, p));
                _mm256_store_si256(out + (b * 16 + 4 * j + p) * 2 + 1, q4w256(type, v1, high1, j, p));
            }
        }
    }
}

/// A thread's buffer of widened quants (cols x 16 int16 = 32 bytes per column), grown when a
/// longer row needs it and kept for the thread's life: nothing is allocated per call after that.
static __m256i *q4_widened_buffer(int64_t cols) {
    static _Thread_local __m256i *buffer;
    static _Thread_local int64_t capacity;
    if (cols > capacity) {
        free(buffer);
        buffer = aligned_alloc(32, (size_t)cols * 32);
        capacity = buffer ? cols : 0;
    }
    return buffer;
}

SW_AVX2 void sw_q4_groups_avx2(int type, const uint8_t *packed, int64_t cols, int64_t rowStart, int64_t rowEnd,
                               const uint8_t *xq, int64_t numTokens, float *y, int64_t ldy) {
    const int64_t groupBytes = (cols / 32) * sw_q4_block_bytes(type), xs = SW_Q8_ACT_BYTES(cols);
    for (int64_t r = rowStart; r < rowEnd; r += 16) {
        int n = rowEnd - r < 16 ? (int)(rowEnd - r) : 16;
        const uint8_t *group = packed + (r / 16) * groupBytes;
        // more than 4 tokens: the group's quants are widened once for all of them
        __m256i *wbuf = numTokens > 4 ? q4_widened_buffer(cols) : NULL;
#define Q4_UNPACK(T) q4unpack256(T, group, cols, wbuf)
        if (wbuf) { Q4_BY_TYPE(Q4_UNPACK) }
#undef Q4_UNPACK
        for (int64_t t = 0; t < numTokens; t += 4) {
            int nt = numTokens - t < 4 ? (int)(numTokens - t) : 4;
            const uint8_t *x = xq + t * xs;
            float *yt = y + t * ldy + r;
#define Q4_CALL(T) if (wbuf) q4g256(T, group, cols, x, yt, ldy, n, N, wbuf); else q4g256(T, group, cols, x, yt, ldy, n, N, NULL)
#define Q4_NT(nn) case nn: { enum { N = nn }; Q4_BY_TYPE(Q4_CALL) } break;
            switch (nt) { Q4_NT(1) Q4_NT(2) Q4_NT(3) Q4_NT(4) }
#undef Q4_NT
#undef Q4_CALL
        }
    }
}
#undef Q4_BY_TYPE
#undef Q4_HIGH_MASK
#endif
