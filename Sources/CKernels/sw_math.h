// Small branch-free math helpers that vectorize inside the per-ISA instantiations.
#ifndef SWIFTLET_SW_MATH_H
#define SWIFTLET_SW_MATH_H
#include "sw_internal.h"

/// exp(x) for float: range reduction x = n ln2 + r (|r| <= ln2/2, two-part ln2), degree-7
/// polynomial (Cephes coefficients) for e^r (relative error about 2 ulp), then scaling by 2^n through the exponent
/// bits. Inputs are clamped to [-87.3, 88], so the result is finite and normal.
SW_INLINE float sw_expf(float x) {
    x = x < -87.3f ? -87.3f : (x > 88.0f ? 88.0f : x);
    float n = __builtin_rintf(x * 1.44269504088896341f);
    float r = x - n * 0.693359375f;
    r = r - n * -2.12194440e-4f;
    float p = 1.9875691500e-4f;
    p = p * r + 1.3981999507e-3f;
    p = p * r + 8.3334519073e-3f;
    p = p * r + 4.1665795894e-2f;
    p = p * r + 1.6666665459e-1f;
    p = p * r + 5.0000001201e-1f;
    p = p * r * r + r + 1.0f;
    int32_t bits = ((int32_t)n + 127) << 23;
    float scale;
    memcpy(&scale, &bits, 4);
    return p * scale;
}

/// Sum of 16 partial sums in a fixed pairwise order.
SW_INLINE float sw_sum16(const float *s) {
    float a[8];
    for (int k = 0; k < 8; k++) a[k] = s[k] + s[k + 8];
    float b0 = (a[0] + a[4]) + (a[2] + a[6]), b1 = (a[1] + a[5]) + (a[3] + a[7]);
    return b0 + b1;
}
#endif
