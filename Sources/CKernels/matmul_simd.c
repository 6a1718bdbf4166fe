// AVX2 and AVX-512 F32 tile kernels for sw_matmul_rows (matmul.c): one body (tile_body.h) at 8
// and at 16 lanes.
#include "sw_internal.h"
#include "sw_simd.h"

#define SW_BODY "tile_body.h"
#include "sw_each_width.h"
