// Matmul driver: dequantize a tile of weight rows into per-worker scratch (AVX-512 reads F16 /
// BF16 rows in place for up to 24 tokens instead), then multiply it against every activation
// row with the instruction set's F32 tile kernel. Every output
// element is one dot product whose summation order does not depend on the tiling, so
// results are bit-identical however rows are split among workers. The fused decode kernels
// (1-2 tokens; 1-8 for some types on AVX-512) dequantize to the same values and sum in the same order as the tile kernels,
// so every output is also independent of numTokens and of its token's place in the batch
// (batch invariance, which the serving engine's scheduling relies on).
#include "sw_internal.h"

#define SW_ROW_TILE 16

int sw_matmul_row_tile(void) { return SW_ROW_TILE; }
/// Tokens per block of sw_matmul_rows: about 1.5 MB of activations (a multiple of 6), within L2.
static int64_t sw_token_block(int64_t cols) {
    int64_t tokenBlock = (1536 * 1024 / 4) / (cols > 0 ? cols : 1);
    return tokenBlock < 6 ? 6 : tokenBlock / 6 * 6;
}

/// Scratch: a tile of dequantized rows, then the AVX-512 kernel's parked accumulators
/// (token groups of 6 x 4 row groups x 24 vectors of 16 floats), 64-byte aligned.
int64_t sw_matmul_scratch_floats(int64_t cols) {
    int64_t tile = (SW_ROW_TILE * cols + 15) / 16 * 16;
    // parked accumulators exist only for rows split into column chunks
    int64_t park = cols > SW_KCHUNK_MIN ? sw_token_block(cols) / 6 * 4 * 24 * 16 : 0;
    return tile + park + 64;
}

/// Scalar dot with 8 interleaved partial sums (fixed order), summed pairwise at the end.
static float sw_dot_scalar(const float *a, const float *b, int64_t n) {
    float s[8] = {0, 0, 0, 0, 0, 0, 0, 0};
    int64_t i = 0;
    for (; i + 8 <= n; i += 8)
        for (int k = 0; k < 8; k++) s[k] += a[i + k] * b[i + k];
    for (; i < n; i++) s[i % 8] += a[i] * b[i];
    return ((s[0] + s[4]) + (s[1] + s[5])) + ((s[2] + s[6]) + (s[3] + s[7]));
}

static void sw_tile_scalar(const float *w, int64_t ldw, int nr, int64_t cols, const float *x,
                           int64_t numTokens, float *y, int64_t ldy) {
    for (int64_t t = 0; t < numTokens; t++)
        for (int r = 0; r < nr; r++) y[t * ldy + r] = sw_dot_scalar(w + r * ldw, x + t * cols, cols);
}

#if SW_X86
void sw_tile_avx2(int wt, const void *w, int64_t ldw, int nr, int64_t cols, const float *x,
                  int64_t numTokens, float *y, int64_t ldy, float *park, sw_prefetch_cursor *pf);
void sw_tile_avx512(int wt, const void *w, int64_t ldw, int nr, int64_t cols, const float *x,
                    int64_t numTokens, float *y, int64_t ldy, float *park, sw_prefetch_cursor *pf);
int sw_matvec_avx512(int type, const void *w, int64_t rowBytes, int64_t cols, int64_t rowStart,
                     int64_t rowEnd, const float *x, int64_t numTokens, float *y, int64_t ldy);
int sw_matvec_avx2(int type, const void *w, int64_t rowBytes, int64_t cols, int64_t rowStart,
                   int64_t rowEnd, const float *x, int64_t numTokens, float *y, int64_t ldy);
#endif
#if defined(__aarch64__)
void sw_tile_neon(const float *w, int64_t ldw, int nr, int64_t cols, const float *x,
                  int64_t numTokens, float *y, int64_t ldy);
#endif

static void sw_tile(int isa, const float *w, int64_t ldw, int nr, int64_t cols, const float *x,
                    int64_t numTokens, float *y, int64_t ldy, float *park, sw_prefetch_cursor *pf) {
    (void)park;
    (void)pf;
#if SW_X86
    if (isa == SW_ISA_AVX512) { sw_tile_avx512(SW_F32, w, ldw, nr, cols, x, numTokens, y, ldy, park, pf); return; }
    if (isa == SW_ISA_AVX2) { sw_tile_avx2(SW_F32, w, ldw, nr, cols, x, numTokens, y, ldy, park, pf); return; }
#endif
#if defined(__aarch64__)
    if (isa == SW_ISA_NEON) { sw_tile_neon(w, ldw, nr, cols, x, numTokens, y, ldy); return; }
#endif
    (void)isa;
    sw_tile_scalar(w, ldw, nr, cols, x, numTokens, y, ldy);
}

void sw_matmul_rows(int isa, int type, const void *w, int64_t rowBytes, int64_t cols,
                    int64_t rowStart, int64_t rowEnd, const float *x, int64_t numTokens,
                    float *y, int64_t ldy, float *scratch) {
    const uint8_t *base = (const uint8_t *)w;
#if SW_X86
    // Decode and small batches: dequantize in registers, no scratch round trip (matvec files).
    // AVX-512 takes up to 8 tokens as two groups over the same rows, 64 rows at a time, so the
    // second group finds those rows in cache (types whose fused kernel takes 1-2 tokens only
    // fall through to the tiles from 3 tokens on).
    if (isa == SW_ISA_AVX512 && numTokens <= 8) {
        int64_t first = numTokens < 4 ? numTokens : 4;
        for (int64_t r = rowStart; r < rowEnd; r += 64) {
            int64_t end = rowEnd - r < 64 ? rowEnd : r + 64;
            if (!sw_matvec_avx512(type, w, rowBytes, cols, r, end, x, first, y, ldy)) break;
            if (numTokens > first)
                sw_matvec_avx512(type, w, rowBytes, cols, r, end, x + first * cols, numTokens - first, y + first * ldy, ldy);
            if (end == rowEnd) return;
        }
    }
    if (isa == SW_ISA_AVX2 &&
        sw_matvec_avx2(type, w, rowBytes, cols, rowStart, rowEnd, x, numTokens, y, ldy))
        return;
#endif
    // Token blocks keep their activation rows (about 1.5 MB) in L2 while all row tiles of
    // this worker pass over them; each tile is dequantized once per token block.
    int64_t tokenBlock = sw_token_block(cols);
    float *park = scratch + (SW_ROW_TILE * cols + 15) / 16 * 16;
    for (int64_t t0 = 0; t0 < numTokens; t0 += tokenBlock) {
        int64_t nt = numTokens - t0 < tokenBlock ? numTokens - t0 : tokenBlock;
        for (int64_t r = rowStart; r < rowEnd; r += SW_ROW_TILE) {
            int nr = (int)((rowEnd - r) < SW_ROW_TILE ? (rowEnd - r) : SW_ROW_TILE);
            const float *tile;
            int64_t ldw;
            // the next tile's rows (of this call) stream into L2 while this one is multiplied
            int64_t next = r + nr, nextEnd = next + SW_ROW_TILE < rowEnd ? next + SW_ROW_TILE : rowEnd;
            sw_prefetch_cursor pf = {(const char *)(base + next * rowBytes), (const char *)(base + nextEnd * rowBytes)};
#if SW_X86
            // AVX-512 widens F16 / BF16 rows as it loads them, without a dequantized tile, up to
            // 24 tokens (4 token groups); past that, converting once into the tile costs less
            if (isa == SW_ISA_AVX512 && (type == SW_F16 || type == SW_BF16) && nt <= 24) {
                sw_tile_avx512(type, base + r * rowBytes, rowBytes / 2, nr, cols, x + t0 * cols, nt,
                               y + t0 * ldy + r, ldy, park, &pf);
                continue;
            }
#endif
            if (type == SW_F32) {
                tile = (const float *)(base + r * rowBytes);
                ldw = rowBytes / 4;
            } else {
                for (int i = 0; i < nr; i++)
                    sw_dequantize(isa, type, base + (r + i) * rowBytes, cols, scratch + i * cols);
                tile = scratch;
                ldw = cols;
            }
            sw_tile(isa, tile, ldw, nr, cols, x + t0 * cols, nt, y + t0 * ldy + r, ldy, park, &pf);
        }
    }
}
