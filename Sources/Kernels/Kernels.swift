// Kernels: matmuls over weights in their stored types, norms, rotary embeddings, attention, with scalar reference twins; CPU-feature dispatch and the worker pool. A leaf: imports only CKernels.
