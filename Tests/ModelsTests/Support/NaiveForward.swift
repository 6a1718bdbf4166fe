import Foundation

/// A deliberately plain Double-precision forward over the HF-order F32 weights of a
/// `TinyModel` (halves RoPE pairing, full attention over one sequence): the independent
/// reference the engine's forward is compared with.
struct NaiveForward {
    let model: TinyModel
    let weights: [String: [Float]]

    init(_ model: TinyModel) {
        self.model = model
        var w: [String: [Float]] = [:]
        for t in model.hfTensors { w[t.name] = t.values }
        weights = w
    }

    private func matvec(_ name: String, _ x: [Double], rows: Int) -> [Double] {
        let w = weights[name] ?? []
        let cols = x.count
        return (0..<rows).map { r in (0..<cols).reduce(0.0) { $0 + Double(w[r * cols + $1]) * x[$1] } }
    }

    private func rmsNorm(_ x: [Double], _ name: String) -> [Double] {
        let w = weights[name] ?? []
        let mean = x.reduce(0) { $0 + $1 * $1 } / Double(x.count)
        let scale = 1 / (mean + Double(model.rmsNormEps)).squareRoot()
        return x.enumerated().map { $1 * scale * Double(w[$0]) }
    }

    private func rope(_ x: inout [Double], position: Int, numHeads: Int) {
        let d = model.headDim, half = d / 2
        for h in 0..<numHeads {
            for i in 0..<half {
                let angle = Double(position) / pow(Double(model.ropeTheta), Double(2 * i) / Double(d))
                let a = x[h * d + i], b = x[h * d + i + half]
                x[h * d + i] = a * cos(angle) - b * sin(angle)
                x[h * d + i + half] = a * sin(angle) + b * cos(angle)
            }
        }
    }

    /// Logits at every position of `tokens`.
    func logits(_ tokens: [Int32]) -> [[Double]] {
        let m = model, hd = m.headDim, qDim = m.numHeads * hd, kvDim = m.numKVHeads * hd
        let embed = weights["model.embed_tokens.weight"] ?? []
        var xs = tokens.map { t in (0..<m.hiddenSize).map { Double(embed[Int(t) * m.hiddenSize + $0]) } }
        for l in 0..<m.numLayers {
            let p = "model.layers.\(l)."
            var keys: [[Double]] = [], values: [[Double]] = []
            var attnOut: [[Double]] = []
            for (pos, x) in xs.enumerated() {
                let h = rmsNorm(x, p + "input_layernorm.weight")
                var q = matvec(p + "self_attn.q_proj.weight", h, rows: qDim)
                var k = matvec(p + "self_attn.k_proj.weight", h, rows: kvDim)
                var v = matvec(p + "self_attn.v_proj.weight", h, rows: kvDim)
                if let b = weights[p + "self_attn.q_proj.bias"] { q = q.enumerated().map { $1 + Double(b[$0]) } }
                if let b = weights[p + "self_attn.k_proj.bias"] { k = k.enumerated().map { $1 + Double(b[$0]) } }
                if let b = weights[p + "self_attn.v_proj.bias"] { v = v.enumerated().map { $1 + Double(b[$0]) } }
                if weights[p + "self_attn.q_norm.weight"] != nil {
                    q = (0..<m.numHeads).flatMap { rmsNorm(Array(q[$0 * hd..<($0 + 1) * hd]), p + "self_attn.q_norm.weight") }
                    k = (0..<m.numKVHeads).flatMap { rmsNorm(Array(k[$0 * hd..<($0 + 1) * hd]), p + "self_attn.k_norm.weight") }
                }
                rope(&q, position: pos, numHeads: m.numHeads)
                rope(&k, position: pos, numHeads: m.numKVHeads)
                keys.append(k)
                values.append(v)
                var out = [Double](repeating: 0, count: qDim)
                for head in 0..<m.numHeads {
                    let kvh = head / (m.numHeads / m.numKVHeads)
                    let scores = (0...pos).map { j in
                        (0..<hd).reduce(0.0) { $0 + q[head * hd + $1] * keys[j][kvh * hd + $1] } / Double(hd).squareRoot()
                    }
                    let top = scores.max() ?? 0
                    let e = scores.map { exp($0 - top) }
                    let z = e.reduce(0, +)
                    for j in 0...pos { for d in 0..<hd { out[head * hd + d] += e[j] / z * values[j][kvh * hd + d] } }
                }
                attnOut.append(out)
            }
            for pos in xs.indices {
                let o = matvec(p + "self_attn.o_proj.weight", attnOut[pos], rows: m.hiddenSize)
                xs[pos] = zip(xs[pos], o).map(+)
                let h = rmsNorm(xs[pos], p + "post_attention_layernorm.weight")
                let gate = matvec(p + "mlp.gate_proj.weight", h, rows: m.intermediateSize)
                let up = matvec(p + "mlp.up_proj.weight", h, rows: m.intermediateSize)
                let act = zip(gate, up).map { $0 / (1 + exp(-$0)) * $1 }
                xs[pos] = zip(xs[pos], matvec(p + "mlp.down_proj.weight", act, rows: m.hiddenSize)).map(+)
            }
        }
        let head = weights["lm_head.weight"] != nil ? "lm_head.weight" : "model.embed_tokens.weight"
        return xs.map { matvec(head, rmsNorm($0, "model.norm.weight"), rows: m.vocabSize) }
    }
}
