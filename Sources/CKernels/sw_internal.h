// Shared helpers of the CKernels C files (not part of the public header).
#ifndef SWIFTLET_SW_INTERNAL_H
#define SWIFTLET_SW_INTERNAL_H
#include <stdint.h>
#include <math.h>
#include <string.h>
#include "CKernels.h"

#if defined(__x86_64__) || defined(_M_X64)
#define SW_X86 1
#include <immintrin.h>
// Function attributes of the two x86 paths; every intrinsic function of a path carries one.
#define SW_AVX2 __attribute__((target("avx2,fma,f16c")))
#define SW_AVX512 __attribute__((target("avx512f,avx512bw,avx512vl,avx512dq,avx2,fma,f16c")))
#else
#define SW_X86 0
#endif

#if defined(__aarch64__)
// AArch64 always has fused multiply-add, so plain C `a * b + c` would be fused there where
// x86-64's baseline cannot fuse it: every kernel file is built without contraction on AArch64
// (this holds to the end of each file), so the portable code gives x86-64's bits and the NEON
// kernels (sw_neon.h) match it lane for lane.
#pragma STDC FP_CONTRACT OFF
#endif

#define SW_INLINE static inline __attribute__((always_inline))

SW_INLINE uint16_t sw_u16(const uint8_t *p) { uint16_t v; memcpy(&v, p, 2); return v; }
SW_INLINE uint32_t sw_u32(const uint8_t *p) { uint32_t v; memcpy(&v, p, 4); return v; }
SW_INLINE float sw_bits_float(uint32_t b) { float f; memcpy(&f, &b, 4); return f; }

/// IEEE half to float, exact for every bit pattern (NaN payloads kept, signaling included).
SW_INLINE float sw_half(uint16_t h) {
    uint32_t sign = (uint32_t)(h & 0x8000u) << 16;
    uint32_t exponent = (h >> 10) & 0x1Fu, mantissa = h & 0x3FFu;
    if (exponent == 0) {
        // zero or subnormal: mantissa * 2^-24 is exact in float
        float f = (float)mantissa * 5.9604644775390625e-8f;
        return sign ? -f : f;
    }
    if (exponent == 31) return sw_bits_float(sign | 0x7F800000u | (mantissa << 13));
    return sw_bits_float(sign | ((exponent + 112u) << 23) | (mantissa << 13));
}
SW_INLINE float sw_half_at(const uint8_t *p) { return sw_half(sw_u16(p)); }
SW_INLINE float sw_bf16(uint16_t h) { return sw_bits_float((uint32_t)h << 16); }

#if SW_X86
/// Prefetches (into L1) every cache line of [p, p + n): decode kernels request the next rows
/// while they compute, since several interleaved row streams defeat the hardware prefetcher.
SW_INLINE void sw_prefetch_span(const char *p, int64_t n) {
    for (int64_t o = 0; o < n; o += 64) _mm_prefetch(p + o, _MM_HINT_T0);
    _mm_prefetch(p + n - 1, _MM_HINT_T0);
}
#endif

/// Bytes still to prefetch while a tile kernel computes: the next tile's packed weight rows,
/// requested a few cache lines per inner step so the stream overlaps the arithmetic.
typedef struct { const char *at, *end; } sw_prefetch_cursor;

/// Rows longer than this many columns go through the tile kernel in column chunks, with the
/// accumulators parked in scratch between chunks (tile_body.h, sizes in matmul.c).
#define SW_KCHUNK_MIN 1024

/// Q4_K / Q5_K packed 6-bit scale and min of sub-block j (0..<8) from 12 bytes.
SW_INLINE void sw_scale_min_k4(const uint8_t *s, int j, uint8_t *scale, uint8_t *min) {
    if (j < 4) {
        *scale = s[j] & 63;
        *min = s[j + 4] & 63;
    } else {
        *scale = (uint8_t)((s[j + 4] & 0x0F) | ((s[j - 4] >> 6) << 4));
        *min = (uint8_t)((s[j + 4] >> 4) | ((s[j] >> 6) << 4));
    }
}

// Per-ISA dequantizers (count a multiple of the block size).
void sw_dequantize_scalar(int type, const void *src, int64_t count, float *dst);
#if SW_X86
void sw_dequantize_avx2(int type, const void *src, int64_t count, float *dst);
void sw_dequantize_avx512(int type, const void *src, int64_t count, float *dst);
#endif
#if defined(__aarch64__)
void sw_dequantize_neon(int type, const void *src, int64_t count, float *dst);
#endif

#endif
