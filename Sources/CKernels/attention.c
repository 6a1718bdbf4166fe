// Paged causal attention. One work item is (token, KV head): the query heads sharing that KV
// head are handled together, so each K/V row is read once per group. Keys are visited one
// cache block at a time: scores of the block, then one online-softmax rescale per block. On
// AArch64 the body also runs with NEON steps (attention_neon.h) that give the same bits.
#include <math.h>
#include "sw_internal.h"
#include "sw_math.h"
#include "kv_elements.h"
#include "attention_neon.h"

int64_t sw_attention_scratch_floats(int64_t numHeads, int64_t numKVHeads, int64_t headDim,
                                    int64_t blockSize) {
    int64_t group = numKVHeads > 0 ? numHeads / numKVHeads : numHeads;
    // generic path: group * (headDim + blockSize + 2); tiled paths: 4 tokens * group * (headDim + 2)
    int64_t generic = group * (headDim + blockSize + 2), tiled = 4 * group * (headDim + 2);
    return (generic > tiled ? generic : tiled) + 64;
}

/// q · (row of dtype elements starting at element `at` of b).
SW_INLINE float dot_body(const float *a, const void *b, int64_t at, int64_t n, const int dtype) {
    float s[16] = {0};
    int64_t i = 0;
    for (; i + 16 <= n; i += 16)
        for (int k = 0; k < 16; k++) s[k] += a[i + k] * sw_kv_load(b, at + i + k, dtype);
    for (; i < n; i++) s[i % 16] += a[i] * sw_kv_load(b, at + i, dtype);
    return sw_sum16(s);
}

/// acc = acc * correction + sum_j p[j] v_j, 16 columns at a time kept in registers; v_j is the
/// dtype row j * rowStride elements into vb.
SW_INLINE void accumulate_body(float *acc, const float *p, int64_t n, const void *vb, int64_t rowStride,
                               int64_t headDim, float correction, const int dtype) {
    int64_t i = 0;
    for (; i + 16 <= headDim; i += 16) {
        float a[16];
        for (int k = 0; k < 16; k++) a[k] = acc[i + k] * correction;
        for (int64_t j = 0; j < n; j++) {
            int64_t v = j * rowStride + i;
            float pj = p[j];
            for (int k = 0; k < 16; k++) a[k] += pj * sw_kv_load(vb, v + k, dtype);
        }
        for (int k = 0; k < 16; k++) acc[i + k] = a[k];
    }
    for (; i < headDim; i++) {
        float a = acc[i] * correction;
        for (int64_t j = 0; j < n; j++) a += p[j] * sw_kv_load(vb, j * rowStride + i, dtype);
        acc[i] = a;
    }
}

// The body's three vector steps, with the NEON ones where `neon` (a constant) is set.
SW_INLINE float score_dot(const float *a, const void *b, int64_t at, int64_t n, const int dtype, const int neon) {
#if defined(__aarch64__)
    if (neon) return neon_attention_dot(a, b, at, n, dtype);
#endif
    (void)neon;
    return dot_body(a, b, at, n, dtype);
}
SW_INLINE void exp_scores(float *s, int64_t n, float max, const int neon) {
#if defined(__aarch64__)
    if (neon) { neon_attention_exp(s, n, max); return; }
#endif
    (void)neon;
    for (int64_t j = 0; j < n; j++) s[j] = sw_expf(s[j] - max);  // vectorizes
}
SW_INLINE void accumulate_values(float *acc, const float *p, int64_t n, const void *vb, int64_t rowStride,
                                 int64_t headDim, float correction, const int dtype, const int neon) {
#if defined(__aarch64__)
    if (neon) { neon_attention_accumulate(acc, p, n, vb, rowStride, headDim, correction, dtype); return; }
#endif
    (void)neon;
    accumulate_body(acc, p, n, vb, rowStride, headDim, correction, dtype);
}

SW_INLINE void attention_body(const float *q, int64_t numHeads, int64_t numKVHeads,
                              int64_t headDim, const void *kCache, const void *vCache,
                              const int dtype, int64_t blockSize, const int32_t *blockTables,
                              int64_t maxBlocksPerSeq, const int32_t *tokenSeq,
                              const int32_t *tokenPos, float scale, int64_t window, float *out,
                              int64_t itemStart, int64_t itemEnd, float *scratch, const int neon) {
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
        int64_t firstKey = window > 0 && numKeys > window ? numKeys - window : 0;
        const float *qg = q + (t * numHeads + kvh * group) * headDim;
        for (int64_t i = 0; i < group * headDim; i++) acc[i] = 0;
        for (int64_t g = 0; g < group; g++) { maxes[g] = -INFINITY; sums[g] = 0; }
        int64_t firstBlock = firstKey / blockSize;
        for (int64_t start = firstBlock * blockSize, b = firstBlock; start < numKeys; start += blockSize, b++) {
            int64_t lo = firstKey > start ? firstKey - start : 0;  // keys before the window
            int64_t n = (numKeys - start < blockSize ? numKeys - start : blockSize) - lo;
            int64_t base = (((int64_t)table[b] * blockSize + lo) * numKVHeads + kvh) * headDim;
            const void *kb = (const char *)kCache + base * sw_kv_size(dtype);
            const void *vb = (const char *)vCache + base * sw_kv_size(dtype);
            for (int64_t g = 0; g < group; g++) {
                float *sg = scores + g * blockSize;
                const float *qh = qg + g * headDim;
                for (int64_t j = 0; j < n; j++) sg[j] = score_dot(qh, kb, j * rowStride, headDim, dtype, neon) * scale;
                float blockMax = -INFINITY;
                for (int64_t j = 0; j < n; j++) blockMax = sg[j] > blockMax ? sg[j] : blockMax;
                float newMax = blockMax > maxes[g] ? blockMax : maxes[g];
                float correction = maxes[g] == -INFINITY ? 0.0f : sw_expf(maxes[g] - newMax);
                exp_scores(sg, n, newMax, neon);
                float sum = sums[g] * correction;
                for (int64_t j = 0; j < n; j++) sum += sg[j];
                accumulate_values(acc + g * headDim, sg, n, vb, rowStride, headDim, correction, dtype, neon);
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

#if SW_X86
void sw_attention_avx512(const float *q, int64_t numHeads, int64_t numKVHeads, int64_t headDim,
                         const void *kCache, const void *vCache, int dtype, int64_t blockSize,
                         const int32_t *blockTables, int64_t maxBlocksPerSeq,
                         const int32_t *tokenSeq, const int32_t *tokenPos, float scale,
                         int64_t window, float *out, int64_t itemStart, int64_t itemEnd,
                         float *scratch);
void sw_attention_avx2(const float *q, int64_t numHeads, int64_t numKVHeads, int64_t headDim,
                       const void *kCache, const void *vCache, int dtype, int64_t blockSize,
                       const int32_t *blockTables, int64_t maxBlocksPerSeq,
                       const int32_t *tokenSeq, const int32_t *tokenPos, float scale,
                       int64_t window, float *out, int64_t itemStart, int64_t itemEnd,
                       float *scratch);
#endif

// One function per ISA and element type, so each inlined body sees a constant dtype.
#define SW_ATTN(SUFFIX, ATTR, DT, NEON)                                                          \
    ATTR static void attention_##SUFFIX(                                                         \
        const float *q, int64_t nh, int64_t nkv, int64_t hd, const void *k, const void *v,       \
        int64_t bs, const int32_t *bt, int64_t mb, const int32_t *ts, const int32_t *tp,         \
        float sc, int64_t win, float *o, int64_t a, int64_t b, float *scr) {                     \
        attention_body(q, nh, nkv, hd, k, v, DT, bs, bt, mb, ts, tp, sc, win, o, a, b, scr, NEON); \
    }
#define SW_ATTN_TYPES(SUFFIX, ATTR, NEON)                                                        \
    SW_ATTN(SUFFIX##_f32, ATTR, SW_KV_F32, NEON)                                                 \
    SW_ATTN(SUFFIX##_f16, ATTR, SW_KV_F16, NEON)                                                 \
    SW_ATTN(SUFFIX##_bf16, ATTR, SW_KV_BF16, NEON)                                               \
    SW_ATTN(SUFFIX##_e4m3, ATTR, SW_KV_FP8_E4M3, NEON)                                           \
    SW_ATTN(SUFFIX##_e5m2, ATTR, SW_KV_FP8_E5M2, NEON)
SW_ATTN_TYPES(scalar, , 0)
#if SW_X86
SW_ATTN_TYPES(avx2, SW_AVX2, 0)
SW_ATTN_TYPES(avx512, SW_AVX512, 0)
#endif
#if defined(__aarch64__)
SW_ATTN_TYPES(neon, , 1)
#endif
#define SW_ATTN_CALL(SUFFIX)                                                                     \
    do {                                                                                         \
        if (dtype == SW_KV_F16) attention_##SUFFIX##_f16(ARGS);                                  \
        else if (dtype == SW_KV_BF16) attention_##SUFFIX##_bf16(ARGS);                           \
        else if (dtype == SW_KV_FP8_E4M3) attention_##SUFFIX##_e4m3(ARGS);                       \
        else if (dtype == SW_KV_FP8_E5M2) attention_##SUFFIX##_e5m2(ARGS);                       \
        else attention_##SUFFIX##_f32(ARGS);                                                     \
        return;                                                                                  \
    } while (0)

void sw_paged_attention(int isa, const float *q, int64_t numHeads, int64_t numKVHeads,
                        int64_t headDim, const void *kCache, const void *vCache, int dtype,
                        int64_t blockSize, const int32_t *blockTables, int64_t maxBlocksPerSeq,
                        const int32_t *tokenSeq, const int32_t *tokenPos, float scale,
                        int64_t window, float *out, int64_t itemStart, int64_t itemEnd,
                        float *scratch) {
#define ARGS q, numHeads, numKVHeads, headDim, kCache, vCache, blockSize, blockTables, \
             maxBlocksPerSeq, tokenSeq, tokenPos, scale, window, out, itemStart, itemEnd, scratch
#if SW_X86
    if (isa == SW_ISA_AVX512 && headDim % 16 == 0) {
        sw_attention_avx512(q, numHeads, numKVHeads, headDim, kCache, vCache, dtype, blockSize, blockTables,
                            maxBlocksPerSeq, tokenSeq, tokenPos, scale, window, out, itemStart, itemEnd, scratch);
        return;
    }
    if (isa == SW_ISA_AVX512) SW_ATTN_CALL(avx512);
    if (isa == SW_ISA_AVX2 && headDim % 8 == 0) {
        sw_attention_avx2(q, numHeads, numKVHeads, headDim, kCache, vCache, dtype, blockSize, blockTables,
                          maxBlocksPerSeq, tokenSeq, tokenPos, scale, window, out, itemStart, itemEnd, scratch);
        return;
    }
    if (isa == SW_ISA_AVX2) SW_ATTN_CALL(avx2);
#endif
#if defined(__aarch64__)
    // the NEON steps (attention_neon.h) give the scalar bits; other head sizes take the scalar ones
    if (isa == SW_ISA_NEON && headDim % 16 == 0) SW_ATTN_CALL(neon);
#endif
    (void)isa;
    SW_ATTN_CALL(scalar);
#undef ARGS
}
