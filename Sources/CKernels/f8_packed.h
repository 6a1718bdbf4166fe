// FP8 E4M3 weights (SW_F8_E4M3_B32 rows) repacked for F32 activations (f8_packed.c,
// matmul_f8_avx2.c): one sequential stream of 16-row groups instead of 16 interleaved rows, and
// codes widened by three integer operations and vcvtph2ps instead of a table or a multiply.
//
// Packed weights: rows in groups of 16 (the last group padded with zero rows); a group is cols/32
// blocks of SW_F8_GROUP_BLOCK bytes, one per 32-column block:
//   [16 x f32]          D_r = 256 * row r's block scale
//   [16][2][16] uint8   column pair j: the 16 rows' codes of column 2j, then those of column 2j+1
// A code c widens exactly to h(c) = e4m3(c) / 256, the IEEE half with bits
// ((c & 0x80) << 8) | ((c & 0x7F) << 7) (E4M3 subnormals become half subnormals). NaN codes
// (0x7F, 0xFF) have no such half: a matrix holding one is not packed (sw_f8_packable).
// Output y[t, r]: per block in order, e = a chain of fused multiply-adds of h(w[r, 2j]) * x[t, 2j]
// over j = 0..15, o the same over the odd columns, acc = fma(e + o, D_r, acc): every instruction
// set gives the same bits, for any batch size and tiling.
#ifndef SWIFTLET_F8_PACKED_H
#define SWIFTLET_F8_PACKED_H
#include "sw_internal.h"

#define SW_F8_GROUP_BLOCK (64 + 512)

/// The half bits of code c (h(c) above).
SW_INLINE uint16_t sw_f8_half_bits(uint8_t c) { return (uint16_t)(((c & 0x80u) << 8) | ((c & 0x7Fu) << 7)); }

#if SW_X86
/// Rows rowStart..<rowEnd (rowStart a multiple of 16) of packed FP8 weights on AVX2 (also what the
/// AVX-512 path runs); scratch holds 16 * cols floats.
void sw_f8_groups_avx2(const uint8_t *packed, int64_t cols, int64_t rowStart, int64_t rowEnd, const float *x,
                       int64_t numTokens, float *y, int64_t ldy, float *scratch);
#endif
#endif
