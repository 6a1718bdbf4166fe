// Inputs and runs of the pinned-hash cases (kernel_cases.h), mirroring KernelOutputHashTests.swift.
#include "kernel_cases.h"
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "CKernels.h"

const char *const kc_column_names[KC_COLUMNS] = {"scalar", "avx2", "avx512"};

// ---- SplitMix64, as SeededRandom ---------------------------------------------------------------
typedef struct { uint64_t state; } kc_rng;
static uint64_t rng_next(kc_rng *r) {
    r->state += 0x9E3779B97F4A7C15ull;
    uint64_t z = r->state;
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}
/// Uniform in [-1, 1).
static float rng_signed(kc_rng *r) { return (float)(rng_next(r) >> 40) / (float)(1 << 23) - 1; }
static float *rng_floats(kc_rng *r, int64_t count, float scale) {
    float *p = malloc((size_t)(count > 0 ? count : 1) * 4);
    for (int64_t i = 0; i < count; i++) p[i] = rng_signed(r) * scale;
    return p;
}
/// A finite half in ±[2^-5, 2^2): sign, exponent, mantissa drawn in that order.
static uint16_t rng_half(kc_rng *r) {
    uint16_t sign = (uint16_t)((rng_next(r) & 1) << 15);
    uint16_t exponent = (uint16_t)((10 + rng_next(r) % 7) << 10);
    return (uint16_t)(sign | exponent | (rng_next(r) & 0x3FF));
}
static float bits_float(uint32_t u) { float f; memcpy(&f, &u, 4); return f; }
static uint32_t float_bits(float f) { uint32_t u; memcpy(&u, &f, 4); return u; }

static const char *const kTypeNames[SW_NUM_TYPES] = {"f32", "f16", "bf16", "q4_0", "q4_1", "q5_0", "q5_1",
                                                     "q8_0", "q2_K", "q3_K", "q4_K", "q5_K", "q6_K", "f8_e4m3_b32",
                                                     "i8_b32", "u4_b32"};
/// Byte offsets of each block type's half scales (TestSupport.swift's halfScaleOffsets).
static const int kHalfOffsets[SW_NUM_TYPES][2] = {
    {-1, -1}, {-1, -1}, {-1, -1}, {0, -1}, {0, 2}, {0, -1}, {0, 2}, {0, -1}, {80, 82}, {108, -1}, {0, 2}, {0, 2}, {208, -1},
    {-1, -1}, {-1, -1}, {-1, -1},  // f8_e4m3_b32, i8_b32, u4_b32: F32 scales, drawn below
};

/// randomWeightBytes of TestSupport.swift: random floats, halves or bytes with finite half scales.
static uint8_t *random_weights(int type, int64_t rows, int64_t cols, kc_rng *r) {
    int64_t n = rows * cols, count = n / sw_block_size(type) * sw_type_size(type);
    uint8_t *b = calloc((size_t)count + 64, 1);
    if (type == SW_F32) {
        for (int64_t i = 0; i < n; i++) { uint32_t u = float_bits(rng_signed(r)); memcpy(b + 4 * i, &u, 4); }
    } else if (type == SW_F16 || type == SW_BF16) {
        for (int64_t i = 0; i < n; i++) {
            uint16_t h = type == SW_F16 ? rng_half(r) : (uint16_t)(float_bits(rng_signed(r)) >> 16);
            memcpy(b + 2 * i, &h, 2);
        }
    } else if (type == SW_F8_E4M3_B32) {
        // randomWeightBytes: a positive F32 scale from a random half, 32 codes that are not NaN
        for (int64_t blk = 0; blk < count / 36; blk++) {
            uint16_t h = rng_half(r) & 0x7FFF;
            uint32_t bits = ((uint32_t)((h >> 10) & 0x1F) + 112u) << 23 | (uint32_t)(h & 0x3FF) << 13;
            memcpy(b + 36 * blk, &bits, 4);
            for (int i = 0; i < 32; i++) {
                uint8_t code = (uint8_t)rng_next(r);
                b[36 * blk + 4 + i] = (code & 0x7F) == 0x7F ? code ^ 1 : code;
            }
        }
    } else if (type == SW_I8_B32 || type == SW_U4_B32) {
        // randomWeightBytes: a positive F32 scale from a random half, (u4_b32) an integer zero
        // point in 0...15, then the code bytes
        int size = sw_type_size(type), codes = type == SW_I8_B32 ? 32 : 16;
        for (int64_t blk = 0; blk < count / size; blk++) {
            uint16_t h = rng_half(r) & 0x7FFF;
            uint32_t bits = ((uint32_t)((h >> 10) & 0x1F) + 112u) << 23 | (uint32_t)(h & 0x3FF) << 13;
            memcpy(b + size * blk, &bits, 4);
            if (type == SW_U4_B32) {
                float zero = (float)(rng_next(r) % 16);
                memcpy(b + size * blk + 4, &zero, 4);
            }
            for (int i = 0; i < codes; i++) b[size * blk + size - codes + i] = (uint8_t)rng_next(r);
        }
    } else {
        for (int64_t i = 0; i < count; i++) b[i] = (uint8_t)rng_next(r);
        for (int64_t blk = 0; blk < count / sw_type_size(type); blk++)
            for (int j = 0; j < 2 && kHalfOffsets[type][j] >= 0; j++) {
                uint16_t h = rng_half(r);
                memcpy(b + blk * sw_type_size(type) + kHalfOffsets[type][j], &h, 2);
            }
    }
    return b;
}

// ---- parsing ---------------------------------------------------------------------------------
static int weight_type(const char *name) {
    for (int t = 0; t < SW_NUM_TYPES; t++)
        if (strcmp(name, kTypeNames[t]) == 0) return t;
    return -1;
}

static int64_t *param_slot(kc_case *c, const char *key) {
    static const char *const keys[] = {"rows", "cols", "tokens", "count", "heads", "kvheads", "dim", "block", "window", "pairing"};
    int64_t *slots[] = {&c->rows, &c->cols, &c->tokens, &c->count, &c->heads, &c->kvheads, &c->dim, &c->block, &c->window, &c->pairing};
    for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++)
        if (strcmp(key, keys[i]) == 0) return slots[i];
    return NULL;
}

int kc_parse(const char *line, kc_case *c) {
    memset(c, 0, sizeof *c);
    char buf[512];
    snprintf(buf, sizeof buf, "%s", line);
    buf[strcspn(buf, "\r\n")] = 0;
    char *save = NULL, *tok = strtok_r(buf, " \t", &save);
    if (!tok || tok[0] == '#') return 0;
    snprintf(c->kind, sizeof c->kind, "%s", tok);
    snprintf(c->params, sizeof c->params, "%s", tok);
    while ((tok = strtok_r(NULL, " \t", &save))) {
        char *eq = strchr(tok, '=');
        if (!eq) return -1;
        *eq = 0;
        const char *key = tok, *value = eq + 1;
        int column = -1;
        for (int i = 0; i < KC_COLUMNS; i++)
            if (strcmp(key, kc_column_names[i]) == 0) column = i;
        if (column >= 0) {
            c->hash[column] = strtoull(value, NULL, 16);
            c->pinned[column] = 1;
            continue;
        }
        size_t used = strlen(c->params);
        snprintf(c->params + used, sizeof c->params - used, " %s=%s", key, value);
        int64_t *slot = param_slot(c, key);
        if (strcmp(key, "type") == 0) snprintf(c->type, sizeof c->type, "%s", value);
        else if (strcmp(key, "seed") == 0) c->seed = strtoull(value, NULL, 10);
        else if (slot) *slot = strtoll(value, NULL, 10);
        else return -1;
    }
    static const char *const kinds = " matmul packed dequant kvstore attention rmsnorm rope activations ";
    char padded[20];
    snprintf(padded, sizeof padded, " %s ", c->kind);
    if (!strstr(kinds, padded)) return -1;
    if ((!strcmp(c->kind, "matmul") || !strcmp(c->kind, "dequant")) && weight_type(c->type) < 0) return -1;
    return 1;
}

// ---- inputs ----------------------------------------------------------------------------------
static int kv_type(const char *name) {
    if (strcmp(name, "fp8_e4m3") == 0) return SW_KV_FP8_E4M3;
    if (strcmp(name, "fp8_e5m2") == 0) return SW_KV_FP8_E5M2;
    return strcmp(name, "f16") == 0 ? SW_KV_F16 : strcmp(name, "bf16") == 0 ? SW_KV_BF16 : SW_KV_F32;
}
static int64_t kv_size(int kvtype) {
    return kvtype == SW_KV_F32 ? 4 : kvtype == SW_KV_FP8_E4M3 || kvtype == SW_KV_FP8_E5M2 ? 1 : 2;
}

/// Attention: sequences of 5, 17 and 33 keys on shuffled blocks; the tokens are all of sequence
/// 0 (prefill), the last of sequence 1 (decode) and positions 20..<33 of sequence 2 (a chunk).
static void attention_inputs(const kc_case *c, kc_inputs *in, kc_rng *r) {
    const int64_t lengths[3] = {5, 17, 33}, B = c->block;
    int64_t maxBlocks = (33 + B - 1) / B, numBlocks = maxBlocks * 3 + 3;
    int32_t *ids = malloc((size_t)numBlocks * 4);
    for (int64_t i = 0; i < numBlocks; i++) ids[i] = (int32_t)i;
    for (int64_t i = numBlocks - 1; i > 0; i--) {
        int64_t j = (int64_t)(rng_next(r) % (uint64_t)(i + 1));
        int32_t t = ids[i]; ids[i] = ids[j]; ids[j] = t;
    }
    in->tables = malloc((size_t)(3 * maxBlocks) * 4);
    for (int64_t i = 0; i < 3 * maxBlocks; i++) in->tables[i] = -1;
    for (int64_t s = 0, next = 0; s < 3; s++)
        for (int64_t b = 0; b < (lengths[s] + B - 1) / B; b++) in->tables[s * maxBlocks + b] = ids[next++];
    free(ids);
    in->numTokens = 19;
    in->seqs = malloc(19 * 4);
    in->pos = malloc(19 * 4);
    for (int i = 0; i < 19; i++) {
        in->seqs[i] = i < 5 ? 0 : i == 5 ? 1 : 2;
        in->pos[i] = i < 5 ? i : i == 5 ? 16 : 20 + (i - 6);
    }
    in->maxBlocks = maxBlocks;
    int64_t cacheCount = numBlocks * B * c->kvheads * c->dim;
    float *k = rng_floats(r, cacheCount, 2), *v = rng_floats(r, cacheCount, 1);
    in->x = rng_floats(r, 19 * c->heads * c->dim, 2);
    in->scale = (float)(1 / sqrt((double)c->dim));
    in->k = malloc((size_t)(cacheCount * kv_size(in->kvtype)));
    in->v = malloc((size_t)(cacheCount * kv_size(in->kvtype)));
    sw_kv_store(SW_ISA_SCALAR, in->kvtype, k, in->k, cacheCount);
    sw_kv_store(SW_ISA_SCALAR, in->kvtype, v, in->v, cacheCount);
    free(k);
    free(v);
    in->outBytes = (size_t)(19 * c->heads * c->dim) * 4;
}

void kc_make_inputs(const kc_case *c, kc_inputs *in) {
    memset(in, 0, sizeof *in);
    kc_rng r = {c->seed};
    in->wtype = weight_type(c->type);
    in->kvtype = kv_type(c->type);
    if (!strcmp(c->kind, "matmul") || !strcmp(c->kind, "packed")) {
        if (!strcmp(c->kind, "packed") && !c->type[0]) in->wtype = SW_Q8_0;  // packed without a type: Q8_0
        in->w = random_weights(in->wtype, c->rows, c->cols, &r);
        in->x = rng_floats(&r, c->tokens * c->cols, !strcmp(c->kind, "packed") ? 3 : 1);
        in->outBytes = (size_t)(c->tokens * c->rows) * 4;
    } else if (!strcmp(c->kind, "dequant")) {
        in->w = random_weights(in->wtype, 1, c->count, &r);
        in->outBytes = (size_t)c->count * 4;
    } else if (!strcmp(c->kind, "kvstore")) {
        // every third value any bit pattern (subnormals; every ninth with the exponent all ones:
        // NaNs and infinities), the others magnitudes 2^-26 ..< 2^18 (half subnormals to past
        // the half range)
        in->x = malloc((size_t)c->count * 4);
        for (int64_t i = 0; i < c->count; i++) {
            if (i % 3 == 0) {
                uint32_t bits = (uint32_t)rng_next(&r);
                in->x[i] = bits_float(i % 9 == 0 ? bits | 0x7F800000u : bits);
                continue;
            }
            float a = rng_signed(&r);
            in->x[i] = a * bits_float((uint32_t)(101 + rng_next(&r) % 44) << 23);
        }
        in->outBytes = (size_t)(c->count * kv_size(in->kvtype));
    } else if (!strcmp(c->kind, "attention")) {
        attention_inputs(c, in, &r);
    } else if (!strcmp(c->kind, "rmsnorm")) {
        in->x = rng_floats(&r, c->tokens * c->dim, 3);
        in->y = rng_floats(&r, c->dim, 1);
        in->outBytes = (size_t)(c->tokens * c->dim) * 4;
    } else if (!strcmp(c->kind, "rope")) {
        // heads of tokens at positions below 8192, frequencies |u| for u uniform in [-1, 1)
        in->x = rng_floats(&r, c->tokens * c->heads * c->dim, 2);
        in->pos = malloc((size_t)c->tokens * 4);
        for (int64_t t = 0; t < c->tokens; t++) in->pos[t] = (int32_t)(rng_next(&r) % 8192);
        in->y = rng_floats(&r, c->dim / 2, 1);
        for (int64_t i = 0; i < c->dim / 2; i++) in->y[i] = fabsf(in->y[i]);
        in->outBytes = (size_t)(c->tokens * c->heads * c->dim) * 4;
    } else if (!strcmp(c->kind, "activations")) {
        in->x = rng_floats(&r, c->count, 6);
        in->y = rng_floats(&r, c->count, 1);
        in->outBytes = (size_t)(3 * c->count) * 4;
    }
}

void kc_free_inputs(kc_inputs *in) {
    free(in->w); free(in->x); free(in->y); free(in->k); free(in->v);
    free(in->tables); free(in->seqs); free(in->pos);
    memset(in, 0, sizeof *in);
}

// ---- runs ------------------------------------------------------------------------------------
void kc_matmul(int isa, const kc_inputs *in, int64_t rows, int64_t cols, int64_t rowStart, int64_t rowEnd,
               const float *x, int64_t tokens, float *y) {
    float *scratch = aligned_alloc(64, (size_t)(sw_matmul_scratch_floats(cols) * 4 + 63) / 64 * 64);
    int64_t rowBytes = cols / sw_block_size(in->wtype) * sw_type_size(in->wtype);
    sw_matmul_rows(isa, in->wtype, in->w, rowBytes, cols, rowStart, rowEnd, x, tokens, y, rows, scratch);
    free(scratch);
}

void kc_attention(int isa, const kc_case *c, const kc_inputs *in, const float *q, const int32_t *seqs,
                  const int32_t *pos, int64_t itemStart, int64_t itemEnd, float *out) {
    int64_t floats = sw_attention_scratch_floats(c->heads, c->kvheads, c->dim, c->block);
    float *scratch = aligned_alloc(64, (size_t)(floats * 4 + 63) / 64 * 64);
    sw_paged_attention(isa, q, c->heads, c->kvheads, c->dim, in->k, in->v, in->kvtype, c->block, in->tables,
                       in->maxBlocks, seqs, pos, in->scale, c->window, out, itemStart, itemEnd, scratch);
    free(scratch);
}

/// Packed weights: packed, activations quantized on `isa` (FP8: taken as F32), then the 16-row
/// group kernel.
static void packed_matmul(int isa, const kc_case *c, const kc_inputs *in, float *y) {
    void *packed = aligned_alloc(64, (size_t)(sw_packed_bytes(in->wtype, c->rows, c->cols) + 63) / 64 * 64);
    if (in->wtype == SW_F8_E4M3_B32) {
        float *scratch = malloc((size_t)(16 * c->cols) * 4);
        sw_pack(in->wtype, in->w, c->rows, c->cols, packed);
        sw_matmul_f8_rows(isa, packed, c->cols, 0, c->rows, in->x, c->tokens, y, c->rows, scratch);
        free(scratch);
        free(packed);
        return;
    }
    void *xq = malloc((size_t)(c->tokens * sw_q8_act_bytes(c->cols)));
    sw_pack(in->wtype, in->w, c->rows, c->cols, packed);
    sw_q8_quantize(isa, in->x, c->tokens, c->cols, xq);
    sw_matmul_packed_rows(isa, in->wtype, packed, c->cols, 0, c->rows, xq, c->tokens, y, c->rows);
    free(packed);
    free(xq);
}

void kc_run(const kc_case *c, const kc_inputs *in, int isa, void *out) {
    float *f = out;
    if (!strcmp(c->kind, "matmul")) {
        kc_matmul(isa, in, c->rows, c->cols, 0, c->rows, in->x, c->tokens, f);
    } else if (!strcmp(c->kind, "packed")) {
        packed_matmul(isa, c, in, f);
    } else if (!strcmp(c->kind, "dequant")) {
        sw_dequantize(isa, in->wtype, in->w, c->count, f);
    } else if (!strcmp(c->kind, "kvstore")) {
        sw_kv_store(isa, in->kvtype, in->x, out, c->count);
    } else if (!strcmp(c->kind, "attention")) {
        kc_attention(isa, c, in, in->x, in->seqs, in->pos, 0, in->numTokens * c->kvheads, f);
    } else if (!strcmp(c->kind, "rmsnorm")) {
        sw_rms_norm(isa, in->x, in->y, 1e-5f, c->tokens, c->dim, f);
    } else if (!strcmp(c->kind, "rope")) {
        memcpy(f, in->x, in->outBytes);
        sw_rope(isa, f, c->tokens, c->heads, c->dim, in->pos, in->y, (int)c->pairing);
    } else if (!strcmp(c->kind, "activations")) {
        sw_silu_mul(isa, in->x, in->y, c->count, f);
        sw_gelu_tanh_mul(isa, in->x, in->y, c->count, f + c->count);
        memcpy(f + 2 * c->count, in->x, (size_t)c->count * 4);
        sw_add(isa, f + 2 * c->count, in->y, c->count);
    }
}

uint64_t kc_fnv1a(const void *bytes, size_t count) {
    const uint8_t *p = bytes;
    uint64_t h = 0xCBF29CE484222325ull;
    for (size_t i = 0; i < count; i++) h = (h ^ p[i]) * 0x100000001B3ull;
    return h;
}
