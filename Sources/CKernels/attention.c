// Paged causal attention. One work item is (token, KV head): the query heads sharing that KV
// head are handled together, so each K/V row is read once per group. Keys are visited one
// cache block at a time: scores of the block, then one online-softmax rescale per block.
#include <math.h>
#include "sw_internal.h"
#include "sw_math.h"

int64_t sw_attention_scratch_floats(int64_t numHeads, int64_t numKVHeads, int64_t headDim,
                                    int64_t blockSize) {
    int64_t group = numKVHeads > 0 ? numHeads / numKVHeads : numHeads;
    return group * (headDim + blockSize + 2) + 64;
}

SW_INLINE float dot_body(const float *a, const float *b, int64_t n) {
    float s[16] = {0};
    int64_t i = 0;
    for (; i + 16 <= n; i += 16)
        for (int k = 0; k < 16; k++) s[k] += a[i + k] * b[i + k];
    for (; i < n; i++) s[i % 16] += a[i] * b[i];
    return sw_sum16(s);
}

SW_INLINE void attention_body(const float *q, int64_t numHeads, int64_t numKVHeads,
                              int64_t headDim, const float *kCache, const float *vCache,
                              int64_t blockSize, const int32_t *blockTables,
                              int64_t maxBlocksPerSeq, const int32_t *tokenSeq,
                              const int32_t *tokenPos, float scale, float *out,
                              int64_t itemStart, int64_t itemEnd, float *scratch) {
    int64_t group = numHeads / numKVHeads;
    int64_t rowStride = numKVHeads * headDim;  // floats between positions in a cache block
    float *acc = scratch;                       // [group, headDim]
    float *scores = acc + group * headDim;      // [group, blockSize]
    float *maxes = scores + group * blockSize;  // [group]
    float *sums = maxes + group;                // [group]
    for (int64_t item = itemStart; item < itemEnd; item++) {
        int64_t t = item / numKVHeads, kvh = item % numKVHeads;
        const int32_t *table = blockTables + (int64_t)tokenSeq[t] * maxBlocksPerSeq;
        int64_t numKeys = (int64_t)tokenPos[t] + 1;
        const float *qg = q + (t * numHeads + kvh * group) * headDim;
        for (int64_t i = 0; i < group * headDim; i++) acc[i] = 0;
        for (int64_t g = 0; g < group; g++) { maxes[g] = -INFINITY; sums[g] = 0; }
        for (int64_t start = 0, b = 0; start < numKeys; start += blockSize, b++) {
            int64_t n = numKeys - start < blockSize ? numKeys - start : blockSize;
            int64_t base = ((int64_t)table[b] * blockSize * numKVHeads + kvh) * headDim;
            const float *kb = kCache + base, *vb = vCache + base;
            for (int64_t g = 0; g < group; g++) {
                float *sg = scores + g * blockSize;
                float blockMax = -INFINITY;
                for (int64_t j = 0; j < n; j++) {
                    float s = dot_body(qg + g * headDim, kb + j * rowStride, headDim) * scale;
                    sg[j] = s;
                    blockMax = s > blockMax ? s : blockMax;
                }
                float newMax = blockMax > maxes[g] ? blockMax : maxes[g];
                float correction = maxes[g] == -INFINITY ? 0.0f : sw_expf(maxes[g] - newMax);
                float *ag = acc + g * headDim;
                if (correction != 1.0f)
                    for (int64_t i = 0; i < headDim; i++) ag[i] *= correction;
                float sum = sums[g] * correction;
                for (int64_t j = 0; j < n; j++) {
                    float p = sw_expf(sg[j] - newMax);
                    sum += p;
                    const float *v = vb + j * rowStride;
                    for (int64_t i = 0; i < headDim; i++) ag[i] += p * v[i];
                }
                sums[g] = sum;
                maxes[g] = newMax;
            }
        }
        for (int64_t g = 0; g < group; g++) {
            float *o = out + (t * numHeads + kvh * group + g) * headDim;
            float inv = 1.0f / sums[g];
            for (int64_t i = 0; i < headDim; i++) o[i] = acc[g * headDim + i] * inv;
        }
    }
}

#define SW_ATTN(SUFFIX, ATTR)                                                                    \
    ATTR static void attention_##SUFFIX(                                                         \
        const float *q, int64_t nh, int64_t nkv, int64_t hd, const float *k, const float *v,     \
        int64_t bs, const int32_t *bt, int64_t mb, const int32_t *ts, const int32_t *tp,         \
        float sc, float *o, int64_t a, int64_t b, float *scr) {                                  \
        attention_body(q, nh, nkv, hd, k, v, bs, bt, mb, ts, tp, sc, o, a, b, scr);              \
    }
SW_ATTN(scalar, )
#if SW_X86
SW_ATTN(avx2, SW_AVX2)
SW_ATTN(avx512, SW_AVX512)
#endif

void sw_paged_attention(int isa, const float *q, int64_t numHeads, int64_t numKVHeads,
                        int64_t headDim, const float *kCache, const float *vCache,
                        int64_t blockSize, const int32_t *blockTables, int64_t maxBlocksPerSeq,
                        const int32_t *tokenSeq, const int32_t *tokenPos, float scale,
                        float *out, int64_t itemStart, int64_t itemEnd, float *scratch) {
#if SW_X86
    if (isa == SW_ISA_AVX512) {
        attention_avx512(q, numHeads, numKVHeads, headDim, kCache, vCache, blockSize, blockTables,
                         maxBlocksPerSeq, tokenSeq, tokenPos, scale, out, itemStart, itemEnd, scratch);
        return;
    }
    if (isa == SW_ISA_AVX2) {
        attention_avx2(q, numHeads, numKVHeads, headDim, kCache, vCache, blockSize, blockTables,
                       maxBlocksPerSeq, tokenSeq, tokenPos, scale, out, itemStart, itemEnd, scratch);
        return;
    }
#endif
    (void)isa;
    attention_scalar(q, numHeads, numKVHeads, headDim, kCache, vCache, blockSize, blockTables,
                     maxBlocksPerSeq, tokenSeq, tokenPos, scale, out, itemStart, itemEnd, scratch);
}
