// A portable stand-in for the AVX-512 intrinsics the CKernels sources use, so their AVX-512 code
// runs on a machine with AVX2 only (scripts/check-avx512-emulated). Force-included (-include)
// before each CKernels file, whose AVX-512 target attributes the script rewrites to AVX2: the
// real <immintrin.h> comes first (SSE, AVX2 and F16C stay native), then __m512 / __m512i and
// every _mm512_* name (and the masked _mm256 load) the kernels use is redirected to a
// lane-array version here.
//
// Each operation follows the Intel SDM lane by lane, so its results are the instruction's:
// fused multiply-add through fmaf (one rounding, as vfmadd); half conversions by the native F16C
// instructions, 8 lanes at a time; x86 min/max operand order (the second operand when either is
// NaN or both are zero); vcvtps2dq's 0x80000000 for out-of-range lanes; masked loads that never
// touch masked-off lanes. _mm512_reduce_add_ps is not an instruction: clang lowers it to a
// halving tree (lanes i + 8, then i + 4, i + 2, i + 1), which emu_reduce_add_ps repeats.
// emu512_check.c compares each operation that has an 8-lane AVX2 twin with that twin.
#ifndef SWIFTLET_EMU512_H
#define SWIFTLET_EMU512_H
#include <immintrin.h>
#include <limits.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

typedef union __attribute__((aligned(64))) {
    float f[16];
    int32_t i[16];
    uint32_t u[16];
    int16_t h[32];
    int8_t b[64];
} emu_v512;

#define EMU static inline __attribute__((always_inline, target("avx2,fma,f16c")))
/// An argument outside what the kernels pass (and this file emulates) stops the run.
#define EMU_REQUIRE(cond) do { if (!(cond)) abort(); } while (0)
#define EMU_LANES(expr) do { for (int l = 0; l < 16; l++) { expr; } } while (0)

// ---- construction, loads and stores ----------------------------------------------------------
EMU emu_v512 emu_zero(void) { emu_v512 r; memset(&r, 0, sizeof r); return r; }
EMU emu_v512 emu_set1_ps(float a) { emu_v512 r; EMU_LANES(r.f[l] = a); return r; }
EMU emu_v512 emu_set1_epi32(int a) { emu_v512 r; EMU_LANES(r.i[l] = a); return r; }
EMU emu_v512 emu_setr_ps(float a0, float a1, float a2, float a3, float a4, float a5, float a6, float a7,
                         float a8, float a9, float a10, float a11, float a12, float a13, float a14, float a15) {
    emu_v512 r = {.f = {a0, a1, a2, a3, a4, a5, a6, a7, a8, a9, a10, a11, a12, a13, a14, a15}};
    return r;
}
EMU emu_v512 emu_setr_epi32(int a0, int a1, int a2, int a3, int a4, int a5, int a6, int a7, int a8, int a9,
                            int a10, int a11, int a12, int a13, int a14, int a15) {
    emu_v512 r = {.i = {a0, a1, a2, a3, a4, a5, a6, a7, a8, a9, a10, a11, a12, a13, a14, a15}};
    return r;
}
EMU emu_v512 emu_loadu(const void *p) { emu_v512 r; memcpy(&r, p, 64); return r; }
EMU void emu_storeu(void *p, emu_v512 v) { memcpy(p, &v, 64); }
/// vmovaps: faults on a misaligned address, so a misaligned one stops the run here too.
EMU void emu_store_aligned(void *p, emu_v512 v) { EMU_REQUIRE(((uintptr_t)p & 63) == 0); memcpy(p, &v, 64); }
EMU emu_v512 emu_maskz_loadu_ps(__mmask16 k, const void *p) {
    emu_v512 r = emu_zero();
    EMU_LANES(if ((k >> l) & 1) memcpy(&r.f[l], (const char *)p + 4 * l, 4));
    return r;
}
EMU void emu_mask_storeu_ps(void *p, __mmask16 k, emu_v512 v) {
    EMU_LANES(if ((k >> l) & 1) memcpy((char *)p + 4 * l, &v.f[l], 4));
}
EMU __m256i emu_mm256_maskz_loadu_epi16(__mmask16 k, const void *p) {
    uint16_t r[16] = {0};
    EMU_LANES(if ((k >> l) & 1) memcpy(&r[l], (const char *)p + 2 * l, 2));
    return _mm256_loadu_si256((const __m256i *)r);
}

// ---- float arithmetic and conversions --------------------------------------------------------
EMU emu_v512 emu_add_ps(emu_v512 a, emu_v512 b) { emu_v512 r; EMU_LANES(r.f[l] = a.f[l] + b.f[l]); return r; }
EMU emu_v512 emu_sub_ps(emu_v512 a, emu_v512 b) { emu_v512 r; EMU_LANES(r.f[l] = a.f[l] - b.f[l]); return r; }
EMU emu_v512 emu_mul_ps(emu_v512 a, emu_v512 b) { emu_v512 r; EMU_LANES(r.f[l] = a.f[l] * b.f[l]); return r; }
EMU emu_v512 emu_fmadd_ps(emu_v512 a, emu_v512 b, emu_v512 c) {
    emu_v512 r;
    EMU_LANES(r.f[l] = fmaf(a.f[l], b.f[l], c.f[l]));
    return r;
}
/// c - a b with one rounding (vfnmadd: the product negated exactly, then fused).
EMU emu_v512 emu_fnmadd_ps(emu_v512 a, emu_v512 b, emu_v512 c) {
    emu_v512 r;
    EMU_LANES(r.f[l] = fmaf(-a.f[l], b.f[l], c.f[l]));
    return r;
}
EMU float emu_minf(float a, float b) { return a < b ? a : b; }
EMU float emu_maxf(float a, float b) { return a > b ? a : b; }
EMU emu_v512 emu_min_ps(emu_v512 a, emu_v512 b) { emu_v512 r; EMU_LANES(r.f[l] = emu_minf(a.f[l], b.f[l])); return r; }
EMU emu_v512 emu_max_ps(emu_v512 a, emu_v512 b) { emu_v512 r; EMU_LANES(r.f[l] = emu_maxf(a.f[l], b.f[l])); return r; }
/// vrndscaleps with scale 0 and round-to-nearest-even (the one form the kernels use).
EMU emu_v512 emu_roundscale_ps(emu_v512 a, int imm) {
    EMU_REQUIRE(imm == (_MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC));
    emu_v512 r;
    EMU_LANES(r.f[l] = nearbyintf(a.f[l]));
    return r;
}
/// vscalefps for finite b: a * 2^floor(b), rounded once (ldexpf is exact or rounds once).
EMU emu_v512 emu_scalef_ps(emu_v512 a, emu_v512 b) {
    emu_v512 r;
    for (int l = 0; l < 16; l++) {
        EMU_REQUIRE(isfinite(b.f[l]));
        float e = floorf(b.f[l]);
        r.f[l] = ldexpf(a.f[l], e > 400 ? 400 : (e < -400 ? -400 : (int)e));
    }
    return r;
}
/// vcvtps2dq: nearest even; NaN and out-of-range lanes give the integer indefinite 0x80000000.
EMU emu_v512 emu_cvtps_epi32(emu_v512 a) {
    emu_v512 r;
    for (int l = 0; l < 16; l++) {
        float x = nearbyintf(a.f[l]);
        r.i[l] = (isnan(x) || x >= 2147483648.0f || x < -2147483648.0f) ? INT_MIN : (int32_t)x;
    }
    return r;
}
EMU emu_v512 emu_cvtepi32_ps(emu_v512 a) { emu_v512 r; EMU_LANES(r.f[l] = (float)a.i[l]); return r; }
EMU emu_v512 emu_cvtph_ps(__m256i h) {
    emu_v512 r;
    _mm256_storeu_ps(r.f, _mm256_cvtph_ps(_mm256_castsi256_si128(h)));
    _mm256_storeu_ps(r.f + 8, _mm256_cvtph_ps(_mm256_extracti128_si256(h, 1)));
    return r;
}
EMU __m256i emu_cvtps_ph(emu_v512 a, int imm) {
    EMU_REQUIRE(imm == (_MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC));
    __m128i lo = _mm256_cvtps_ph(_mm256_loadu_ps(a.f), _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC);
    __m128i hi = _mm256_cvtps_ph(_mm256_loadu_ps(a.f + 8), _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC);
    return _mm256_set_m128i(hi, lo);
}
/// The halving tree clang emits for _mm512_reduce_add_ps: lanes l + 8, then l + 4, l + 2, l + 1.
EMU float emu_reduce_add_ps(emu_v512 a) {
    float s[16];
    memcpy(s, a.f, sizeof s);
    for (int w = 8; w >= 1; w /= 2)
        for (int l = 0; l < w; l++) s[l] = s[l] + s[l + w];
    return s[0];
}
/// The same tree with max (for the non-NaN inputs the kernels give, any order has this value).
EMU float emu_reduce_max_ps(emu_v512 a) {
    float s[16];
    memcpy(s, a.f, sizeof s);
    for (int w = 8; w >= 1; w /= 2)
        for (int l = 0; l < w; l++) s[l] = emu_maxf(s[l], s[l + w]);
    return s[0];
}
EMU unsigned emu_reduce_max_epu32(emu_v512 a) {
    uint32_t m = 0;
    EMU_LANES(m = a.u[l] > m ? a.u[l] : m);
    return m;
}

// ---- lane movement and masks -----------------------------------------------------------------
/// vpermps: lane l takes a's lane idx[l] mod 16.
EMU emu_v512 emu_permutexvar_ps(emu_v512 idx, emu_v512 a) { emu_v512 r; EMU_LANES(r.f[l] = a.f[idx.u[l] & 15]); return r; }
/// vshuff32x4: 128-bit blocks 0, 1 from a and 2, 3 from b, each chosen by two bits of imm.
EMU emu_v512 emu_shuffle_f32x4(emu_v512 a, emu_v512 b, int imm) {
    emu_v512 r;
    for (int blk = 0; blk < 4; blk++) {
        const emu_v512 *src = blk < 2 ? &a : &b;
        int sel = (imm >> (2 * blk)) & 3;
        for (int j = 0; j < 4; j++) r.f[4 * blk + j] = src->f[4 * sel + j];
    }
    return r;
}
/// vshufps: in each 128-bit block, elements 0, 1 from a's block and 2, 3 from b's, by two bits of imm each.
EMU emu_v512 emu_shuffle_ps(emu_v512 a, emu_v512 b, int imm) {
    emu_v512 r;
    for (int blk = 0; blk < 4; blk++)
        for (int j = 0; j < 4; j++) r.f[4 * blk + j] = (j < 2 ? &a : &b)->f[4 * blk + ((imm >> (2 * j)) & 3)];
    return r;
}
EMU emu_v512 emu_mask_mov(emu_v512 src, __mmask16 k, emu_v512 a) {
    emu_v512 r;
    EMU_LANES(r.u[l] = ((k >> l) & 1) ? a.u[l] : src.u[l]);
    return r;
}
EMU emu_v512 emu_maskz_mov(__mmask16 k, emu_v512 a) { return emu_mask_mov(emu_zero(), k, a); }
EMU __mmask16 emu_cmp_ps_mask(emu_v512 a, emu_v512 b, int pred) {
    EMU_REQUIRE(pred == _CMP_UNORD_Q);
    unsigned k = 0;
    EMU_LANES(if (isnan(a.f[l]) || isnan(b.f[l])) k |= 1u << l);
    return (__mmask16)k;
}

// ---- integer -----------------------------------------------------------------------------------
EMU emu_v512 emu_srli_epi32(emu_v512 a, unsigned n) { emu_v512 r; EMU_LANES(r.u[l] = n > 31 ? 0 : a.u[l] >> n); return r; }
EMU emu_v512 emu_slli_epi32(emu_v512 a, unsigned n) { emu_v512 r; EMU_LANES(r.u[l] = n > 31 ? 0 : a.u[l] << n); return r; }
EMU emu_v512 emu_and(emu_v512 a, emu_v512 b) { emu_v512 r; EMU_LANES(r.u[l] = a.u[l] & b.u[l]); return r; }
EMU emu_v512 emu_or(emu_v512 a, emu_v512 b) { emu_v512 r; EMU_LANES(r.u[l] = a.u[l] | b.u[l]); return r; }
EMU emu_v512 emu_add_epi32(emu_v512 a, emu_v512 b) { emu_v512 r; EMU_LANES(r.u[l] = a.u[l] + b.u[l]); return r; }
EMU emu_v512 emu_sub_epi32(emu_v512 a, emu_v512 b) { emu_v512 r; EMU_LANES(r.u[l] = a.u[l] - b.u[l]); return r; }
EMU emu_v512 emu_mullo_epi32(emu_v512 a, emu_v512 b) { emu_v512 r; EMU_LANES(r.u[l] = a.u[l] * b.u[l]); return r; }
EMU emu_v512 emu_max_epu32(emu_v512 a, emu_v512 b) { emu_v512 r; EMU_LANES(r.u[l] = a.u[l] > b.u[l] ? a.u[l] : b.u[l]); return r; }
EMU emu_v512 emu_mask_add_epi32(emu_v512 src, __mmask16 k, emu_v512 a, emu_v512 b) {
    return emu_mask_mov(src, k, emu_add_epi32(a, b));
}
/// Sign or zero extension: lane l of the result (32- or 16-bit lanes) is element l of q.
#define EMU_EXTEND(NAME, V, T, N, LANES)                                                             \
    EMU emu_v512 NAME(V q) {                                                                         \
        T e[N];                                                                                      \
        memcpy(e, &q, sizeof e);                                                                     \
        emu_v512 r;                                                                                  \
        for (int l = 0; l < N; l++) r.LANES[l] = e[l];                                               \
        return r;                                                                                    \
    }
EMU_EXTEND(emu_cvtepu8_epi32, __m128i, uint8_t, 16, i)
EMU_EXTEND(emu_cvtepi8_epi32, __m128i, int8_t, 16, i)
EMU_EXTEND(emu_cvtepu16_epi32, __m256i, uint16_t, 16, i)
EMU_EXTEND(emu_cvtepi8_epi16, __m256i, int8_t, 32, h)
/// vpmovdw: each 32-bit lane truncated to its low 16 bits.
EMU __m256i emu_cvtepi32_epi16(emu_v512 a) {
    uint16_t h[16];
    EMU_LANES(h[l] = (uint16_t)a.u[l]);
    return _mm256_loadu_si256((const __m256i *)h);
}
/// vpgatherdd: lanes in k read 4 bytes at base + idx * scale; the others keep src.
EMU emu_v512 emu_mask_i32gather_epi32(emu_v512 src, __mmask16 k, emu_v512 idx, const void *base, int scale) {
    emu_v512 r = src;
    EMU_LANES(if ((k >> l) & 1) memcpy(&r.i[l], (const char *)base + (int64_t)idx.i[l] * scale, 4));
    return r;
}
/// vpdpwssd: src plus both signed 16-bit products of each 32-bit lane, wrapping.
EMU emu_v512 emu_dpwssd_epi32(emu_v512 src, emu_v512 a, emu_v512 b) {
    emu_v512 r;
    EMU_LANES(r.u[l] = src.u[l] + (uint32_t)((int32_t)a.h[2 * l] * b.h[2 * l]) +
                       (uint32_t)((int32_t)a.h[2 * l + 1] * b.h[2 * l + 1]));
    return r;
}

// ---- the kernels' names, redirected ------------------------------------------------------------
#undef __m512
#define __m512 emu_v512
#undef __m512i
#define __m512i emu_v512
#undef _mm512_setzero_ps
#define _mm512_setzero_ps emu_zero
#undef _mm512_setzero_si512
#define _mm512_setzero_si512 emu_zero
#undef _mm512_set1_ps
#define _mm512_set1_ps emu_set1_ps
#undef _mm512_set1_epi32
#define _mm512_set1_epi32 emu_set1_epi32
#undef _mm512_setr_ps
#define _mm512_setr_ps emu_setr_ps
#undef _mm512_setr_epi32
#define _mm512_setr_epi32 emu_setr_epi32
#undef _mm512_loadu_ps
#define _mm512_loadu_ps emu_loadu
#undef _mm512_storeu_ps
#define _mm512_storeu_ps emu_storeu
#undef _mm512_store_ps
#define _mm512_store_ps emu_store_aligned
#undef _mm512_maskz_loadu_ps
#define _mm512_maskz_loadu_ps emu_maskz_loadu_ps
#undef _mm512_mask_storeu_ps
#define _mm512_mask_storeu_ps emu_mask_storeu_ps
#undef _mm256_maskz_loadu_epi16
#define _mm256_maskz_loadu_epi16 emu_mm256_maskz_loadu_epi16
#undef _mm512_add_ps
#define _mm512_add_ps emu_add_ps
#undef _mm512_sub_ps
#define _mm512_sub_ps emu_sub_ps
#undef _mm512_mul_ps
#define _mm512_mul_ps emu_mul_ps
#undef _mm512_fmadd_ps
#define _mm512_fmadd_ps emu_fmadd_ps
#undef _mm512_fnmadd_ps
#define _mm512_fnmadd_ps emu_fnmadd_ps
#undef _mm512_min_ps
#define _mm512_min_ps emu_min_ps
#undef _mm512_max_ps
#define _mm512_max_ps emu_max_ps
#undef _mm512_roundscale_ps
#define _mm512_roundscale_ps emu_roundscale_ps
#undef _mm512_scalef_ps
#define _mm512_scalef_ps emu_scalef_ps
#undef _mm512_cvtps_epi32
#define _mm512_cvtps_epi32 emu_cvtps_epi32
#undef _mm512_cvtepi32_ps
#define _mm512_cvtepi32_ps emu_cvtepi32_ps
#undef _mm512_cvtph_ps
#define _mm512_cvtph_ps emu_cvtph_ps
#undef _mm512_cvtps_ph
#define _mm512_cvtps_ph emu_cvtps_ph
#undef _mm512_reduce_add_ps
#define _mm512_reduce_add_ps emu_reduce_add_ps
#undef _mm512_reduce_max_ps
#define _mm512_reduce_max_ps emu_reduce_max_ps
#undef _mm512_reduce_max_epu32
#define _mm512_reduce_max_epu32 emu_reduce_max_epu32
#undef _mm512_permutexvar_ps
#define _mm512_permutexvar_ps emu_permutexvar_ps
#undef _mm512_shuffle_f32x4
#define _mm512_shuffle_f32x4 emu_shuffle_f32x4
#undef _mm512_shuffle_ps
#define _mm512_shuffle_ps emu_shuffle_ps
#undef _mm512_mask_mov_ps
#define _mm512_mask_mov_ps emu_mask_mov
#undef _mm512_mask_mov_epi32
#define _mm512_mask_mov_epi32 emu_mask_mov
#undef _mm512_maskz_mov_ps
#define _mm512_maskz_mov_ps emu_maskz_mov
#undef _mm512_cmp_ps_mask
#define _mm512_cmp_ps_mask emu_cmp_ps_mask
#undef _mm512_castsi512_ps
#define _mm512_castsi512_ps(x) (x)
#undef _mm512_castps_si512
#define _mm512_castps_si512(x) (x)
#undef _mm512_srli_epi32
#define _mm512_srli_epi32 emu_srli_epi32
#undef _mm512_slli_epi32
#define _mm512_slli_epi32 emu_slli_epi32
#undef _mm512_and_si512
#define _mm512_and_si512 emu_and
#undef _mm512_or_si512
#define _mm512_or_si512 emu_or
#undef _mm512_add_epi32
#define _mm512_add_epi32 emu_add_epi32
#undef _mm512_sub_epi32
#define _mm512_sub_epi32 emu_sub_epi32
#undef _mm512_mullo_epi32
#define _mm512_mullo_epi32 emu_mullo_epi32
#undef _mm512_max_epu32
#define _mm512_max_epu32 emu_max_epu32
#undef _mm512_mask_add_epi32
#define _mm512_mask_add_epi32 emu_mask_add_epi32
#undef _mm512_cvtepu8_epi32
#define _mm512_cvtepu8_epi32 emu_cvtepu8_epi32
#undef _mm512_cvtepi8_epi32
#define _mm512_cvtepi8_epi32 emu_cvtepi8_epi32
#undef _mm512_cvtepu16_epi32
#define _mm512_cvtepu16_epi32 emu_cvtepu16_epi32
#undef _mm512_cvtepi8_epi16
#define _mm512_cvtepi8_epi16 emu_cvtepi8_epi16
#undef _mm512_cvtepi32_epi16
#define _mm512_cvtepi32_epi16 emu_cvtepi32_epi16
#undef _mm512_mask_i32gather_epi32
#define _mm512_mask_i32gather_epi32 emu_mask_i32gather_epi32
#undef _mm512_dpwssd_epi32
#define _mm512_dpwssd_epi32 emu_dpwssd_epi32
#endif
