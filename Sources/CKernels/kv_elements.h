// Scalar conversions between float and the KV cache element types (SW_KV_*), shared by the
// KV write and the scalar attention path.
#ifndef SWIFTLET_KV_ELEMENTS_H
#define SWIFTLET_KV_ELEMENTS_H
#include <math.h>
#include "fp8_table.h"
#include "sw_internal.h"

SW_INLINE uint32_t sw_float_bits(float f) { uint32_t u; memcpy(&u, &f, 4); return u; }

/// float to IEEE half, round to nearest even; overflow to infinity, NaN quieted with the top
/// 10 payload bits kept (what vcvtps2ph produces).
SW_INLINE uint16_t sw_float_to_half(float f) {
    uint32_t x = sw_float_bits(f);
    uint16_t sign = (uint16_t)((x >> 16) & 0x8000u);
    uint32_t ax = x & 0x7FFFFFFFu;
    if (ax >= 0x7F800000u)  // infinity or NaN
        return sign | (ax > 0x7F800000u ? (uint16_t)(0x7E00u | ((ax >> 13) & 0x3FFu)) : 0x7C00u);
    if (ax >= 0x477FF000u) return sign | 0x7C00u;  // at or above 65520 rounds to infinity
    if (ax < 0x38800000u) {
        // below 2^-14: a half subnormal (or zero). Adding 0.5f puts the value's multiple of
        // 2^-24 in the low mantissa bits, rounded to nearest even by the float add.
        float r = sw_bits_float(ax) + 0.5f;
        return sign | (uint16_t)(sw_float_bits(r) - 0x3F000000u);
    }
    uint32_t odd = (ax >> 13) & 1u;
    ax += 0xC8000FFFu + odd;  // rebias the exponent (-112 << 23) and round to nearest even
    return sign | (uint16_t)(ax >> 13);
}

/// float to bfloat16, round to nearest even; NaN quieted (payload's top bits kept).
SW_INLINE uint16_t sw_float_to_bf16(float f) {
    uint32_t u = sw_float_bits(f);
    if ((u & 0x7FFFFFFFu) > 0x7F800000u) return (uint16_t)((u >> 16) | 0x40u);
    return (uint16_t)((u + 0x7FFFu + ((u >> 16) & 1u)) >> 16);
}

/// float to an 8-bit float with `man` mantissa bits and exponent bias `bias`, round to nearest
/// even; finite values past `maxCode` (the largest finite code) saturate to it; infinities give
/// `infCode` (E5M2's infinity; E4M3 has none and saturates); NaN gives `nanCode`. Sign on top.
SW_INLINE uint8_t sw_float_to_fp8(float f, int man, int bias, uint32_t maxCode, uint32_t infCode, uint32_t nanCode) {
    uint32_t x = sw_float_bits(f);
    uint32_t sign = (x >> 24) & 0x80u, ax = x & 0x7FFFFFFFu;
    if (ax > 0x7F800000u) return (uint8_t)(sign | nanCode);
    if (ax == 0x7F800000u) return (uint8_t)(sign | infCode);
    uint32_t code;
    // below the smallest normal 2^(1 - bias): multiples of 2^(1 - bias - man), counted exactly
    // (the division by a power of two is exact) and rounded to nearest even by rintf
    if (ax < (uint32_t)(128 - bias) << 23) {
        code = (uint32_t)rintf(sw_bits_float(ax) * sw_bits_float((uint32_t)(127 + bias - 1 + man) << 23));
    } else {
        int shift = 23 - man;
        ax += (1u << (shift - 1)) - 1u + ((ax >> shift) & 1u);  // round to nearest even at the cut
        uint32_t rebias = (uint32_t)(127 - bias) << man;
        code = (ax >> shift) - rebias;
    }
    return (uint8_t)(sign | (code > maxCode ? maxCode : code));
}
SW_INLINE uint8_t sw_float_to_e4m3(float f) { return sw_float_to_fp8(f, 3, 7, 0x7Eu, 0x7Eu, 0x7Fu); }
SW_INLINE uint8_t sw_float_to_e5m2(float f) { return sw_float_to_fp8(f, 2, 15, 0x7Bu, 0x7Cu, 0x7Eu); }

/// E4M3 to float, exactly (fp8_table.h). The SIMD loads compute the same values: the 7 magnitude
/// bits placed as an IEEE half's exponent and mantissa give the value / 256 (normals and
/// subnormals alike), times 256; for 0x7F / 0xFF (NaN) 0x7E00 is or-ed into the half.
SW_INLINE float sw_e4m3(uint8_t b) {
    float f;
    memcpy(&f, &sw_e4m3_bits[b], 4);
    return f;
}
/// E5M2 to float, exactly: it is the upper byte of an IEEE half.
SW_INLINE float sw_e5m2(uint8_t b) { return sw_half((uint16_t)(b << 8)); }

/// Element i of a KV row of type dtype, as float.
SW_INLINE float sw_kv_load(const void *p, int64_t i, const int dtype) {
    if (dtype == SW_KV_F16) return sw_half(((const uint16_t *)p)[i]);
    if (dtype == SW_KV_BF16) return sw_bf16(((const uint16_t *)p)[i]);
    if (dtype == SW_KV_FP8_E4M3) return sw_e4m3(((const uint8_t *)p)[i]);
    if (dtype == SW_KV_FP8_E5M2) return sw_e5m2(((const uint8_t *)p)[i]);
    return ((const float *)p)[i];
}

/// Bytes per element of dtype.
SW_INLINE int64_t sw_kv_size(int dtype) {
    return dtype == SW_KV_F32 ? 4 : dtype == SW_KV_FP8_E4M3 || dtype == SW_KV_FP8_E5M2 ? 1 : 2;
}
#endif
