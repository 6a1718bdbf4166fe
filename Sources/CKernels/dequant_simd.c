// AVX2 and AVX-512 dequantize-row entries: one body (dequant_row_body.h) over each width's
// dequantizer (dequant_avx2.h, dequant_avx512.h). sw_dequantize (dequant_scalar.c) picks one.
#include "dequant_avx2.h"
#include "dequant_avx512.h"
#include "sw_simd.h"

#define SW_BODY "dequant_row_body.h"
#include "sw_each_width.h"
