/* Runs llama.cpp's own forward pass over token ids and writes every position's logits, so its
 * accuracy can be measured against the float64 reference with the same metric as Swiftlet's.
 *
 *   llama_logits MODEL.gguf OUT.f32 ID ID ID ...
 *
 * Evaluates the ids as one sequence from position 0 (one llama_decode per 512 tokens, logits for
 * every position) and writes numPositions x vocab float32 values (native byte order) to OUT.f32.
 * LLAMA_LOGITS_F32_CACHE=1 keeps keys and values in F32 (llama.cpp's default cache is F16).
 * Built against the llama.cpp that scripts/build-llama-cpp makes (see llama_cpp_reference.py).
 */
#include <stdio.h>
#include <stdlib.h>
#include "llama.h"

static void quiet(enum ggml_log_level level, const char *text, void *user) {
    (void)user;
    if (level >= GGML_LOG_LEVEL_ERROR) fputs(text, stderr);
}

int main(int argc, char **argv) {
    if (argc < 4) {
        fprintf(stderr, "usage: %s MODEL.gguf OUT.f32 ID...\n", argv[0]);
        return 2;
    }
    int n = argc - 3;
    llama_log_set(quiet, NULL);
    llama_backend_init();
    struct llama_model_params mp = llama_model_default_params();
    struct llama_model *model = llama_model_load_from_file(argv[1], mp);
    if (!model) { fprintf(stderr, "cannot load %s\n", argv[1]); return 1; }
    struct llama_context_params cp = llama_context_default_params();
    cp.n_ctx = (uint32_t)(n + 16);
    cp.n_batch = 512;
    cp.n_ubatch = 512;
    cp.n_threads = 2;
    cp.n_threads_batch = 2;
    if (getenv("LLAMA_LOGITS_F32_CACHE")) {  /* keys and values in F32 instead of llama.cpp's default F16 */
        cp.type_k = GGML_TYPE_F32;
        cp.type_v = GGML_TYPE_F32;
    }
    struct llama_context *ctx = llama_init_from_model(model, cp);
    if (!ctx) { fprintf(stderr, "cannot make a context\n"); return 1; }
    int vocab = llama_vocab_n_tokens(llama_model_get_vocab(model));
    FILE *out = fopen(argv[2], "wb");
    if (!out) { perror(argv[2]); return 1; }
    struct llama_batch batch = llama_batch_init(512, 0, 1);
    for (int start = 0; start < n; start += 512) {
        int count = n - start < 512 ? n - start : 512;
        batch.n_tokens = count;
        for (int i = 0; i < count; i++) {
            batch.token[i] = atoi(argv[3 + start + i]);
            batch.pos[i] = start + i;
            batch.n_seq_id[i] = 1;
            batch.seq_id[i][0] = 0;
            batch.logits[i] = 1;
        }
        if (llama_decode(ctx, batch) != 0) { fprintf(stderr, "llama_decode failed at %d\n", start); return 1; }
        for (int i = 0; i < count; i++) {
            const float *row = llama_get_logits_ith(ctx, i);
            if (fwrite(row, sizeof(float), (size_t)vocab, out) != (size_t)vocab) { perror("write"); return 1; }
        }
    }
    fclose(out);
    llama_batch_free(batch);
    llama_free(ctx);
    llama_model_free(model);
    return 0;
}
