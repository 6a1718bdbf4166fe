// Run-time instruction-set detection: cpuid for the features, xgetbv for OS support of the
// YMM/ZMM register state. Decided once; every other file trusts the isa it is given.
#include "sw_internal.h"

#if SW_X86
#include <cpuid.h>

static uint64_t sw_xgetbv0(void) {
    uint32_t eax, edx;
    __asm__ volatile(".byte 0x0f, 0x01, 0xd0" : "=a"(eax), "=d"(edx) : "c"(0));
    return ((uint64_t)edx << 32) | eax;
}

static int sw_detect_x86(void) {
    unsigned a, b, c, d;
    if (!__get_cpuid(1, &a, &b, &c, &d)) return SW_ISA_SCALAR;
    int osxsave = (c >> 27) & 1, fma = (c >> 12) & 1, f16c = (c >> 29) & 1, avx = (c >> 28) & 1;
    if (!osxsave || !avx) return SW_ISA_SCALAR;
    uint64_t xcr0 = sw_xgetbv0();
    int ymmState = (xcr0 & 0x6) == 0x6;           // SSE and AVX state
    int zmmState = (xcr0 & 0xE6) == 0xE6;         // plus opmask, ZMM_Hi256, Hi16_ZMM
    if (__get_cpuid_max(0, 0) < 7) return SW_ISA_SCALAR;
    __cpuid_count(7, 0, a, b, c, d);
    int avx2 = (b >> 5) & 1;
    int avx512f = (b >> 16) & 1, avx512dq = (b >> 17) & 1, avx512bw = (b >> 30) & 1,
        avx512vl = (b >> 31) & 1;
    if (!(ymmState && avx2 && fma && f16c)) return SW_ISA_SCALAR;
    if (zmmState && avx512f && avx512dq && avx512bw && avx512vl) return SW_ISA_AVX512;
    return SW_ISA_AVX2;
}
#endif

int sw_detect_isa(void) {
#if SW_X86
    return sw_detect_x86();  // Kernels calls this once and caches the answer
#elif defined(__aarch64__)
    return SW_ISA_NEON;
#else
    return SW_ISA_SCALAR;
#endif
}
