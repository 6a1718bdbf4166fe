import CKernels

extension Kernels {
    /// out[t, :] = x[t, :] / sqrt(mean(x[t, :]^2) + eps) * weight   (x and out may alias)
    public static func rmsNorm(x: UnsafePointer<Float>, weight: UnsafePointer<Float>, eps: Float,
                               numTokens: Int, dim: Int, out: UnsafeMutablePointer<Float>) {
        rmsNorm(x: x, weight: weight, eps: eps, numTokens: numTokens, dim: dim, out: out, isa: .current)
    }

    /// `rmsNorm` on the given instruction set.
    @_spi(Testing)
    public static func rmsNorm(x: UnsafePointer<Float>, weight: UnsafePointer<Float>, eps: Float,
                               numTokens: Int, dim: Int, out: UnsafeMutablePointer<Float>, isa: KernelISA) {
        sw_rms_norm(isa.clamped.cValue, x, weight, eps, Int64(numTokens), Int64(dim), out)
    }

    /// Rotary embedding in place on x: [numTokens, numHeads, headDim] using per-token positions.
    /// invFreq: [headDim/2] (already includes any rope scaling). The angle is
    /// Float(position) * invFreq[i] in Float, as HF computes it.
    public static func rope(_ x: UnsafeMutablePointer<Float>, numTokens: Int, numHeads: Int, headDim: Int,
                            positions: UnsafePointer<Int32>, invFreq: UnsafePointer<Float>, pairing: RopePairing) {
        rope(x, numTokens: numTokens, numHeads: numHeads, headDim: headDim, positions: positions,
             invFreq: invFreq, pairing: pairing, isa: .current)
    }

    /// `rope` on the given instruction set.
    @_spi(Testing)
    public static func rope(_ x: UnsafeMutablePointer<Float>, numTokens: Int, numHeads: Int, headDim: Int,
                            positions: UnsafePointer<Int32>, invFreq: UnsafePointer<Float>, pairing: RopePairing,
                            isa: KernelISA) {
        sw_rope(isa.clamped.cValue, x, Int64(numTokens), Int64(numHeads), Int64(headDim), positions, invFreq,
                pairing.cValue)
    }

    /// out[i] = silu(gate[i]) * up[i], silu(g) = g / (1 + e^-g)   (out may alias gate or up)
    public static func siluMul(gate: UnsafePointer<Float>, up: UnsafePointer<Float>, count: Int,
                               out: UnsafeMutablePointer<Float>) {
        siluMul(gate: gate, up: up, count: count, out: out, isa: .current)
    }

    /// `siluMul` on the given instruction set.
    @_spi(Testing)
    public static func siluMul(gate: UnsafePointer<Float>, up: UnsafePointer<Float>, count: Int,
                               out: UnsafeMutablePointer<Float>, isa: KernelISA) {
        sw_silu_mul(isa.clamped.cValue, gate, up, Int64(count), out)
    }

    /// out[i] = gelu(gate[i]) * up[i] with GELU's tanh approximation (PyTorch "gelu_pytorch_tanh",
    /// Gemma's MLP): gelu(g) = 0.5 g (1 + tanh(sqrt(2/pi) (g + 0.044715 g^3)))   (out may alias)
    public static func geluTanhMul(gate: UnsafePointer<Float>, up: UnsafePointer<Float>, count: Int,
                                   out: UnsafeMutablePointer<Float>) {
        geluTanhMul(gate: gate, up: up, count: count, out: out, isa: .current)
    }

    /// `geluTanhMul` on the given instruction set.
    @_spi(Testing)
    public static func geluTanhMul(gate: UnsafePointer<Float>, up: UnsafePointer<Float>, count: Int,
                                   out: UnsafeMutablePointer<Float>, isa: KernelISA) {
        sw_gelu_tanh_mul(isa.clamped.cValue, gate, up, Int64(count), out)
    }

    /// x += y elementwise
    public static func add(_ x: UnsafeMutablePointer<Float>, _ y: UnsafePointer<Float>, count: Int) {
        add(x, y, count: count, isa: .current)
    }

    /// `add` on the given instruction set.
    @_spi(Testing)
    public static func add(_ x: UnsafeMutablePointer<Float>, _ y: UnsafePointer<Float>, count: Int, isa: KernelISA) {
        sw_add(isa.clamped.cValue, x, y, Int64(count))
    }
}
