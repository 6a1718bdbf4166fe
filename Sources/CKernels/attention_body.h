// Paged attention at one vector width W = SW_W (sw_simd.h), for head dims that are multiples of
// W, on the token-tiled loop of attention_tiles.h with chunks of W keys: W q·k partial vectors are
// reduced together into one vector of W scores, softmax weights come from a vector exp, and
// value rows are accumulated W columns at a time. Included by attention_avx2.c (W = 8) and
// attention_avx512.c (W = 16); defines sw_attention_avx2 or sw_attention_avx512.
//
// What differs between the widths is chosen here, each as it was before the body was shared:
// ATTN_ROWS, query rows of a KV head that go through a chunk together so each K and V vector
// is loaded and widened once for them (3 on both), ATTN_KEYS and ATTN_VCHUNKS, the keys whose
// q·k partial vectors and the value chunks whose running outputs are held in registers at once
// for those rows (AVX-512: 8 and 8 of its 32 registers; AVX2: 2 and 4 of its 16, measured
// 13% faster than one row at a time on an AMD EPYC), and
// ATTN_FULL_ANY, whether full chunks get constant key bounds for every head dim (AVX2) or only
// for 4 and 8 chunks (AVX-512). None of them changes any row's arithmetic.

#define ATTN_ROWS 3
#if SW_W == 16
#define ATTN_KEYS 8
#define ATTN_VCHUNKS 8
#define ATTN_FULL_ANY 0
#else
#define ATTN_KEYS 2
#define ATTN_VCHUNKS 4
#define ATTN_FULL_ANY 1
#endif

/// exp(x) with the range reduction and polynomial of sw_expf; 2^n applied by the width's ldexp.
SW_TARGET SW_INLINE SWF SWX(attn_exp)(SWF x) {
    x = SWV(max)(SWV(min)(x, SWV(set1)(88.0f)), SWV(set1)(-87.3f));
    SWF n = SWV(round)(SWV(mul)(x, SWV(set1)(1.44269504088896341f)));
    SWF r = SWV(fnmadd)(n, SWV(set1)(0.693359375f), x);
    r = SWV(fnmadd)(n, SWV(set1)(-2.12194440e-4f), r);
    SWF p = SWV(set1)(1.9875691500e-4f);
    p = SWV(fmadd)(p, r, SWV(set1)(1.3981999507e-3f));
    p = SWV(fmadd)(p, r, SWV(set1)(8.3334519073e-3f));
    p = SWV(fmadd)(p, r, SWV(set1)(4.1665795894e-2f));
    p = SWV(fmadd)(p, r, SWV(set1)(1.6666665459e-1f));
    p = SWV(fmadd)(p, r, SWV(set1)(5.0000001201e-1f));
    p = SWV(fmadd)(SWV(mul)(p, r), r, SWV(add)(r, SWV(set1)(1.0f)));
    return SWV(ldexp)(p, n);
}

/// G query rows of one token (G <= ATTN_ROWS, sharing a KV head) against keys lo..<n (n <= W)
/// of a chunk: online-softmax update of each row's running max, sum and accumulator. Each K and
/// V vector is loaded (and widened) once for all G rows; every row's arithmetic is the same as
/// with G = 1, so the bits do not depend on how rows are grouped.
SW_TARGET SW_INLINE void SWX(attend_rows)(const int G, const float *q, int64_t headDim, const void *kb,
                                          const void *vb, const int dtype, const int64_t lo, const int64_t n,
                                          int64_t rowStride, const int64_t chunks, float scale, float *acc,
                                          float *maxes, float *sums) {
    SWF d[ATTN_ROWS][SW_W];
    for (int g = 0; g < G; g++)
        for (int j = 0; j < SW_W; j++) d[g][j] = SWV(zero)();
    for (int h = 0; h < SW_W / ATTN_KEYS; h++) {  // keys in groups: ATTN_KEYS x G accumulators in registers
        int64_t jlo = lo > ATTN_KEYS * h ? lo : ATTN_KEYS * h, jhi = n < ATTN_KEYS * (h + 1) ? n : ATTN_KEYS * (h + 1);
        for (int64_t c = 0; c < chunks; c++) {  // each q chunk loaded once per group
            SWF qv[ATTN_ROWS];
            for (int g = 0; g < G; g++) qv[g] = SWV(load)(q + g * headDim + SW_W * c);
            for (int64_t j = jlo; j < jhi; j++) {
                SWF kv = SWV(load_as)(kb, j * rowStride + SW_W * c, dtype);
                for (int g = 0; g < G; g++) d[g][j] = SWV(fmadd)(qv[g], kv, d[g][j]);
            }
        }
    }
    SWM valid = SWV(range)(lo, n);
    float weights[ATTN_ROWS][SW_W];
    SWF corr[ATTN_ROWS];
    for (int g = 0; g < G; g++) {
        SWF s = SWV(mul)(SWV(hsum_each)(d[g]), SWV(set1)(scale));
        s = SWV(select)(valid, s, SWV(set1)(-INFINITY));
        float chunkMax = SWV(hmax)(s), oldMax = maxes[g];
        float newMax = chunkMax > oldMax ? chunkMax : oldMax;
        // sw_expf(0) is exactly 1, so an unchanged max skips the call without changing any bits
        float correction = oldMax == -INFINITY ? 0.0f : (oldMax == newMax ? 1.0f : sw_expf(oldMax - newMax));
        SWF p = SWV(keep)(valid, SWX(attn_exp)(SWV(sub)(s, SWV(set1)(newMax))));
        sums[g] = sums[g] * correction + SWV(hsum)(p);
        maxes[g] = newMax;
        SWV(store)(weights[g], p);
        corr[g] = SWV(set1)(correction);
    }
    if (chunks <= 8) {  // the running outputs (ATTN_ROWS x ATTN_VCHUNKS vectors) stay in registers across the keys
        for (int64_t c0 = 0; c0 < chunks; c0 += ATTN_VCHUNKS) {
            const int64_t cn = chunks - c0 < ATTN_VCHUNKS ? chunks - c0 : ATTN_VCHUNKS;
            SWF a[ATTN_ROWS][ATTN_VCHUNKS];
            for (int g = 0; g < G; g++)
                for (int64_t c = 0; c < cn; c++)
                    a[g][c] = SWV(mul)(SWV(load)(acc + g * headDim + SW_W * (c0 + c)), corr[g]);
            for (int64_t j = lo; j < n; j++) {
                SWF w[ATTN_ROWS];
                for (int g = 0; g < G; g++) w[g] = SWV(set1)(weights[g][j]);
                for (int64_t c = 0; c < cn; c++) {
                    SWF vv = SWV(load_as)(vb, j * rowStride + SW_W * (c0 + c), dtype);
                    for (int g = 0; g < G; g++) a[g][c] = SWV(fmadd)(w[g], vv, a[g][c]);
                }
            }
            for (int g = 0; g < G; g++)
                for (int64_t c = 0; c < cn; c++) SWV(store)(acc + g * headDim + SW_W * (c0 + c), a[g][c]);
        }
        return;
    }
    for (int g = 0; g < G; g++)
        for (int64_t c = 0; c < chunks; c++) {
            SWF a = SWV(mul)(SWV(load)(acc + g * headDim + SW_W * c), corr[g]);
            for (int64_t j = lo; j < n; j++)
                a = SWV(fmadd)(SWV(set1)(weights[g][j]), SWV(load_as)(vb, j * rowStride + SW_W * c, dtype), a);
            SWV(store)(acc + g * headDim + SW_W * c, a);
        }
}

/// attend_rows for G rows of one element type, with constant trip counts for full chunks of
/// the common head dims (4 and 8 chunks; any number with ATTN_FULL_ANY), so accumulators stay
/// in registers; partial chunks take the general loops.
#define SW_ROWS_G(G, DT)                                                                         \
    do {                                                                                         \
        if (lo == 0 && n == SW_W && chunks == 4)                                                 \
            SWX(attend_rows)(G, q, headDim, kb, vb, DT, 0, SW_W, rowStride, 4, scale, acc, maxes, sums); \
        else if (lo == 0 && n == SW_W && chunks == 8)                                            \
            SWX(attend_rows)(G, q, headDim, kb, vb, DT, 0, SW_W, rowStride, 8, scale, acc, maxes, sums); \
        else if (ATTN_FULL_ANY && lo == 0 && n == SW_W)                                          \
            SWX(attend_rows)(G, q, headDim, kb, vb, DT, 0, SW_W, rowStride, chunks, scale, acc, maxes, sums); \
        else SWX(attend_rows)(G, q, headDim, kb, vb, DT, lo, n, rowStride, chunks, scale, acc, maxes, sums); \
    } while (0)

/// sw_chunk_fn for one element type: the token's rows ATTN_ROWS at a time, then the rest.
#define SW_ROWS(NAME, DT)                                                                        \
    SW_TARGET static void NAME(const float *q, int64_t rows, int64_t headDim, const void *kb,    \
                               const void *vb, int64_t lo, int64_t n, int64_t rowStride,         \
                               int64_t chunks, float scale, float *acc, float *maxes,            \
                               float *sums) {                                                    \
        for (; rows >= ATTN_ROWS; rows -= ATTN_ROWS, q += ATTN_ROWS * headDim,                   \
                                  acc += ATTN_ROWS * headDim, maxes += ATTN_ROWS, sums += ATTN_ROWS) \
            SW_ROWS_G(ATTN_ROWS, DT);                                                            \
        if (ATTN_ROWS > 2 && rows == 2) SW_ROWS_G(2, DT);                                        \
        else if (ATTN_ROWS > 1 && rows == 1) SW_ROWS_G(1, DT);                                   \
    }
SW_ROWS(SWX(rows_f32), SW_KV_F32)
SW_ROWS(SWX(rows_f16), SW_KV_F16)
SW_ROWS(SWX(rows_bf16), SW_KV_BF16)
SW_ROWS(SWX(rows_e4m3), SW_KV_FP8_E4M3)
SW_ROWS(SWX(rows_e5m2), SW_KV_FP8_E5M2)

SW_TARGET void SWX(sw_attention)(const float *q, int64_t numHeads, int64_t numKVHeads, int64_t headDim,
                                 const void *kCache, const void *vCache, int dtype, int64_t blockSize,
                                 const int32_t *blockTables, int64_t maxBlocksPerSeq, const int32_t *tokenSeq,
                                 const int32_t *tokenPos, float scale, int64_t window, float *out,
                                 int64_t itemStart, int64_t itemEnd, float *scratch) {
    // one inlined tile loop per element type, each with a direct chunk call
#define SW_TILES(CHUNK)                                                                          \
    sw_attention_tiles(SW_W, CHUNK, q, numHeads, numKVHeads, headDim, kCache, vCache, sw_kv_size(dtype), \
                       blockSize, blockTables, maxBlocksPerSeq, tokenSeq, tokenPos, scale, window,     \
                       out, itemStart, itemEnd, scratch)
    if (dtype == SW_KV_F16) SW_TILES(SWX(rows_f16));
    else if (dtype == SW_KV_BF16) SW_TILES(SWX(rows_bf16));
    else if (dtype == SW_KV_FP8_E4M3) SW_TILES(SWX(rows_e4m3));
    else if (dtype == SW_KV_FP8_E5M2) SW_TILES(SWX(rows_e5m2));
    else SW_TILES(SWX(rows_f32));
#undef SW_TILES
}

#undef SW_ROWS
#undef SW_ROWS_G
#undef ATTN_FULL_ANY
#undef ATTN_VCHUNKS
#undef ATTN_KEYS
#undef ATTN_ROWS
