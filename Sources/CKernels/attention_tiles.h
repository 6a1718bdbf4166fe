// The token-tiled paged-attention loop shared by the AVX-512 and AVX2 paths: up to 4
// consecutive tokens of one sequence share each pass over the keys, which are visited in
// chunks of `width` (never across a cache block; chunk starts are block start + multiples of
// `width`, a grid fixed by key positions). `chunk` updates the query rows of one token that share
// the KV head with keys lo..<n of a chunk; kb/vb point at the chunk's first K/V row (elements of `elementSize` bytes, rows
// rowStride elements apart). Each row's arithmetic depends only on key positions, never on the tile it is in, so
// results are the same for any split of the work.
#ifndef SWIFTLET_ATTENTION_TILES_H
#define SWIFTLET_ATTENTION_TILES_H
#include <math.h>
#include "sw_internal.h"

#define SW_ATTN_TILE 4

/// Updates `rows` query rows of one token (q rows and acc rows headDim floats apart, maxes and
/// sums one float apart) with keys lo..<n of a chunk.
typedef void (*sw_chunk_fn)(const float *q, int64_t rows, int64_t headDim, const void *kb, const void *vb,
                            int64_t lo, int64_t n, int64_t rowStride, int64_t chunks, float scale,
                            float *acc, float *maxes, float *sums);

/// Keys in the chunk that starts at key `start` (at most `width`, never past its cache block or
/// maxKeys); *at is the byte offset of its first row for the KV head at element kvhOffset.
SW_INLINE int64_t sw_chunk_span(int64_t start, int64_t width, int64_t blockSize, int64_t maxKeys,
                                const int32_t *table, int64_t rowStride, int64_t kvhOffset,
                                int64_t elementSize, int64_t *at) {
    int64_t inBlock = start % blockSize, n = blockSize - inBlock;
    if (n > width) n = width;
    if (n > maxKeys - start) n = maxKeys - start;
    int64_t row = (int64_t)table[start / blockSize] * blockSize + inBlock;
    *at = (row * rowStride + kvhOffset) * elementSize;
    return n;
}

SW_INLINE void sw_attention_tiles(const int width, const sw_chunk_fn chunk, const float *q,
                                  int64_t numHeads, int64_t numKVHeads, int64_t headDim,
                                  const void *kCache, const void *vCache, int64_t elementSize,
                                  int64_t blockSize,
                                  const int32_t *blockTables, int64_t maxBlocksPerSeq,
                                  const int32_t *tokenSeq, const int32_t *tokenPos, float scale,
                                  int64_t window, float *out, int64_t itemStart, int64_t itemEnd,
                                  float *scratch) {
    int64_t group = numHeads / numKVHeads, rowStride = numKVHeads * headDim, chunks = headDim / width;
    int64_t numRows = SW_ATTN_TILE * group;  // query rows of a tile: (token i, head g) -> i * group + g
    float *acc = scratch, *maxes = acc + numRows * headDim, *sums = maxes + numRows;
    for (int64_t kvh = 0; kvh < numKVHeads; kvh++) {
        // tokens t whose item t * numKVHeads + kvh lies in [itemStart, itemEnd)
        int64_t tFirst = itemStart <= kvh ? 0 : (itemStart - kvh + numKVHeads - 1) / numKVHeads;
        int64_t tEnd = itemEnd <= kvh ? 0 : (itemEnd - 1 - kvh) / numKVHeads + 1;
        for (int64_t t0 = tFirst; t0 < tEnd;) {
            int64_t tileTokens = 1, maxKeys = (int64_t)tokenPos[t0] + 1, minKeys = maxKeys;
            while (tileTokens < SW_ATTN_TILE && t0 + tileTokens < tEnd && tokenSeq[t0 + tileTokens] == tokenSeq[t0]) {
                int64_t keys = (int64_t)tokenPos[t0 + tileTokens] + 1;
                maxKeys = keys > maxKeys ? keys : maxKeys;
                minKeys = keys < minKeys ? keys : minKeys;
                tileTokens++;
            }
            // First chunk: the chunk-grid point (block start + multiple of width) at or below the
            // earliest window start in the tile; the grid depends only on key positions.
            int64_t firstKey = window > 0 && minKeys > window ? minKeys - window : 0;
            int64_t first = firstKey - firstKey % blockSize + (firstKey % blockSize) / width * width;
            const int32_t *table = blockTables + (int64_t)tokenSeq[t0] * maxBlocksPerSeq;
            for (int64_t i = 0; i < tileTokens * group * headDim; i++) acc[i] = 0;
            for (int64_t r = 0; r < tileTokens * group; r++) { maxes[r] = -INFINITY; sums[r] = 0; }
            for (int64_t start = first; start < maxKeys;) {
                int64_t at;  // bytes
                int64_t n = sw_chunk_span(start, width, blockSize, maxKeys, table, rowStride, kvh * headDim,
                                          elementSize, &at);
                const void *kb = (const char *)kCache + at, *vb = (const char *)vCache + at;
#if SW_X86
                // The next chunk's K and V rows are requested now: the hardware prefetcher does not
                // follow rows rowStride apart in blocks scattered by the block table.
                if (start + n < maxKeys) {
                    int64_t nextAt, nn = sw_chunk_span(start + n, width, blockSize, maxKeys, table, rowStride,
                                                       kvh * headDim, elementSize, &nextAt);
                    for (int64_t j = 0; j < nn; j++) {
                        int64_t o = nextAt + j * rowStride * elementSize;
                        sw_prefetch_span((const char *)kCache + o, headDim * elementSize);
                        sw_prefetch_span((const char *)vCache + o, headDim * elementSize);
                    }
                }
#endif
                for (int64_t i = 0; i < tileTokens; i++) {
                    int64_t keys = (int64_t)tokenPos[t0 + i] + 1;
                    int64_t rowFirst = window > 0 && keys > window ? keys - window : 0;
                    int64_t ni = keys - start < n ? keys - start : n;
                    int64_t lo = rowFirst > start ? rowFirst - start : 0;
                    if (ni <= lo) continue;  // chunk entirely outside this row's keys
                    const float *qt = q + ((t0 + i) * numHeads + kvh * group) * headDim;
                    int64_t r = i * group;  // the token's first row
                    chunk(qt, group, headDim, kb, vb, lo, ni, rowStride, chunks, scale, acc + r * headDim,
                          maxes + r, sums + r);
                }
                start += n;
            }
            for (int64_t i = 0; i < tileTokens; i++)
                for (int64_t g = 0; g < group; g++) {
                    int64_t r = i * group + g;
                    float *o = out + ((t0 + i) * numHeads + kvh * group + g) * headDim;
                    float inv = 1.0f / sums[r];
                    for (int64_t c = 0; c < headDim; c++) o[c] = acc[r * headDim + c] * inv;
                }
            t0 += tileTokens;
        }
    }
}
#endif
