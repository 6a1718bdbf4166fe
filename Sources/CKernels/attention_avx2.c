// AVX2 paged attention for head dims that are multiples of 8, on the token-tiled loop of
// attention_tiles.h with chunks of 8 keys: 8 q·k partial vectors are reduced together by
// horizontal adds into one vector of 8 scores, softmax weights come from a vector exp, and
// value rows are accumulated 8 columns at a time.
#include <math.h>
#include "sw_internal.h"
#include "sw_math.h"
#include "attention_tiles.h"
#include "kv_elements.h"

#if SW_X86
/// exp(x) with the range reduction and polynomial of sw_expf; 2^n built in the exponent bits.
SW_AVX2 SW_INLINE __m256 exp256(__m256 x) {
    x = _mm256_max_ps(_mm256_min_ps(x, _mm256_set1_ps(88.0f)), _mm256_set1_ps(-87.3f));
    __m256 n = _mm256_round_ps(_mm256_mul_ps(x, _mm256_set1_ps(1.44269504088896341f)),
                               _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC);
    __m256 r = _mm256_fnmadd_ps(n, _mm256_set1_ps(0.693359375f), x);
    r = _mm256_fnmadd_ps(n, _mm256_set1_ps(-2.12194440e-4f), r);
    __m256 p = _mm256_set1_ps(1.9875691500e-4f);
    p = _mm256_fmadd_ps(p, r, _mm256_set1_ps(1.3981999507e-3f));
    p = _mm256_fmadd_ps(p, r, _mm256_set1_ps(8.3334519073e-3f));
    p = _mm256_fmadd_ps(p, r, _mm256_set1_ps(4.1665795894e-2f));
    p = _mm256_fmadd_ps(p, r, _mm256_set1_ps(1.6666665459e-1f));
    p = _mm256_fmadd_ps(p, r, _mm256_set1_ps(5.0000001201e-1f));
    p = _mm256_fmadd_ps(_mm256_mul_ps(p, r), r, _mm256_add_ps(r, _mm256_set1_ps(1.0f)));
    __m256i bits = _mm256_slli_epi32(_mm256_add_epi32(_mm256_cvtps_epi32(n), _mm256_set1_epi32(127)), 23);
    return _mm256_mul_ps(p, _mm256_castsi256_ps(bits));
}

/// Horizontal sums of d[0..7] as one vector (lane j = sum of d[j]), by a fixed add tree.
SW_AVX2 SW_INLINE __m256 reduce8(const __m256 *d) {
    __m256 u0 = _mm256_hadd_ps(_mm256_hadd_ps(d[0], d[1]), _mm256_hadd_ps(d[2], d[3]));
    __m256 u1 = _mm256_hadd_ps(_mm256_hadd_ps(d[4], d[5]), _mm256_hadd_ps(d[6], d[7]));
    return _mm256_add_ps(_mm256_permute2f128_ps(u0, u1, 0x20), _mm256_permute2f128_ps(u0, u1, 0x31));
}

SW_AVX2 SW_INLINE float hmax8(__m256 v) {
    __m128 m = _mm_max_ps(_mm256_castps256_ps128(v), _mm256_extractf128_ps(v, 1));
    m = _mm_max_ps(m, _mm_movehl_ps(m, m));
    m = _mm_max_ss(m, _mm_movehdup_ps(m));
    return _mm_cvtss_f32(m);
}

SW_AVX2 SW_INLINE float hadd8(__m256 v) {
    __m128 s = _mm_add_ps(_mm256_castps256_ps128(v), _mm256_extractf128_ps(v, 1));
    s = _mm_add_ps(s, _mm_movehl_ps(s, s));
    s = _mm_add_ss(s, _mm_movehdup_ps(s));
    return _mm_cvtss_f32(s);
}

/// 8 KV elements of type dtype from element i of p, widened to float (F16: vcvtph2ps;
/// BF16: the 16 bits shifted into the top of each lane).
SW_AVX2 SW_INLINE __m256 kv_load8(const void *p, int64_t i, const int dtype) {
    if (dtype == SW_KV_F16) return _mm256_cvtph_ps(_mm_loadu_si128((const __m128i *)((const uint16_t *)p + i)));
    if (dtype == SW_KV_BF16)
        return _mm256_castsi256_ps(_mm256_slli_epi32(
            _mm256_cvtepu16_epi32(_mm_loadu_si128((const __m128i *)((const uint16_t *)p + i))), 16));
    return _mm256_loadu_ps((const float *)p + i);
}

/// One query row against keys lo..<n (n <= 8) of a chunk (the arithmetic of attend_rows in the AVX-512 file).
SW_AVX2 SW_INLINE void attend_chunk8(const float *qh, const void *kb, const void *vb, const int dtype,
                                     const int64_t lo, const int64_t n, int64_t rowStride,
                                     const int64_t chunks, float scale, float *ag, float *maxSlot,
                                     float *sumSlot) {
    __m256 d[8];
    for (int j = 0; j < 8; j++) d[j] = _mm256_setzero_ps();
    for (int64_t c = 0; c < chunks; c++) {
        __m256 qv = _mm256_loadu_ps(qh + 8 * c);
        for (int64_t j = lo; j < n; j++)
            d[j] = _mm256_fmadd_ps(qv, kv_load8(kb, j * rowStride + 8 * c, dtype), d[j]);
    }
    __m256i lane = _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7);
    __m256 valid = _mm256_castsi256_ps(_mm256_and_si256(
        _mm256_cmpgt_epi32(lane, _mm256_set1_epi32((int)lo - 1)), _mm256_cmpgt_epi32(_mm256_set1_epi32((int)n), lane)));
    __m256 s = _mm256_mul_ps(reduce8(d), _mm256_set1_ps(scale));
    s = _mm256_blendv_ps(_mm256_set1_ps(-INFINITY), s, valid);
    float chunkMax = hmax8(s), oldMax = *maxSlot;
    float newMax = chunkMax > oldMax ? chunkMax : oldMax;
    float correction = oldMax == -INFINITY ? 0.0f : (oldMax == newMax ? 1.0f : sw_expf(oldMax - newMax));
    __m256 p = _mm256_and_ps(exp256(_mm256_sub_ps(s, _mm256_set1_ps(newMax))), valid);
    *sumSlot = *sumSlot * correction + hadd8(p);
    *maxSlot = newMax;
    float weights[8];
    _mm256_storeu_ps(weights, p);
    __m256 corr = _mm256_set1_ps(correction);
    if (chunks <= 8) {  // the running output stays in registers across the keys
        __m256 a[8];
        for (int64_t c = 0; c < chunks; c++) a[c] = _mm256_mul_ps(_mm256_loadu_ps(ag + 8 * c), corr);
        for (int64_t j = lo; j < n; j++) {
            __m256 w = _mm256_set1_ps(weights[j]);
            for (int64_t c = 0; c < chunks; c++)
                a[c] = _mm256_fmadd_ps(w, kv_load8(vb, j * rowStride + 8 * c, dtype), a[c]);
        }
        for (int64_t c = 0; c < chunks; c++) _mm256_storeu_ps(ag + 8 * c, a[c]);
        return;
    }
    for (int64_t c = 0; c < chunks; c++) {
        __m256 a = _mm256_mul_ps(_mm256_loadu_ps(ag + 8 * c), corr);
        for (int64_t j = lo; j < n; j++)
            a = _mm256_fmadd_ps(_mm256_set1_ps(weights[j]), kv_load8(vb, j * rowStride + 8 * c, dtype), a);
        _mm256_storeu_ps(ag + 8 * c, a);
    }
}

/// attend_chunk8 for one element type, with constant trip counts for full chunks of the common
/// head dims, so the 8 score accumulators and the running output stay in registers; partial
/// chunks take the general loops.
#define SW_CHUNK_ANY(NAME, DT)                                                                   \
    SW_AVX2 static void NAME(const float *qh, const void *kb, const void *vb, int64_t lo,        \
                             int64_t n, int64_t rowStride, int64_t chunks, float scale,          \
                             float *ag, float *maxSlot, float *sumSlot) {                        \
        if (lo == 0 && n == 8) {                                                                \
            switch (chunks) {                                                                    \
            case 8: attend_chunk8(qh, kb, vb, DT, 0, 8, rowStride, 8, scale, ag, maxSlot, sumSlot); return; \
            case 4: attend_chunk8(qh, kb, vb, DT, 0, 8, rowStride, 4, scale, ag, maxSlot, sumSlot); return; \
            default: attend_chunk8(qh, kb, vb, DT, 0, 8, rowStride, chunks, scale, ag, maxSlot, sumSlot); return; \
            }                                                                                    \
        }                                                                                        \
        attend_chunk8(qh, kb, vb, DT, lo, n, rowStride, chunks, scale, ag, maxSlot, sumSlot);          \
    }
SW_CHUNK_ANY(chunk_f32, SW_KV_F32)
SW_CHUNK_ANY(chunk_f16, SW_KV_F16)
SW_CHUNK_ANY(chunk_bf16, SW_KV_BF16)

/// sw_chunk_fn over a row chunk function: the token's rows one after another.
#define SW_ROWS(NAME, CHUNK)                                                                     \
    SW_AVX2 static void NAME(const float *q, int64_t rows, int64_t headDim, const void *kb,      \
                             const void *vb, int64_t lo, int64_t n, int64_t rowStride,           \
                             int64_t chunks, float scale, float *acc, float *maxes, float *sums) { \
        for (int64_t g = 0; g < rows; g++)                                                       \
            CHUNK(q + g * headDim, kb, vb, lo, n, rowStride, chunks, scale, acc + g * headDim,   \
                  maxes + g, sums + g);                                                          \
    }
SW_ROWS(rows_f32, chunk_f32)
SW_ROWS(rows_f16, chunk_f16)
SW_ROWS(rows_bf16, chunk_bf16)

SW_AVX2 void sw_attention_avx2(const float *q, int64_t numHeads, int64_t numKVHeads, int64_t headDim,
                     const void *kCache, const void *vCache, int dtype, int64_t blockSize,
                     const int32_t *blockTables, int64_t maxBlocksPerSeq, const int32_t *tokenSeq,
                     const int32_t *tokenPos, float scale, int64_t window, float *out,
                     int64_t itemStart, int64_t itemEnd, float *scratch) {
    // one inlined tile loop per element type, each with a direct chunk call
#define SW_TILES(CHUNK)                                                                          \
    sw_attention_tiles(8, CHUNK, q, numHeads, numKVHeads, headDim, kCache, vCache, sw_kv_size(dtype), \
                       blockSize, blockTables, maxBlocksPerSeq, tokenSeq, tokenPos, scale, window,     \
                       out, itemStart, itemEnd, scratch)
    if (dtype == SW_KV_F16) SW_TILES(rows_f16);
    else if (dtype == SW_KV_BF16) SW_TILES(rows_bf16);
    else SW_TILES(rows_f32);
#undef SW_TILES
}
#endif
