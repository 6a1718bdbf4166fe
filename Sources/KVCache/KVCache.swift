// KVCache: block bookkeeping for the paged KV cache (block pool, free queue, prefix-cache hashing, per-request block lists). A leaf: it never touches tensors and imports no other engine target.
