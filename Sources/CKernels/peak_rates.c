// Peak-rate probes behind `swiftlet bench machine`: loops of independent multiply-adds that
// keep the execution units busy without touching memory, so the rate they reach is the
// arithmetic roof of the roofline. Each returns a checkable sum (a closed form of its
// arguments), so the compiler cannot delete the work and tests can pin the result.
//
// Accumulator k starts at k (distinct values: no two chains are provably equal, so none is
// merged away). Float probe: acc = acc * m + c per iteration (one FMA on AVX2/AVX-512; a
// multiply and an add on the portable path). Int8 probe: acc += dot(4 u8 of a, 4 s8 of b) per
// int32 lane (vpdpbusd with VNNI; vpmaddubsw + vpmaddwd + vpaddd on AVX2; plain loops else).
#include "sw_internal.h"
#include "sw_simd.h"
#if SW_X86
#include <cpuid.h>
#endif

#define FMA_ACCS 12        // 12 chains hide a 4-cycle FMA latency on two FMA ports
#define DOT_ACCS_VNNI 12   // vpdpbusd: 5-cycle latency
#define DOT_ACCS_AVX2 6    // 6 byte inputs + 6 accumulators + 2 constants fit 16 ymm registers
#define PORTABLE_LANES 4   // floats / int32 per accumulator on the portable path (one SSE/NEON register)

// ---- float FMA ---------------------------------------------------------------------------

/// Four floats in one register on any target (GCC/Clang vector extension; plain floats where
/// the CPU has no SIMD).
typedef float sw_v4f __attribute__((vector_size(16)));

static float peak_fma_scalar(int64_t n, float start, float m, float c) {
    sw_v4f vm = {m, m, m, m}, vc = {c, c, c, c};
    sw_v4f acc[FMA_ACCS];
    for (int k = 0; k < FMA_ACCS; k++) {
        float s = start + (float)k;
        acc[k] = (sw_v4f){s, s, s, s};
    }
    for (int64_t i = 0; i < n; i++)
        for (int k = 0; k < FMA_ACCS; k++) acc[k] = acc[k] * vm + vc;
    float total = 0;
    for (int k = 0; k < FMA_ACCS; k++)
        for (int l = 0; l < PORTABLE_LANES; l++) total += acc[k][l];
    return total;
}

#if SW_X86
/// The float probe at W lanes (sw_simd.h): one fused multiply-add per accumulator and iteration.
#define SW_PEAK_FMA(W)                                                                            \
    SW_TARGET_##W static float peak_fma_##W(int64_t n, float start, float m, float c) {          \
        sw##W##_f vm = sw##W##_set1(m), vc = sw##W##_set1(c);                                    \
        sw##W##_f acc[FMA_ACCS];                                                                  \
        for (int k = 0; k < FMA_ACCS; k++) acc[k] = sw##W##_set1(start + (float)k);              \
        for (int64_t i = 0; i < n; i++)                                                           \
            for (int k = 0; k < FMA_ACCS; k++) acc[k] = sw##W##_fmadd(acc[k], vm, vc);           \
        float lanes[W], total = 0;                                                                \
        for (int k = 0; k < FMA_ACCS; k++) {                                                      \
            sw##W##_store(lanes, acc[k]);                                                         \
            for (int l = 0; l < W; l++) total += lanes[l];                                        \
        }                                                                                         \
        return total;                                                                             \
    }
SW_PEAK_FMA(8)
SW_PEAK_FMA(16)
#endif

void sw_peak_fma_shape(int isa, int *accumulators, int *lanes) {
    *accumulators = FMA_ACCS;
    *lanes = PORTABLE_LANES;
#if SW_X86
    if (isa == SW_ISA_AVX512) *lanes = 16;
    if (isa == SW_ISA_AVX2) *lanes = 8;
#else
    (void)isa;
#endif
}

float sw_peak_fma(int isa, int64_t iterations, float start, float m, float c) {
#if SW_X86
    if (isa == SW_ISA_AVX512) return peak_fma_16(iterations, start, m, c);
    if (isa == SW_ISA_AVX2) return peak_fma_8(iterations, start, m, c);
#else
    (void)isa;
#endif
    return peak_fma_scalar(iterations, start, m, c);
}

// ---- int8 dot product --------------------------------------------------------------------

static int64_t peak_dot_scalar(int64_t n, uint8_t a, int8_t b) {
    // Inputs in memory that an empty asm statement "may change" every iteration, so the
    // products are recomputed instead of hoisted and folded into a multiplication by n.
    enum { N = FMA_ACCS * PORTABLE_LANES };
    uint8_t av[N * 4];  // [accumulator * PORTABLE_LANES + lane, byte]
    int8_t bv[N * 4];
    memset(av, a, sizeof av);
    memset(bv, (int)b, sizeof bv);
    int32_t acc[N];
    for (int j = 0; j < N; j++) acc[j] = j / PORTABLE_LANES;
    for (int64_t i = 0; i < n; i++) {
        __asm__ volatile("" : : "r"(av), "r"(bv) : "memory");
        for (int j = 0; j < N; j++)
            acc[j] += av[4 * j] * bv[4 * j] + av[4 * j + 1] * bv[4 * j + 1] + av[4 * j + 2] * bv[4 * j + 2]
                + av[4 * j + 3] * bv[4 * j + 3];
    }
    int64_t total = 0;
    for (int j = 0; j < N; j++) total += acc[j];
    return total;
}

#if SW_X86
SW_AVX2 static int64_t peak_dot_avx2(int64_t n, uint8_t a, int8_t b) {
    __m256i ones = _mm256_set1_epi16(1), vb = _mm256_set1_epi8((char)b);
    __m256i va[DOT_ACCS_AVX2], acc[DOT_ACCS_AVX2];
    for (int k = 0; k < DOT_ACCS_AVX2; k++) {
        va[k] = _mm256_set1_epi8((char)a);
        __asm__ volatile("" : "+x"(va[k]));  // opaque: the k inputs are not provably equal
        acc[k] = _mm256_set1_epi32(k);
    }
    for (int64_t i = 0; i < n; i++) {
        __asm__ volatile("" : "+x"(vb));  // "changes" every iteration: no hoisting of the products
        for (int k = 0; k < DOT_ACCS_AVX2; k++)
            acc[k] = _mm256_add_epi32(acc[k], _mm256_madd_epi16(_mm256_maddubs_epi16(va[k], vb), ones));
    }
    int32_t lanes[8];
    int64_t total = 0;
    for (int k = 0; k < DOT_ACCS_AVX2; k++) {
        _mm256_storeu_si256((__m256i *)lanes, acc[k]);
        for (int l = 0; l < 8; l++) total += lanes[l];
    }
    return total;
}

__attribute__((target("avx512f,avx512bw,avx512vl,avx512dq,avx512vnni,avx2,fma,f16c")))
static int64_t peak_dot_vnni(int64_t n, uint8_t a, int8_t b) {
    __m512i va = _mm512_set1_epi8((char)a), vb = _mm512_set1_epi8((char)b);
    __m512i acc[DOT_ACCS_VNNI];
    for (int k = 0; k < DOT_ACCS_VNNI; k++) acc[k] = _mm512_set1_epi32(k);
    for (int64_t i = 0; i < n; i++)
        for (int k = 0; k < DOT_ACCS_VNNI; k++) acc[k] = _mm512_dpbusd_epi32(acc[k], va, vb);
    int32_t lanes[16];
    int64_t total = 0;
    for (int k = 0; k < DOT_ACCS_VNNI; k++) {
        _mm512_storeu_si512(lanes, acc[k]);
        for (int l = 0; l < 16; l++) total += lanes[l];
    }
    return total;
}

/// Asked once (cpuid is slow and serializing): matmul workers call it on every packed Q8_0
/// call and may race to fill the cache, each writing the same value, so the accesses are atomic.
int sw_has_avx512_vnni(void) {
    static int cached = -1;
    int value = __atomic_load_n(&cached, __ATOMIC_RELAXED);
    if (value < 0) {
        value = 0;
        if (sw_detect_isa() == SW_ISA_AVX512) {  // also checks the OS's ZMM state
            unsigned a, b, c, d;
            __cpuid_count(7, 0, a, b, c, d);
            value = (int)((c >> 11) & 1);
        }
        __atomic_store_n(&cached, value, __ATOMIC_RELAXED);
    }
    return value;
}
#else
int sw_has_avx512_vnni(void) { return 0; }
#endif

void sw_peak_dot_i8_shape(int isa, int vnni, int *accumulators, int *lanes) {
    *accumulators = FMA_ACCS;
    *lanes = PORTABLE_LANES;
#if SW_X86
    if (isa == SW_ISA_AVX512 && vnni) {
        *accumulators = DOT_ACCS_VNNI;
        *lanes = 16;
    } else if (isa == SW_ISA_AVX2 || isa == SW_ISA_AVX512) {
        *accumulators = DOT_ACCS_AVX2;
        *lanes = 8;
    }
#else
    (void)isa;
    (void)vnni;
#endif
}

int64_t sw_peak_dot_i8(int isa, int vnni, int64_t iterations, uint8_t a, int8_t b) {
#if SW_X86
    if (isa == SW_ISA_AVX512 && vnni) return peak_dot_vnni(iterations, a, b);
    if (isa == SW_ISA_AVX2 || isa == SW_ISA_AVX512) return peak_dot_avx2(iterations, a, b);
#else
    (void)isa;
    (void)vnni;
#endif
    return peak_dot_scalar(iterations, a, b);
}
