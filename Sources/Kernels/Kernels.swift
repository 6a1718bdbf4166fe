// Kernels: matmuls over weights in their stored types, norms, rotary embeddings, attention,
// with scalar reference twins; CPU-feature dispatch and the worker pool. A leaf: imports
// only CKernels.

/// The compute kernels of the forward pass. Each fast kernel has a `...Reference` twin
/// (scalar, single-threaded, Double accumulation) that tests compare it against. Fast kernels
/// use `KernelISA.current`; the `isa:` overloads (SPI `Testing`) force a given path.
public enum Kernels {
    /// How rotary embedding pairs the elements of a head.
    public enum RopePairing: Sendable {
        /// (2i, 2i+1): GGUF llama-family files.
        case adjacent
        /// (i, i + headDim/2): HF checkpoints, Qwen2/3 and Gemma GGUF ("neox").
        case halves

        var cValue: Int32 { self == .adjacent ? 0 : 1 }
    }
}
