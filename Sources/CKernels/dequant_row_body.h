// The dequantize-row entry at one vector width W = SW_W (sw_simd.h): the width's dequantizer
// SW_DQ_<W> (dq16_256 or dq32_512) 2W elements at a time, with one loop per type so the type
// switch is resolved once per row, not once per step. Types without a hand-written version
// (Q2_K, Q3_K) use the compiler-vectorized blocks. Included by dequant_simd.c once per width;
// defines sw_dequantize_avx2 (W = 8) or sw_dequantize_avx512 (W = 16).

/// Elements 0..<count / 2W * 2W of a row of the constant `type`; returns how many were done.
SW_TARGET SW_INLINE int64_t SWX(dq_row)(const int type, const uint8_t *s, int64_t count, float *dst) {
    int64_t e = 0;
    for (; e + 2 * SW_W <= count; e += 2 * SW_W) {
        SWF v[2];
        SW_CAT(SW_DQ_, SW_W)(type, s, e, v);
        SWV(store)(dst + e, v[0]);
        SWV(store)(dst + e + SW_W, v[1]);
    }
    return e;
}

SW_TARGET void SWX(sw_dequantize)(int type, const void *src, int64_t count, float *dst) {
    const uint8_t *s = (const uint8_t *)src;
    int64_t e;
    switch (type) {
    case SW_Q4_0: e = SWX(dq_row)(SW_Q4_0, s, count, dst); break;
    case SW_Q4_1: e = SWX(dq_row)(SW_Q4_1, s, count, dst); break;
    case SW_Q5_0: e = SWX(dq_row)(SW_Q5_0, s, count, dst); break;
    case SW_Q5_1: e = SWX(dq_row)(SW_Q5_1, s, count, dst); break;
    case SW_Q8_0: e = SWX(dq_row)(SW_Q8_0, s, count, dst); break;
    case SW_Q4_K: e = SWX(dq_row)(SW_Q4_K, s, count, dst); break;
    case SW_Q5_K: e = SWX(dq_row)(SW_Q5_K, s, count, dst); break;
    case SW_Q6_K: e = SWX(dq_row)(SW_Q6_K, s, count, dst); break;
    case SW_F8_E4M3_B32: e = SWX(dq_row)(SW_F8_E4M3_B32, s, count, dst); break;
    case SW_I8_B32: e = SWX(dq_row)(SW_I8_B32, s, count, dst); break;
    case SW_U4_B32: e = SWX(dq_row)(SW_U4_B32, s, count, dst); break;
    case SW_F16: e = SWX(dq_row)(SW_F16, s, count, dst); break;
    case SW_BF16: e = SWX(dq_row)(SW_BF16, s, count, dst); break;
    case SW_F32: e = SWX(dq_row)(SW_F32, s, count, dst); break;
    default: dq_blocks(type, s, count, dst); return;  // Q2_K, Q3_K
    }
    // float types: a tail shorter than 2W
    for (; e < count; e++)
        dst[e] = type == SW_F16 ? sw_half_at(s + 2 * e)
               : type == SW_BF16 ? sw_bf16(sw_u16(s + 2 * e)) : ((const float *)s)[e];
}
