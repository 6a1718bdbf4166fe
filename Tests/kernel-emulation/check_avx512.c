// The CKernels AVX-512 code, built against emu512.h, checked on every case of the pinned-hash
// fixture (scripts/check-avx512-emulated builds and runs this):
//   - the outputs' hashes per instruction set (scalar and AVX2 native, AVX-512 emulated) against
//     the fixture, when built with clang as SwiftPM builds CKernels (--hashes);
//   - AVX-512 against the Double references within the bounds of the Swift KernelsTests
//     (MatmulTests, AttentionTests), or bit for bit against scalar where those tests require it
//     (dequantization, the KV write, packed Q8_0 / Q4_0 / Q4_1 with and without VNNI);
//   - the bit-for-bit invariances the Swift tests require of every instruction set: a token alone
//     equals the token in its batch, any split of the rows or of the attention work items gives
//     the same bits, and each query head computed alone gives its bits in a GQA group.
// With --update it prints the fixture with every case's hashes recomputed instead.
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "CKernels.h"
#include "kernel_cases.h"

int emu512_check(void);

/// Stands in for the CPUID probe (peak_rates.c is not built): the packed kernels run with and without VNNI.
static int vnni = 1;
int sw_has_avx512_vnni(void) { return vnni; }

static int checks, failures;
static const char *current;

/// Counts a check; a failed one is printed (detail: a measure of how far off, when there is one).
static void expect(int ok, const char *what, double detail) {
    checks++;
    if (ok || failures++ >= 40) return;
    if (detail == detail) fprintf(stderr, "FAIL  %s: %s (%g)\n", current, what, detail);
    else fprintf(stderr, "FAIL  %s: %s\n", current, what);
}

/// Elements of a and b (count floats) whose bits differ.
static int64_t differ(const float *a, const float *b, int64_t count) {
    int64_t n = 0;
    for (int64_t i = 0; i < count; i++) n += memcmp(a + i, b + i, 4) != 0;
    return n;
}

static const double u = 0x1p-24;  // Float unit roundoff

// ---- matmul ----------------------------------------------------------------------------------
static void check_matmul(const kc_case *c, const kc_inputs *in, const float *got) {
    int64_t R = c->rows, C = c->cols, T = c->tokens;
    // MatmulTests: |got - exact| <= C u sum|w x| + u |exact| with exactly dequantized weights.
    float *row = malloc((size_t)C * 4);
    int64_t rowBytes = C / sw_block_size(in->wtype) * sw_type_size(in->wtype);
    double worst = 0;
    for (int64_t r = 0; r < R; r++) {
        sw_dequantize(SW_ISA_SCALAR, in->wtype, in->w + r * rowBytes, C, row);
        for (int64_t t = 0; t < T; t++) {
            double sum = 0, magnitude = 0;
            for (int64_t k = 0; k < C; k++) {
                sum += (double)row[k] * in->x[t * C + k];
                magnitude += fabs((double)row[k] * in->x[t * C + k]);
            }
            double e = (float)sum, bound = C * u * magnitude + u * fabs(e) + 1e-30;
            double ratio = fabs(got[t * R + r] - e) / bound;
            worst = ratio > worst ? ratio : worst;
        }
    }
    free(row);
    expect(worst <= 1, "matmul error over the MatmulTests bound", worst);
    // each token alone (numTokens 1, the decode path) gives its bits in the batch
    float *one = malloc((size_t)R * 4), *split = malloc((size_t)(T * R) * 4);
    int64_t bad = 0;
    for (int64_t t = 0; t < T; t++) {
        kc_matmul(SW_ISA_AVX512, in, R, C, 0, R, in->x + t * C, 1, one);
        bad += differ(one, got + t * R, R);
    }
    expect(bad == 0, "matmul: token alone differs from the batch", (double)bad);
    // rows split as two workers would take them (a 16-row tile, then the rest)
    kc_matmul(SW_ISA_AVX512, in, R, C, 0, 16 < R ? 16 : R, in->x, T, split);
    if (R > 16) kc_matmul(SW_ISA_AVX512, in, R, C, 16, R, in->x, T, split);
    bad = differ(split, got, T * R);
    expect(bad == 0, "matmul: rows split 16 + rest differ", (double)bad);
    free(one);
    free(split);
}

// ---- attention -------------------------------------------------------------------------------
/// The whole cache widened to floats (SW_KV_* elements are exact in float).
static float *widened(const void *cache, int kvtype, int64_t count) {
    float *f = malloc((size_t)count * 4);
    if (kvtype == SW_KV_FP8_E4M3 || kvtype == SW_KV_FP8_E5M2) {
        // from the formats' definitions: sign, exponent (bias 7 / 15), 3 / 2 mantissa bits
        int e4m3 = kvtype == SW_KV_FP8_E4M3, man = e4m3 ? 3 : 2, bias = e4m3 ? 7 : 15;
        for (int64_t i = 0; i < count; i++) {
            uint8_t b = ((const uint8_t *)cache)[i];
            int e = (b & 0x7F) >> man, m = b & ((1 << man) - 1);
            float mag = e == 0 ? ldexpf((float)m, 1 - bias - man) : ldexpf((float)((1 << man) + m), e - bias - man);
            if (e4m3 ? (b & 0x7F) == 0x7F : e == 31) mag = e4m3 || m ? NAN : INFINITY;
            f[i] = b & 0x80 ? -mag : mag;
        }
        return f;
    }
    sw_dequantize(SW_ISA_SCALAR, kvtype, cache, count, f);  // SW_KV_F32/F16/BF16 == SW_F32/F16/BF16
    return f;
}

/// AttentionTests' reference: all scores of the window, two-pass softmax, weighted sum, in Double.
static double attention_error(const kc_case *c, const kc_inputs *in, const float *got) {
    int64_t H = c->heads, K = c->kvheads, D = c->dim, B = c->block, group = H / K;
    int64_t cacheCount = ((in->maxBlocks * 3 + 3) * B) * K * D;
    float *k = widened(in->k, in->kvtype, cacheCount), *v = widened(in->v, in->kvtype, cacheCount);
    double worst = 0, scores[64], acc[512];
    for (int64_t t = 0; t < in->numTokens; t++) {
        int64_t keys = in->pos[t] + 1, first = c->window > 0 && keys > c->window ? keys - c->window : 0;
        const int32_t *table = in->tables + in->seqs[t] * in->maxBlocks;
        for (int64_t h = 0; h < H; h++) {
            const float *q = in->x + (t * H + h) * D;
            double top = -INFINITY, total = 0;
            for (int64_t p = first; p < keys; p++) {
                const float *kr = k + ((table[p / B] * B + p % B) * K + h / group) * D;
                double dot = 0;
                for (int64_t i = 0; i < D; i++) dot += (double)q[i] * kr[i];
                scores[p] = dot * in->scale;
                top = scores[p] > top ? scores[p] : top;
            }
            for (int64_t i = 0; i < D; i++) acc[i] = 0;
            for (int64_t p = first; p < keys; p++) {
                double weight = exp(scores[p] - top);
                const float *vr = v + ((table[p / B] * B + p % B) * K + h / group) * D;
                total += weight;
                for (int64_t i = 0; i < D; i++) acc[i] += weight * vr[i];
            }
            for (int64_t i = 0; i < D; i++) {
                double e = fabs(got[(t * H + h) * D + i] - (float)(acc[i] / total));
                worst = e > worst ? e : worst;
            }
        }
    }
    free(k);
    free(v);
    return worst;
}

/// Each query head alone (one head on a one-KV-head copy of its KV head's cache) gives its bits in the group.
static int64_t heads_alone_differ(const kc_case *c, const kc_inputs *in, const float *got) {
    int64_t H = c->heads, K = c->kvheads, D = c->dim, group = H / K, T = in->numTokens;
    int64_t rows = (in->maxBlocks * 3 + 3) * c->block;
    int64_t size = in->kvtype == SW_KV_F32 ? 4 : in->kvtype == SW_KV_FP8_E4M3 || in->kvtype == SW_KV_FP8_E5M2 ? 1 : 2;
    kc_case one = *c;
    one.heads = one.kvheads = 1;
    kc_inputs solo = *in;
    solo.k = malloc((size_t)(rows * D * size));
    solo.v = malloc((size_t)(rows * D * size));
    float *q = malloc((size_t)(T * D) * 4), *out = malloc((size_t)(T * D) * 4);
    int64_t bad = 0;
    for (int64_t h = 0; h < H; h++) {
        for (int64_t r = 0; r < rows; r++) {
            memcpy((char *)solo.k + r * D * size, (const char *)in->k + (r * K + h / group) * D * size, (size_t)(D * size));
            memcpy((char *)solo.v + r * D * size, (const char *)in->v + (r * K + h / group) * D * size, (size_t)(D * size));
        }
        for (int64_t t = 0; t < T; t++) memcpy(q + t * D, in->x + (t * H + h) * D, (size_t)D * 4);
        kc_attention(SW_ISA_AVX512, &one, &solo, q, in->seqs, in->pos, 0, T, out);
        for (int64_t t = 0; t < T; t++) bad += differ(out + t * D, got + (t * H + h) * D, D);
    }
    free(solo.k);
    free(solo.v);
    free(q);
    free(out);
    return bad;
}

static void check_attention(const kc_case *c, const kc_inputs *in, const float *got) {
    int64_t H = c->heads, K = c->kvheads, D = c->dim, T = in->numTokens;
    // AttentionTests' bound: score errors <= D^2 u 4 scale, softmax and sum (keys + 16) u
    double bound = 2.0 * D * D * u * 4 * in->scale + (33.0 + 16) * u;
    double worst = attention_error(c, in, got);
    expect(worst <= bound, "attention error over the AttentionTests bound", worst / bound);
    float *out = malloc((size_t)(T * H * D) * 4);
    // work items split as two workers would take them, mid-token
    int64_t items = T * K, half = items / 2 + 1;
    kc_attention(SW_ISA_AVX512, c, in, in->x, in->seqs, in->pos, 0, half, out);
    kc_attention(SW_ISA_AVX512, c, in, in->x, in->seqs, in->pos, half, items, out);
    int64_t bad = differ(out, got, T * H * D);
    expect(bad == 0, "attention: work items split differ", (double)bad);
    // each token alone gives its bits in the batch
    bad = 0;
    for (int64_t t = 0; t < T; t++) {
        kc_attention(SW_ISA_AVX512, c, in, in->x + t * H * D, in->seqs + t, in->pos + t, 0, K, out);
        bad += differ(out, got + t * H * D, H * D);
    }
    expect(bad == 0, "attention: token alone differs from the batch", (double)bad);
    if (H / K > 1) {
        bad = heads_alone_differ(c, in, got);
        expect(bad == 0, "attention: query head alone differs from its GQA group", (double)bad);
    }
    free(out);
}

// ---- driver ----------------------------------------------------------------------------------
static void check_case(kc_case *c, int hashes, int update) {
    kc_inputs in;
    kc_make_inputs(c, &in);
    void *out[KC_COLUMNS];
    uint64_t hash[KC_COLUMNS];
    for (int isa = 0; isa < KC_COLUMNS; isa++) {
        out[isa] = malloc(in.outBytes);
        kc_run(c, &in, isa, out[isa]);
        hash[isa] = kc_fnv1a(out[isa], in.outBytes);
    }
    if (update) {
        printf("%s scalar=%016llx avx2=%016llx avx512=%016llx\n", c->params, (unsigned long long)hash[0],
               (unsigned long long)hash[1], (unsigned long long)hash[2]);
    }
    for (int isa = 0; hashes && !update && isa < KC_COLUMNS; isa++) {
        char what[96];
        snprintf(what, sizeof what, "%s hash %016llx, pinned %016llx", kc_column_names[isa],
                 (unsigned long long)hash[isa], (unsigned long long)c->hash[isa]);
        expect(c->pinned[isa] && hash[isa] == c->hash[isa], what, NAN);
    }
    const float *got = out[SW_ISA_AVX512];
    if (!strcmp(c->kind, "matmul")) check_matmul(c, &in, got);
    if (!strcmp(c->kind, "attention")) check_attention(c, &in, got);
    if (!strcmp(c->kind, "dequant") || !strcmp(c->kind, "kvstore") || !strcmp(c->kind, "packed"))
        expect(memcmp(got, out[SW_ISA_SCALAR], in.outBytes) == 0, "AVX-512 bits differ from scalar", NAN);
    if (!strcmp(c->kind, "packed")) {  // the AVX2 group kernel that AVX-512 CPUs without VNNI run
        vnni = 0;
        kc_run(c, &in, SW_ISA_AVX512, out[SW_ISA_AVX512]);
        vnni = 1;
        expect(memcmp(got, out[SW_ISA_SCALAR], in.outBytes) == 0, "AVX-512 without VNNI differs from scalar", NAN);
    }
    for (int isa = 0; isa < KC_COLUMNS; isa++) free(out[isa]);
    kc_free_inputs(&in);
}

int main(int argc, char **argv) {
    const char *path = NULL;
    int hashes = 0, update = 0;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--hashes")) hashes = 1;
        else if (!strcmp(argv[i], "--update")) update = 1;
        else path = argv[i];
    }
    FILE *f = path ? fopen(path, "r") : NULL;
    if (!f) { fprintf(stderr, "usage: check_avx512 [--hashes] [--update] FIXTURE\n"); return 2; }
    current = "emu512.h against native AVX2";
    int emulationFailures = emu512_check();
    expect(emulationFailures == 0, "emulated operations differ from their AVX2 twins", emulationFailures);
    char line[512];
    int cases = 0;
    for (int number = 1; fgets(line, sizeof line, f); number++) {
        kc_case c;
        int parsed = kc_parse(line, &c);
        if (parsed <= 0) {
            if (update) fputs(line, stdout);
            if (parsed < 0) { fprintf(stderr, "%s:%d: malformed case\n", path, number); failures++; }
            continue;
        }
        current = c.params;
        check_case(&c, hashes, update);
        cases++;
    }
    fclose(f);
    fprintf(update ? stderr : stdout, "%s: %d cases, %d checks (%s), %d failed%s\n", failures ? "FAIL" : "PASS",
            cases, checks, hashes ? "hashes pinned" : "hashes not compared", failures,
            failures > 40 ? " (the first 40 shown)" : "");
    return failures ? 1 : 0;
}
