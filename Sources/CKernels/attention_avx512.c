// AVX-512 paged attention for head dims that are multiples of 16, on the token-tiled loop of
// attention_tiles.h with chunks of 16 keys: 16 q·k partial vectors are reduced together by a
// shuffle tree into one vector of 16 scores, softmax weights come from a vector exp, and value
// rows are accumulated 16 columns at a time. The query heads of a KV head go through a chunk up
// to three at a time, so each K and V vector is loaded and widened once for them.
#include <math.h>
#include "sw_internal.h"
#include "sw_math.h"
#include "attention_tiles.h"
#include "kv_elements.h"

#if SW_X86
/// exp(x) with the same range reduction and polynomial as sw_expf.
SW_AVX512 SW_INLINE __m512 exp512(__m512 x) {
    x = _mm512_max_ps(_mm512_min_ps(x, _mm512_set1_ps(88.0f)), _mm512_set1_ps(-87.3f));
    __m512 n = _mm512_roundscale_ps(_mm512_mul_ps(x, _mm512_set1_ps(1.44269504088896341f)),
                                    _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC);
    __m512 r = _mm512_fnmadd_ps(n, _mm512_set1_ps(0.693359375f), x);
    r = _mm512_fnmadd_ps(n, _mm512_set1_ps(-2.12194440e-4f), r);
    __m512 p = _mm512_set1_ps(1.9875691500e-4f);
    p = _mm512_fmadd_ps(p, r, _mm512_set1_ps(1.3981999507e-3f));
    p = _mm512_fmadd_ps(p, r, _mm512_set1_ps(8.3334519073e-3f));
    p = _mm512_fmadd_ps(p, r, _mm512_set1_ps(4.1665795894e-2f));
    p = _mm512_fmadd_ps(p, r, _mm512_set1_ps(1.6666665459e-1f));
    p = _mm512_fmadd_ps(p, r, _mm512_set1_ps(5.0000001201e-1f));
    p = _mm512_fmadd_ps(_mm512_mul_ps(p, r), r, _mm512_add_ps(r, _mm512_set1_ps(1.0f)));
    return _mm512_scalef_ps(p, n);
}

/// Horizontal sums of d[0..15] as one vector (lane j = sum of d[j]), by a fixed shuffle tree.
SW_AVX512 SW_INLINE __m512 reduce16(const __m512 *d) {
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

/// 16 KV elements of type dtype from element i of p, widened to float (F16: vcvtph2ps;
/// BF16: the 16 bits shifted into the top of each lane).
SW_AVX512 SW_INLINE __m512 kv_load16(const void *p, int64_t i, const int dtype) {
    if (dtype == SW_KV_F16) return _mm512_cvtph_ps(_mm256_loadu_si256((const __m256i *)((const uint16_t *)p + i)));
    if (dtype == SW_KV_BF16)
        return _mm512_castsi512_ps(_mm512_slli_epi32(
            _mm512_cvtepu16_epi32(_mm256_loadu_si256((const __m256i *)((const uint16_t *)p + i))), 16));
    return _mm512_loadu_ps((const float *)p + i);
}

/// G query rows of one token (G <= 3, sharing a KV head) against keys lo..<n (n <= 16) of a
/// chunk: online-softmax update of each row's running max, sum and accumulator. Each K and V
/// vector is loaded (and widened) once for all G rows; every row's arithmetic is the same as
/// with G = 1, so the bits do not depend on how rows are grouped.
SW_AVX512 SW_INLINE void attend_rows(const int G, const float *q, int64_t headDim, const void *kb,
                                     const void *vb, const int dtype, const int64_t lo, const int64_t n,
                                     int64_t rowStride, const int64_t chunks, float scale, float *acc,
                                     float *maxes, float *sums) {
    __m512 d[3][16];
    for (int g = 0; g < G; g++)
        for (int j = 0; j < 16; j++) d[g][j] = _mm512_setzero_ps();
    for (int h = 0; h < 2; h++) {  // keys in two halves of 8: 8 G accumulators in registers
        int64_t jlo = lo > 8 * h ? lo : 8 * h, jhi = n < 8 * h + 8 ? n : 8 * h + 8;
        for (int64_t c = 0; c < chunks; c++) {  // each q chunk loaded once per half
            __m512 qv[3];
            for (int g = 0; g < G; g++) qv[g] = _mm512_loadu_ps(q + g * headDim + 16 * c);
            for (int64_t j = jlo; j < jhi; j++) {
                __m512 kv = kv_load16(kb, j * rowStride + 16 * c, dtype);
                for (int g = 0; g < G; g++) d[g][j] = _mm512_fmadd_ps(qv[g], kv, d[g][j]);
            }
        }
    }
    __mmask16 valid = (__mmask16)(((1u << n) - 1) & ~((1u << lo) - 1));
    float weights[3][16];
    __m512 corr[3];
    for (int g = 0; g < G; g++) {
        __m512 s = _mm512_mul_ps(reduce16(d[g]), _mm512_set1_ps(scale));
        s = _mm512_mask_mov_ps(_mm512_set1_ps(-INFINITY), valid, s);
        float chunkMax = _mm512_reduce_max_ps(s), oldMax = maxes[g];
        float newMax = chunkMax > oldMax ? chunkMax : oldMax;
        // sw_expf(0) is exactly 1, so an unchanged max skips the call without changing any bits
        float correction = oldMax == -INFINITY ? 0.0f : (oldMax == newMax ? 1.0f : sw_expf(oldMax - newMax));
        __m512 p = _mm512_maskz_mov_ps(valid, exp512(_mm512_sub_ps(s, _mm512_set1_ps(newMax))));
        sums[g] = sums[g] * correction + _mm512_reduce_add_ps(p);
        maxes[g] = newMax;
        _mm512_storeu_ps(weights[g], p);
        corr[g] = _mm512_set1_ps(correction);
    }
    if (chunks <= 8) {  // the running outputs (at most 3 x 8 vectors) stay in registers across the keys
        __m512 a[3][8];
        for (int g = 0; g < G; g++)
            for (int64_t c = 0; c < chunks; c++)
                a[g][c] = _mm512_mul_ps(_mm512_loadu_ps(acc + g * headDim + 16 * c), corr[g]);
        for (int64_t j = lo; j < n; j++) {
            __m512 w[3];
            for (int g = 0; g < G; g++) w[g] = _mm512_set1_ps(weights[g][j]);
            for (int64_t c = 0; c < chunks; c++) {
                __m512 vv = kv_load16(vb, j * rowStride + 16 * c, dtype);
                for (int g = 0; g < G; g++) a[g][c] = _mm512_fmadd_ps(w[g], vv, a[g][c]);
            }
        }
        for (int g = 0; g < G; g++)
            for (int64_t c = 0; c < chunks; c++) _mm512_storeu_ps(acc + g * headDim + 16 * c, a[g][c]);
        return;
    }
    for (int g = 0; g < G; g++)
        for (int64_t c = 0; c < chunks; c++) {
            __m512 a = _mm512_mul_ps(_mm512_loadu_ps(acc + g * headDim + 16 * c), corr[g]);
            for (int64_t j = lo; j < n; j++)
                a = _mm512_fmadd_ps(_mm512_set1_ps(weights[g][j]), kv_load16(vb, j * rowStride + 16 * c, dtype), a);
            _mm512_storeu_ps(acc + g * headDim + 16 * c, a);
        }
}

/// attend_rows for G rows of one element type, with constant trip counts for full chunks of
/// the common head dims (64, 128), so accumulators stay in registers; partial chunks take the
/// general loops.
#define SW_ROWS_G(G, DT)                                                                         \
    do {                                                                                         \
        if (lo == 0 && n == 16 && chunks == 4)                                                   \
            attend_rows(G, q, headDim, kb, vb, DT, 0, 16, rowStride, 4, scale, acc, maxes, sums); \
        else if (lo == 0 && n == 16 && chunks == 8)                                              \
            attend_rows(G, q, headDim, kb, vb, DT, 0, 16, rowStride, 8, scale, acc, maxes, sums); \
        else attend_rows(G, q, headDim, kb, vb, DT, lo, n, rowStride, chunks, scale, acc, maxes, sums); \
    } while (0)

/// sw_chunk_fn for one element type: the token's rows three at a time, then the rest.
#define SW_ROWS(NAME, DT)                                                                        \
    SW_AVX512 static void NAME(const float *q, int64_t rows, int64_t headDim, const void *kb,    \
                               const void *vb, int64_t lo, int64_t n, int64_t rowStride,         \
                               int64_t chunks, float scale, float *acc, float *maxes,            \
                               float *sums) {                                                    \
        for (; rows >= 3; rows -= 3, q += 3 * headDim, acc += 3 * headDim, maxes += 3, sums += 3) \
            SW_ROWS_G(3, DT);                                                                    \
        if (rows == 2) SW_ROWS_G(2, DT);                                                         \
        else if (rows == 1) SW_ROWS_G(1, DT);                                                    \
    }
SW_ROWS(rows_f32, SW_KV_F32)
SW_ROWS(rows_f16, SW_KV_F16)
SW_ROWS(rows_bf16, SW_KV_BF16)

SW_AVX512 void sw_attention_avx512(const float *q, int64_t numHeads, int64_t numKVHeads, int64_t headDim,
                     const void *kCache, const void *vCache, int dtype, int64_t blockSize,
                     const int32_t *blockTables, int64_t maxBlocksPerSeq, const int32_t *tokenSeq,
                     const int32_t *tokenPos, float scale, int64_t window, float *out,
                     int64_t itemStart, int64_t itemEnd, float *scratch) {
    // one inlined tile loop per element type, each with a direct chunk call
#define SW_TILES(CHUNK)                                                                          \
    sw_attention_tiles(16, CHUNK, q, numHeads, numKVHeads, headDim, kCache, vCache, sw_kv_size(dtype), \
                       blockSize, blockTables, maxBlocksPerSeq, tokenSeq, tokenPos, scale, window,     \
                       out, itemStart, itemEnd, scratch)
    if (dtype == SW_KV_F16) SW_TILES(rows_f16);
    else if (dtype == SW_KV_BF16) SW_TILES(rows_bf16);
    else SW_TILES(rows_f32);
#undef SW_TILES
}
#endif
