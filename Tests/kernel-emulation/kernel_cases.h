// The cases of the pinned kernel output hashes (Tests/KernelsTests/Fixtures/kernel_output_hashes.txt),
// read and run here as KernelOutputHashTests.swift reads and runs them: one line per case, a kind
// and key=value parameters, then the FNV-1a hash of the outputs per instruction set. Inputs come
// from the SplitMix64 stream of TestSupport.swift's SeededRandom in the same order, so C and
// Swift hash the same outputs.
#ifndef SWIFTLET_KERNEL_CASES_H
#define SWIFTLET_KERNEL_CASES_H
#include <stddef.h>
#include <stdint.h>

/// The hash columns, in the SW_ISA_* order: scalar, avx2, avx512.
enum { KC_COLUMNS = 3 };
extern const char *const kc_column_names[KC_COLUMNS];

typedef struct {
    char kind[16];  // matmul, packed, dequant, kvstore, attention, rmsnorm, rope, activations
    char type[16]; // weight type (matmul, dequant) or KV element type (kvstore, attention)
    int64_t rows, cols, tokens, count, heads, kvheads, dim, block, window, pairing;
    uint64_t seed;
    char params[200];             // the line up to its hashes
    uint64_t hash[KC_COLUMNS];
    int pinned[KC_COLUMNS];       // whether the line has that column's hash
} kc_case;

/// Inputs of one case, generated from its seed.
typedef struct {
    int wtype, kvtype;            // SW_* weight type, SW_KV_* element type
    uint8_t *w;                   // weights (matmul, packed, dequant)
    float *x, *y;                 // activations / values / q / gate, and rms weight / up
    void *k, *v;                  // attention caches of kvtype elements
    int32_t *tables, *seqs, *pos;
    int64_t numTokens, maxBlocks;
    float scale;
    size_t outBytes;              // bytes of the case's outputs
} kc_inputs;

/// Parses one line: 1 a case, 0 a comment or blank line, -1 malformed.
int kc_parse(const char *line, kc_case *c);
void kc_make_inputs(const kc_case *c, kc_inputs *in);
void kc_free_inputs(kc_inputs *in);
/// The case's outputs on instruction set `isa` into out (in->outBytes bytes).
void kc_run(const kc_case *c, const kc_inputs *in, int isa, void *out);
uint64_t kc_fnv1a(const void *bytes, size_t count);

// Single calls of the entry points the cases use (whole ranges, one thread), for the checks.
void kc_matmul(int isa, const kc_inputs *in, int64_t rows, int64_t cols, int64_t rowStart, int64_t rowEnd,
               const float *x, int64_t tokens, float *y);
void kc_attention(int isa, const kc_case *c, const kc_inputs *in, const float *q, const int32_t *seqs,
                  const int32_t *pos, int64_t itemStart, int64_t itemEnd, float *out);
#endif
