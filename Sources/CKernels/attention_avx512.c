// AVX-512 paged attention: the width-generic body (attention_body.h) at 16 lanes, on the
// token-tiled loop of attention_tiles.h. One file per width, so each compiles as it did before
// the body was shared.
#include <math.h>
#include "sw_internal.h"
#include "sw_math.h"
#include "sw_simd.h"
#include "attention_tiles.h"
#include "kv_elements.h"

#if SW_X86
#define SW_W 16
#include "attention_body.h"
#undef SW_W
#endif
