// Models: the Llama-family decoder over a flat batch of tokens with a paged KV cache.
