// Dynamic per-token activation quantization as compressed-tensors applies it to the inputs of
// layers whose `input_activations` are dynamic with the "token" strategy: each row is divided by
// its own scale, rounded to the format's grid and multiplied back (quantize-dequantize), so the
// projections that follow see exactly the values the quantized checkpoint was made for.
// Scalar only: one pass over a [tokens, cols] activation per projection.
#include <math.h>
#include "kv_elements.h"
#include "q8_packed.h"
#pragma STDC FP_CONTRACT OFF

/// max|x| over a row; NaNs do not raise it.
static float row_abs_max(const float *x, int64_t cols) {
    float top = 0;
    for (int64_t c = 0; c < cols; c++) {
        float a = fabsf(x[c]);
        top = a > top ? a : top;
    }
    return top;
}

/// compressed-tensors replaces a zero scale by float32's epsilon.
static float nonzero_scale(float scale) { return scale == 0 ? 1.1920928955078125e-07f : scale; }

/// One row of cols values rounded through E4M3 with `scale`: float(e4m3(clamp(x / scale))) * scale.
static void fp8_row(const float *xr, int64_t cols, float scale, float *o) {
    for (int64_t c = 0; c < cols; c++) {
        float v = xr[c] / scale;
        v = v > 448.0f ? 448.0f : v < -448.0f ? -448.0f : v;
        o[c] = sw_e4m3(sw_float_to_e4m3(v)) * scale;
    }
}

void sw_fp8_quantize_dequantize_rows(const float *x, int64_t rows, int64_t cols, float *out) {
    for (int64_t r = 0; r < rows; r++)
        fp8_row(x + r * cols, cols, nonzero_scale(row_abs_max(x + r * cols, cols) / 448.0f), out + r * cols);
}

void sw_fp8_quantize_dequantize_rows_scaled(const float *x, int64_t rows, int64_t cols, float scale, float *out) {
    for (int64_t r = 0; r < rows; r++) fp8_row(x + r * cols, cols, scale, out + r * cols);
}

void sw_int8_quantize_dequantize_rows(const float *x, int64_t rows, int64_t cols, float *out) {
    for (int64_t r = 0; r < rows; r++) {
        const float *xr = x + r * cols;
        float *o = out + r * cols;
        float scale = nonzero_scale(row_abs_max(xr, cols) / 127.5f);  // (127 - (-128)) / 2
        for (int64_t c = 0; c < cols; c++) {
            float v = xr[c] / scale;
            v = v > 127.0f ? 127.0f : v < -128.0f ? -128.0f : v;
            o[c] = rintf(v) * scale;  // ties to even, as torch.round
        }
    }
}

void sw_int8_quantize_for_packed(const float *x, int64_t rows, int64_t cols, void *xq) {
    for (int64_t r = 0; r < rows; r++) {
        const float *xr = x + r * cols;
        uint8_t *q = (uint8_t *)xq + r * SW_Q8_ACT_BYTES(cols);
        float scale = nonzero_scale(row_abs_max(xr, cols) / 127.5f);
        for (int64_t c = 0; c < cols; c++) {
            float v = xr[c] / scale;
            v = v > 127.0f ? 127.0f : v < -128.0f ? -128.0f : v;
            int16_t code = (int16_t)rintf(v);
            memcpy(q + 2 * c, &code, 2);
        }
        for (int64_t b = 0; b < cols / 32; b++) {  // every block carries the token's scale
            memcpy(q + sw_q8_scale_offset(cols, b), &scale, 4);
            sw_q8_store_sum(q, cols, b);
        }
    }
}
