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

    /// A vector, as one row.
    static func vector(_ name: String, _ v: FloatBuffer) -> HFExportTensor {
        HFExportTensor(name: name, shape: [v.count], numRows: 1, rowLength: v.count) { _, out in
            out.update(from: v.pointer, count: v.count)
        }
    }

    /// Every tensor of `weights` in HF order and naming.
    static func all(_ weights: ModelWeights) -> [HFExportTensor] {
        let permuted = weights.ropePairing == .adjacent
        let headDim = weights.config.headDim
        var out: [HFExportTensor] = [.matrix(TensorRole.tokenEmbedding.hfName(layer: 0), weights.tokenEmbedding)]
        for (i, layer) in weights.layers.enumerated() {
            func name(_ role: TensorRole) -> String { role.hfName(layer: i) }
            out.append(.vector(name(.attnNorm), layer.attnNorm))
            out.append(.matrix(name(.q), layer.q, unpermuteHeadDim: permuted ? headDim : nil))
            out.append(.matrix(name(.k), layer.k, unpermuteHeadDim: permuted ? headDim : nil))
            out.append(.matrix(name(.v), layer.v))
            out.append(.matrix(name(.o), layer.o))
            let vectors: [(TensorRole, FloatBuffer?)] = [
                (.qBias, layer.qBias), (.kBias, layer.kBias), (.vBias, layer.vBias), (.oBias, layer.oBias),
                (.qNorm, layer.qNorm), (.kNorm, layer.kNorm),
            ]
            for case let (role, vector?) in vectors {
                // Biases of permuted q/k rows would need the same permutation; llama GGUF files carry none.
                out.append(.vector(name(role), vector))
            }
            out.append(.vector(name(.ffnNorm), layer.ffnNorm))
            out.append(.matrix(name(.gate), layer.gate))
            out.append(.matrix(name(.up), layer.up))
            out.append(.matrix(name(.down), layer.down))
            for case let (role, vector?) in [(TensorRole.gateBias, layer.gateBias), (.upBias, layer.upBias), (.downBias, layer.downBias)] {
                out.append(.vector(name(role), vector))
            }
        }
        out.append(.vector(TensorRole.outputNorm.hfName(layer: 0), weights.outputNorm))
        if !weights.config.tieWordEmbeddings {
            out.append(.matrix(TensorRole.output.hfName(layer: 0), weights.output))
        }
        return out
    }
}
