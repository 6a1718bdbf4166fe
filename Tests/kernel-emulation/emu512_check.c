// emu512.h against the native instructions: each emulated 16-lane operation that has an 8-lane
// AVX2 twin (the same operation lane by lane, or per 128-bit block) must give that twin's bits
// on both halves, over random and special values (zeros, infinities, NaNs, subnormals,
// out-of-range integers). The horizontal sum and maximum are compared with the instruction
// sequence clang emits for _mm512_reduce_add_ps / _mm512_reduce_max_ps.
#include "emu512.h"
#include <stdio.h>

#define TWIN __attribute__((target("avx2,fma,f16c")))

static uint64_t state = 0x5EED;
static uint32_t next32(void) {
    state = state * 6364136223846793005ull + 1442695040888963407ull;
    return (uint32_t)(state >> 32);
}
/// Random floats: mostly moderate values, some specials and random bit patterns.
static float any_float(void) {
    static const uint32_t specials[] = {0x00000000, 0x80000000, 0x7F800000, 0xFF800000, 0x7FC00000, 0x7F800001,
                                        0x00000001, 0x807FFFFF, 0x4F000000, 0xCF000001, 0x3F000000, 0x3FC00000};
    uint32_t r = next32(), bits;
    if (r % 8 == 0) bits = specials[(r >> 8) % (sizeof specials / 4)];
    else if (r % 8 == 1) bits = next32();
    else { float f = (float)(int32_t)next32() / 65536.0f; memcpy(&bits, &f, 4); }
    float f;
    memcpy(&f, &bits, 4);
    return f;
}
static emu_v512 random_floats(void) { emu_v512 v; EMU_LANES(v.f[l] = any_float()); return v; }
static emu_v512 random_ints(void) { emu_v512 v; EMU_LANES(v.u[l] = next32()); return v; }

static __m256 half_ps(emu_v512 v, int h) { return _mm256_loadu_ps(v.f + 8 * h); }
static __m256i half_si(emu_v512 v, int h) { return _mm256_loadu_si256((const __m256i *)(v.f + 8 * h)); }
static int same_half(emu_v512 got, int h, __m256i want) { return memcmp(got.f + 8 * h, &want, 32) == 0; }
/// Float results: the same bits, except that any two NaNs count as equal (which operand's payload
/// a NaN result carries depends on the operand order the compiler picks for commutative operations).
static int same_float(float a, float b) { return memcmp(&a, &b, 4) == 0 || (a != a && b != b); }
static int same_half_ps(emu_v512 got, int h, __m256 want) {
    float w[8];
    memcpy(w, &want, 32);
    for (int l = 0; l < 8; l++)
        if (!same_float(got.f[8 * h + l], w[l])) return 0;
    return 1;
}
#define PS(x) _mm256_castps_si256(x)

static int failures;
static void compare(const char *name, int ok) {
    if (!ok && failures++ < 10) fprintf(stderr, "emu512.h: %s differs from its AVX2 twin\n", name);
}

TWIN static float native_reduce(__m256 lo, __m256 hi, int max) {
    __m256 s = max ? _mm256_max_ps(lo, hi) : _mm256_add_ps(lo, hi);
    __m128 a = _mm256_castps256_ps128(s), b = _mm256_extractf128_ps(s, 1);
    __m128 x = max ? _mm_max_ps(a, b) : _mm_add_ps(a, b);
    __m128 y = _mm_shuffle_ps(x, x, _MM_SHUFFLE(1, 0, 3, 2));
    x = max ? _mm_max_ps(x, y) : _mm_add_ps(x, y);
    y = _mm_movehdup_ps(x);
    return _mm_cvtss_f32(max ? _mm_max_ss(x, y) : _mm_add_ss(x, y));
}

TWIN static void check_once(void) {
    emu_v512 a = random_floats(), b = random_floats(), c = random_floats(), i = random_ints(), j = random_ints();
    for (int h = 0; h < 2; h++) {
        __m256 A = half_ps(a, h), B = half_ps(b, h), C = half_ps(c, h);
        __m256i I = half_si(i, h), J = half_si(j, h);
        compare("add_ps", same_half_ps(emu_add_ps(a, b), h, _mm256_add_ps(A, B)));
        compare("sub_ps", same_half_ps(emu_sub_ps(a, b), h, _mm256_sub_ps(A, B)));
        compare("mul_ps", same_half_ps(emu_mul_ps(a, b), h, _mm256_mul_ps(A, B)));
        compare("fmadd_ps", same_half_ps(emu_fmadd_ps(a, b, c), h, _mm256_fmadd_ps(A, B, C)));
        compare("fnmadd_ps", same_half_ps(emu_fnmadd_ps(a, b, c), h, _mm256_fnmadd_ps(A, B, C)));
        compare("min_ps", same_half_ps(emu_min_ps(a, b), h, _mm256_min_ps(A, B)));
        compare("max_ps", same_half_ps(emu_max_ps(a, b), h, _mm256_max_ps(A, B)));
        compare("roundscale_ps", same_half_ps(emu_roundscale_ps(a, _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC), h,
                                              _mm256_round_ps(A, _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC)));
        compare("cvtps_epi32", same_half(emu_cvtps_epi32(a), h, _mm256_cvtps_epi32(A)));
        compare("cvtepi32_ps", same_half_ps(emu_cvtepi32_ps(i), h, _mm256_cvtepi32_ps(I)));
        compare("and", same_half(emu_and(i, j), h, _mm256_and_si256(I, J)));
        compare("or", same_half(emu_or(i, j), h, _mm256_or_si256(I, J)));
        compare("add_epi32", same_half(emu_add_epi32(i, j), h, _mm256_add_epi32(I, J)));
        compare("sub_epi32", same_half(emu_sub_epi32(i, j), h, _mm256_sub_epi32(I, J)));
        compare("mullo_epi32", same_half(emu_mullo_epi32(i, j), h, _mm256_mullo_epi32(I, J)));
        compare("max_epu32", same_half(emu_max_epu32(i, j), h, _mm256_max_epu32(I, J)));
        unsigned n = next32() % 34;
        compare("srli_epi32", same_half(emu_srli_epi32(i, n), h, _mm256_srl_epi32(I, _mm_cvtsi32_si128((int)n))));
        compare("slli_epi32", same_half(emu_slli_epi32(i, n), h, _mm256_sll_epi32(I, _mm_cvtsi32_si128((int)n))));
        __m128i bytes = _mm_loadu_si128((const __m128i *)i.b);
        __m128i part = h ? _mm_srli_si128(bytes, 8) : bytes;
        compare("cvtepu8_epi32", same_half(emu_cvtepu8_epi32(bytes), h, _mm256_cvtepu8_epi32(part)));
        compare("cvtepi8_epi32", same_half(emu_cvtepi8_epi32(bytes), h, _mm256_cvtepi8_epi32(part)));
        __m256i words = _mm256_loadu_si256((const __m256i *)i.b);
        __m128i wpart = h ? _mm256_extracti128_si256(words, 1) : _mm256_castsi256_si128(words);
        compare("cvtepu16_epi32", same_half(emu_cvtepu16_epi32(words), h, _mm256_cvtepu16_epi32(wpart)));
        compare("cvtepi8_epi16", same_half(emu_cvtepi8_epi16(words), h, _mm256_cvtepi8_epi16(wpart)));
        compare("shuffle_ps 1010", same_half(emu_shuffle_ps(a, b, _MM_SHUFFLE(1, 0, 1, 0)), h,
                                             PS(_mm256_shuffle_ps(A, B, _MM_SHUFFLE(1, 0, 1, 0)))));
        compare("shuffle_ps 3232", same_half(emu_shuffle_ps(a, b, _MM_SHUFFLE(3, 2, 3, 2)), h,
                                             PS(_mm256_shuffle_ps(A, B, _MM_SHUFFLE(3, 2, 3, 2)))));
        compare("shuffle_ps 2020", same_half(emu_shuffle_ps(a, b, _MM_SHUFFLE(2, 0, 2, 0)), h,
                                             PS(_mm256_shuffle_ps(A, B, _MM_SHUFFLE(2, 0, 2, 0)))));
        compare("shuffle_ps 3131", same_half(emu_shuffle_ps(a, b, _MM_SHUFFLE(3, 1, 3, 1)), h,
                                             PS(_mm256_shuffle_ps(A, B, _MM_SHUFFLE(3, 1, 3, 1)))));
        compare("dpwssd_epi32", same_half(emu_dpwssd_epi32(c.u[0] ? i : j, i, j), h,
                                          _mm256_add_epi32(half_si(c.u[0] ? i : j, h), _mm256_madd_epi16(I, J))));
        // gather: indices into a 64-int table, scale 4, a random lane mask
        static int32_t table[64];
        for (int t = 0; t < 64; t++) table[t] = (int32_t)next32();
        emu_v512 idx;
        EMU_LANES(idx.i[l] = (int32_t)(next32() % 64));
        __mmask16 k = (__mmask16)next32();
        __m256i kk = _mm256_cmpgt_epi32(_mm256_and_si256(_mm256_set1_epi32(k >> (8 * h)),
                                                         _mm256_setr_epi32(1, 2, 4, 8, 16, 32, 64, 128)),
                                        _mm256_setzero_si256());
        compare("mask_i32gather_epi32", same_half(emu_mask_i32gather_epi32(j, k, idx, table, 4), h,
                                                  _mm256_mask_i32gather_epi32(J, table, half_si(idx, h), kk, 4)));
        // scalef where the result is normal: p in [1, 2), n in [-126, 127]
        emu_v512 p, e;
        EMU_LANES(p.f[l] = 1.0f + (float)(next32() >> 9) * 0x1p-23f; e.f[l] = (float)((int)(next32() % 254) - 126));
        __m256i pow2 = _mm256_slli_epi32(_mm256_add_epi32(_mm256_cvtps_epi32(half_ps(e, h)), _mm256_set1_epi32(127)), 23);
        compare("scalef_ps", same_half_ps(emu_scalef_ps(p, e), h, _mm256_mul_ps(half_ps(p, h), _mm256_castsi256_ps(pow2))));
    }
    float sum = emu_reduce_add_ps(a), top = emu_reduce_max_ps(a);
    float wantSum = native_reduce(half_ps(a, 0), half_ps(a, 1), 0), wantTop = native_reduce(half_ps(a, 0), half_ps(a, 1), 1);
    compare("reduce_add_ps", same_float(sum, wantSum));
    compare("reduce_max_ps", same_float(top, wantTop));
}

/// Failures over 20000 random draws of every operation.
int emu512_check(void) {
    for (int n = 0; n < 20000; n++) check_once();
    return failures;
}
