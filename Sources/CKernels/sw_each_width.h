// Includes the kernel body named by SW_BODY (a "*_body.h" file, sw_simd.h) once per vector
// width: SW_W = 8 (AVX2), then SW_W = 16 (AVX-512). Usage: #define SW_BODY "x_body.h", then
// #include "sw_each_width.h". No include guard: each use instantiates its own body.
#if SW_X86
#define SW_W 8
#include SW_BODY
#undef SW_W
#define SW_W 16
#include SW_BODY
#undef SW_W
#endif
#undef SW_BODY
