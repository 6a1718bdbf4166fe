import Kernels

/// One tensor of an HF export: its transformers name and shape, and how to produce each of
/// its rows in HF order as F32.
struct HFExportTensor {
    let name: String
    /// HF shape: [rows, cols] or [count].
    let shape: [Int]
    let numRows: Int
    let rowLength: Int
    /// Writes row `row` (HF order) into the pointer.
    let readRow: (Int, UnsafeMutablePointer<Float>) -> Void

    var numElements: Int { numRows * rowLength }

    /// A matrix; `unpermuteHeadDim` set for llama-GGUF q/k, whose row 2i + j of each head holds
    /// HF row j * headDim/2 + i.
    static func matrix(_ name: String, _ w: WeightMatrix, unpermuteHeadDim: Int? = nil) -> HFExportTensor {
        HFExportTensor(name: name, shape: [w.rows, w.cols], numRows: w.rows, rowLength: w.cols) { row, out in
            var source = row
            if let headDim = unpermuteHeadDim {
                let half = headDim / 2
                let head = row / headDim, inHead = row % headDim
                source = head * headDim + 2 * (inHead % half) + inHead / half
            }
            Kernels.dequantizeRowReference(w, row: source, into: out)
        }
    }

    /// A vector, as one row, with `offset` added to each value (-1 for Gemma's norms).
    static func vector(_ name: String, _ v: FloatBuffer, offset: Float = 0) -> HFExportTensor {
        HFExportTensor(name: name, shape: [v.count], numRows: 1, rowLength: v.count) { _, out in
            out.update(from: v.pointer, count: v.count)
            if offset != 0 { for i in 0..<v.count { out[i] += offset } }
        }
    }

    /// Every tensor of `weights` in HF order and naming.
    static func all(_ weights: ModelWeights) -> [HFExportTensor] {
        let permuted = weights.ropePairing == .adjacent
        let headDim = weights.config.headDim
        // Gemma checkpoints name the layer norms their own way and store w of x * (1 + w)
        let gemma = weights.config.architecture == .gemma3
        func vector(_ name: String, _ role: TensorRole, _ v: FloatBuffer) -> HFExportTensor {
            .vector(name, v, offset: -role.hfStoredOffset(gemma: gemma))
        }
        var out: [HFExportTensor] = [.matrix(TensorRole.tokenEmbedding.hfName(layer: 0), weights.tokenEmbedding)]
        for (i, layer) in weights.layers.enumerated() {
            func name(_ role: TensorRole) -> String { role.hfName(layer: i, gemma: gemma) }
            out.append(vector(name(.attnNorm), .attnNorm, layer.attnNorm))
            out.append(.matrix(name(.q), layer.q, unpermuteHeadDim: permuted ? headDim : nil))
            out.append(.matrix(name(.k), layer.k, unpermuteHeadDim: permuted ? headDim : nil))
            out.append(.matrix(name(.v), layer.v))
            out.append(.matrix(name(.o), layer.o))
            let vectors: [(TensorRole, FloatBuffer?)] = [
                (.qBias, layer.qBias), (.kBias, layer.kBias), (.vBias, layer.vBias), (.oBias, layer.oBias),
                (.qNorm, layer.qNorm), (.kNorm, layer.kNorm), (.postAttnNorm, layer.postAttnNorm),
            ]
            for case let (role, v?) in vectors {
                // Biases of permuted q/k rows would need the same permutation; llama GGUF files carry none.
                out.append(vector(name(role), role, v))
            }
            out.append(vector(name(.ffnNorm), .ffnNorm, layer.ffnNorm))
            for case let (role, w?) in [(TensorRole.gate, layer.gate), (.up, layer.up), (.down, layer.down)] {
                out.append(.matrix(name(role), w))
            }
            let after: [(TensorRole, FloatBuffer?)] = [(.gateBias, layer.gateBias), (.upBias, layer.upBias),
                                                       (.downBias, layer.downBias), (.postFFNNorm, layer.postFFNNorm)]
            for case let (role, v?) in after {
                out.append(vector(name(role), role, v))
            }
        }
        out.append(vector(TensorRole.outputNorm.hfName(layer: 0), .outputNorm, weights.outputNorm))
        if !weights.config.tieWordEmbeddings {
            out.append(.matrix(TensorRole.output.hfName(layer: 0), weights.output))
        }
        return out
    }
}
