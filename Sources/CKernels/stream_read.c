// A streaming read of a float array (its sum, with 16 partial sums so the compiler vectorizes
// the loads): the memory-bandwidth probe behind `swiftlet bench memory`, the roofline's
// denominator for weight streaming in decode.
#include "sw_internal.h"
#include "sw_math.h"

SW_INLINE float stream_sum_body(const float *x, int64_t count) {
    float s[16] = {0};
    int64_t i = 0;
    for (; i + 16 <= count; i += 16)
        for (int k = 0; k < 16; k++) s[k] += x[i + k];
    for (; i < count; i++) s[i % 16] += x[i];
    return sw_sum16(s);
}

static float stream_sum_scalar(const float *x, int64_t count) { return stream_sum_body(x, count); }
#if SW_X86
SW_AVX2 static float stream_sum_avx2(const float *x, int64_t count) { return stream_sum_body(x, count); }
SW_AVX512 static float stream_sum_avx512(const float *x, int64_t count) { return stream_sum_body(x, count); }
#endif

float sw_stream_sum(int isa, const float *x, int64_t count) {
#if SW_X86
    if (isa == SW_ISA_AVX512) return stream_sum_avx512(x, count);
    if (isa == SW_ISA_AVX2) return stream_sum_avx2(x, count);
#else
    (void)isa;
#endif
    return stream_sum_scalar(x, count);
}
