// Scalar conversions between float and the KV cache element types (SW_KV_*), shared by the
// KV write and the scalar attention path.
#ifndef SWIFTLET_KV_ELEMENTS_H
#define SWIFTLET_KV_ELEMENTS_H
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

/// Element i of a KV row of type dtype, as float.
SW_INLINE float sw_kv_load(const void *p, int64_t i, const int dtype) {
    if (dtype == SW_KV_F16) return sw_half(((const uint16_t *)p)[i]);
    if (dtype == SW_KV_BF16) return sw_bf16(((const uint16_t *)p)[i]);
    return ((const float *)p)[i];
}

/// Bytes per element of dtype.
SW_INLINE int64_t sw_kv_size(int dtype) { return dtype == SW_KV_F32 ? 4 : 2; }
#endif
