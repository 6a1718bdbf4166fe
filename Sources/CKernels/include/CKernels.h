// CKernels: C kernels with SIMD intrinsics, compiled per instruction set with target attributes
// and chosen at run time by Kernels (Swift). Only intrinsics and plain loops live here.
// `isa` arguments take the SW_ISA_* values; a path the CPU lacks must never be requested
// (Kernels clamps it with sw_detect_isa()).
#ifndef SWIFTLET_CKERNELS_H
#define SWIFTLET_CKERNELS_H
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

// ---- instruction sets -------------------------------------------------------------------
enum { SW_ISA_SCALAR = 0, SW_ISA_AVX2 = 1, SW_ISA_AVX512 = 2, SW_ISA_NEON = 3 };
/// Best instruction set this CPU and OS support (cpuid + xgetbv on x86-64; NEON on arm64).
int sw_detect_isa(void);

// ---- weight types (same order as Kernels.WeightType) ------------------------------------
enum {
    SW_F32 = 0, SW_F16, SW_BF16, SW_Q4_0, SW_Q4_1, SW_Q5_0, SW_Q5_1, SW_Q8_0,
    SW_Q2_K, SW_Q3_K, SW_Q4_K, SW_Q5_K, SW_Q6_K,
    /// Not a GGUF type: FP8 E4M3 weights of a compressed-tensors checkpoint, repacked at load in
    /// blocks of 32 codes behind their F32 scale (4 + 32 bytes); value = float(code) * scale.
    SW_F8_E4M3_B32,
    /// Not a GGUF type: 8-bit integer weights (compressed-tensors INT8, GPTQ 8-bit symmetric) in
    /// blocks of 32 behind their F32 scale (4 + 32 bytes); value = float(code) * scale.
    SW_I8_B32,
    /// Not a GGUF type: 4-bit integer weights with a zero point (compressed-tensors INT4, GPTQ and
    /// AWQ 4-bit) in blocks of 32: F32 scale, F32 zero point, 16 bytes whose byte j holds element
    /// j in its low nibble and element j + 16 in its high one (4 + 4 + 16 bytes);
    /// value = (float(code) - zero) * scale.
    SW_U4_B32,
    SW_NUM_TYPES
};
/// Elements per block of a weight type.
int sw_block_size(int type);
/// Bytes per block of a weight type.
int sw_type_size(int type);

/// Dequantize `count` elements (a multiple of the block size) of `type` at `src` into `dst`.
void sw_dequantize(int isa, int type, const void *src, int64_t count, float *dst);

// ---- matmul -----------------------------------------------------------------------------
/// y[t * ldy + r] = dot(W row r, x[t * cols ...]) for r in rowStart..<rowEnd, t < numTokens.
/// `w` points at row 0; `rowBytes` is the byte length of one stored row. `scratch` holds at
/// least sw_matmul_scratch_floats(cols) floats (private to the calling worker).
void sw_matmul_rows(int isa, int type, const void *w, int64_t rowBytes, int64_t cols,
                    int64_t rowStart, int64_t rowEnd, const float *x, int64_t numTokens,
                    float *y, int64_t ldy, float *scratch);
/// Scratch floats one worker needs for sw_matmul_rows with `cols` columns.
int64_t sw_matmul_scratch_floats(int64_t cols);
/// Rows handled together by sw_matmul_rows (parallel chunks should be multiples of it).
int sw_matmul_row_tile(void);

// ---- Q8_0 weights against 16-bit activations (layouts in q8_packed.h) ---------------------
/// Bytes of a rows x cols Q8_0 matrix (cols a multiple of 32) packed by sw_q8_pack.
int64_t sw_q8_packed_bytes(int64_t rows, int64_t cols);
/// Repacks Q8_0 rows (GGUF layout) for sw_matmul_q8_rows: groups of 16 rows interleaved.
void sw_q8_pack(const void *q8_0, int64_t rows, int64_t cols, void *dst);
/// Bytes one token's quantized activations take.
int64_t sw_q8_act_bytes(int64_t cols);
/// Quantizes numTokens rows of x (cols a multiple of 32) to 16-bit integers per 32-column block,
/// sw_q8_act_bytes(cols) bytes per token at xq. The same bytes on every ISA.
void sw_q8_quantize(int isa, const float *x, int64_t numTokens, int64_t cols, void *xq);
/// y[t * ldy + r] for r in rowStart..<rowEnd (rowStart a multiple of 16), t < numTokens, from
/// packed weights and quantized activations. The same bits on every ISA and for any tiling.
void sw_matmul_q8_rows(int isa, const void *packed, int64_t cols, int64_t rowStart, int64_t rowEnd,
                       const void *xq, int64_t numTokens, float *y, int64_t ldy);

// ---- packed weights, any type with a packed layout (Q8_0: q8_packed.h; Q4_0, Q4_1: q4_packed.h)
/// Whether weights of `type` have a packed layout (16-row groups against 16-bit activations).
int sw_has_packed_layout(int type);
/// Bytes of a rows x cols matrix of `type` (cols a multiple of 32) once packed by sw_pack.
int64_t sw_packed_bytes(int type, int64_t rows, int64_t cols);
/// Repacks GGUF rows of `type` for sw_matmul_packed_rows (SW_F8_E4M3_B32 rows: sw_matmul_f8_rows).
void sw_pack(int type, const void *src, int64_t rows, int64_t cols, void *dst);
/// y[t * ldy + r] for r in rowStart..<rowEnd (rowStart a multiple of 16), t < numTokens, from
/// packed weights of `type` and activations quantized by sw_q8_quantize. The same bits on every
/// ISA and for any tiling.
void sw_matmul_packed_rows(int isa, int type, const void *packed, int64_t cols, int64_t rowStart,
                           int64_t rowEnd, const void *xq, int64_t numTokens, float *y, int64_t ldy);
/// FP8 weights (SW_F8_E4M3_B32) packed by sw_pack take F32 activations instead (f8_packed.h):
/// y[t * ldy + r] for r in rowStart..<rowEnd (a multiple of 16), t < numTokens; scratch holds
/// 16 * cols floats. The same bits on every ISA, batch size and tiling.
void sw_matmul_f8_rows(int isa, const void *packed, int64_t cols, int64_t rowStart, int64_t rowEnd,
                       const float *x, int64_t numTokens, float *y, int64_t ldy, float *scratch);
/// Whether SW_F8_E4M3_B32 rows have no NaN code (0x7F, 0xFF), which the packed layout cannot hold.
int sw_f8_packable(const void *src, int64_t rows, int64_t cols);
int64_t sw_f8_packed_bytes(int64_t rows, int64_t cols);
void sw_f8_pack(const void *src, int64_t rows, int64_t cols, void *dst);

// ---- elementwise and normalization ------------------------------------------------------
void sw_rms_norm(int isa, const float *x, const float *weight, float eps, int64_t numTokens,
                 int64_t dim, float *out);
/// pairing 0: adjacent (2i, 2i+1); 1: halves (i, i + headDim/2).
void sw_rope(int isa, float *x, int64_t numTokens, int64_t numHeads, int64_t headDim,
             const int32_t *positions, const float *invFreq, int pairing);
void sw_silu_mul(int isa, const float *gate, const float *up, int64_t count, float *out);
/// out = gelu_tanh(gate) * up (GELU with the tanh approximation, as Gemma's MLP).
void sw_gelu_tanh_mul(int isa, const float *gate, const float *up, int64_t count, float *out);
void sw_add(int isa, float *x, const float *y, int64_t count);
/// Sum of x[0..<count] in 16 fixed partial sums: a streaming read of the array.
float sw_stream_sum(int isa, const float *x, int64_t count);

// ---- attention --------------------------------------------------------------------------
/// Element types of the KV cache: F32, IEEE half, bfloat16 (the upper 16 bits of an F32), and
/// the two 8-bit floats of vLLM's fp8 cache: E4M3 (bias 7, no infinities, 0x7F/0xFF NaN, largest
/// 448) and E5M2 (the upper byte of an IEEE half).
enum { SW_KV_F32 = 0, SW_KV_F16 = 1, SW_KV_BF16 = 2, SW_KV_FP8_E4M3 = 3, SW_KV_FP8_E5M2 = 4 };
/// Writes count floats of src into dst as `dtype` elements, rounding to nearest even (F16: as
/// vcvtps2ph; BF16: NaNs quieted, subnormals kept; FP8: finite values beyond the largest finite
/// one saturate to it, E4M3 infinities too, NaN stays NaN). The same bits on every ISA.
void sw_kv_store(int isa, int dtype, const float *src, void *dst, int64_t count);
/// Dynamic per-token FP8 E4M3 activation quantization, as compressed-tensors applies it to the
/// inputs of FP8_DYNAMIC layers: per row of `cols`, scale = max|x| / 448 (float32 eps when 0),
/// out = float(e4m3(x / scale)) * scale, rounding to nearest even. Scalar on every ISA.
void sw_fp8_quantize_dequantize_rows(const float *x, int64_t rows, int64_t cols, float *out);
/// Static FP8 activations (compressed-tensors' FP8 scheme): every row rounded through E4M3 with
/// the one checkpoint `scale` (its input_scale): out = float(e4m3(clamp(x / scale))) * scale.
void sw_fp8_quantize_dequantize_rows_scaled(const float *x, int64_t rows, int64_t cols, float scale, float *out);
/// Dynamic per-token INT8 activation quantization (compressed-tensors' W8A8 inputs): per row,
/// scale = max|x| / 127.5 (float32 eps when 0), out = round(clamp(x / scale, -128, 127)) * scale,
/// ties to even. Scalar on every ISA.
void sw_int8_quantize_dequantize_rows(const float *x, int64_t rows, int64_t cols, float *out);
/// The same INT8 codes written as the packed kernels' activations (sw_q8_quantize's layout, cols
/// a multiple of 32): the codes as int16, every block's scale the token's scale, the exact sums.
/// Packed i8_b32 weights then multiply them in exact integer sums: W8A8 with int32 accumulation.
void sw_int8_quantize_for_packed(const float *x, int64_t rows, int64_t cols, void *xq);
/// Attention for the work items [itemStart, itemEnd), item = token * numKVHeads + kvHead: all
/// query heads of that KV head. kCache/vCache hold `kvDType` elements (SW_KV_*), widened to
/// float as they are read. `window` > 0 limits each token to its last `window` positions
/// (sliding-window attention); 0 attends to all. `scratch` holds
/// sw_attention_scratch_floats(...) floats.
void sw_paged_attention(int isa, const float *q, int64_t numHeads, int64_t numKVHeads,
                        int64_t headDim, const void *kCache, const void *vCache, int kvDType,
                        int64_t blockSize, const int32_t *blockTables, int64_t maxBlocksPerSeq,
                        const int32_t *tokenSeq, const int32_t *tokenPos, float scale,
                        int64_t window, float *out, int64_t itemStart, int64_t itemEnd,
                        float *scratch);
int64_t sw_attention_scratch_floats(int64_t numHeads, int64_t numKVHeads, int64_t headDim,
                                    int64_t blockSize);

// ---- worker pool ------------------------------------------------------------------------
typedef struct sw_pool sw_pool;
/// Body of one parallel loop: handles [start, end) as worker `worker`.
typedef void (*sw_pool_body)(void *context, int64_t start, int64_t end, int worker);
/// A pool of numThreads - 1 persistent threads (the caller is worker 0). NULL on failure.
sw_pool *sw_pool_create(int numThreads);
void sw_pool_destroy(sw_pool *pool);
/// Threads the pool runs loops on (the caller included); less than asked if a thread failed to start.
int sw_pool_num_threads(const sw_pool *pool);
/// Whether the calling thread is inside a loop body of `pool` (a nested loop would deadlock).
int sw_pool_in_body(const sw_pool *pool);
/// Inside a loop body: claims the next `step` units of work shared by all workers of the
/// current loop (returns the first unit; the counter starts at 0 for each sw_pool_run).
int64_t sw_pool_claim(sw_pool *pool, int64_t step);
/// Serializes callers: Kernels holds the lock around sizing scratch and running a loop.
void sw_pool_lock(sw_pool *pool);
void sw_pool_unlock(sw_pool *pool);
/// Splits 0..<count into numThreads contiguous chunks (worker w: [count*w/n, count*(w+1)/n)),
/// runs them, and returns when all are done. One caller at a time (see sw_pool_lock); not from inside a body.
void sw_pool_run(sw_pool *pool, int64_t count, sw_pool_body body, void *context);
/// Join-wait timing for profiles: when enabled, sw_pool_run adds the time the caller spends
/// waiting for other threads' chunks after running its own (one clock read pair per loop;
/// off: one flag test per loop). Read by the caller, between loops.
void sw_pool_set_join_timing(sw_pool *pool, int enabled);
uint64_t sw_pool_join_wait_ns(const sw_pool *pool);
uint64_t sw_pool_num_timed_joins(const sw_pool *pool);

// ---- peak-rate probes (swiftlet bench machine) -------------------------------------------
/// Whether this CPU runs AVX-512 VNNI (vpdpbusd on 512-bit registers) with the OS's ZMM state.
int sw_has_avx512_vnni(void);
/// Float FMA throughput probe: `accumulators` independent vectors of `lanes` floats (see
/// sw_peak_fma_shape), accumulator k starting at start + k, each updated `iterations` times as
/// acc = acc * m + c; returns the sum of every lane.
float sw_peak_fma(int isa, int64_t iterations, float start, float m, float c);
void sw_peak_fma_shape(int isa, int *accumulators, int *lanes);
/// Int8 dot-product throughput probe: int32 lanes, accumulator k starting at k, each adding
/// dot(4 unsigned bytes a, 4 signed bytes b) per iteration (vpdpbusd when vnni and AVX-512;
/// vpmaddubsw + vpmaddwd + vpaddd with AVX2, whose 16-bit pair sums saturate past 32767;
/// plain loops else); returns the sum of every lane.
int64_t sw_peak_dot_i8(int isa, int vnni, int64_t iterations, uint8_t a, int8_t b);
void sw_peak_dot_i8_shape(int isa, int vnni, int *accumulators, int *lanes);

#ifdef __cplusplus
}
#endif
#endif
