#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Kernels
import ModelFormats

extension LlamaModel {
    /// The mixture-of-experts MLP on `numTokens` normed rows `x` ([n, hiddenSize]) into `out`
    /// ([n, hiddenSize], overwritten). The router's softmax picks each token's top-k experts; the
    /// tokens are grouped per expert so every chosen expert's weights are read once for the whole
    /// batch, and its rows run through the same batched matmuls as a dense MLP. Each token's output
    /// sums its experts in ascending expert id, whatever else is in the batch, so a token gets the
    /// same bits alone or batched (the matmuls are batch-invariant). Allocates nothing.
    func mixtureOfExperts(_ m: MoEWeights, _ spec: ModelConfig.MixtureOfExperts, numTokens n: Int,
                          x: UnsafePointer<Float>, out: UnsafeMutablePointer<Float>) {
        guard let ms = scratch.moe else { return }
        let h = config.hiddenSize, numExperts = spec.numExperts
        let p = profiler
        Kernels.matmul(m.router, x: x, numTokens: n, y: ms.routerLogits.pointer, pool: pool)
        route(spec, numTokens: n, ms)
        out.update(repeating: 0, count: n * h)
        p?.lap(.moeRouting)
        for e in 0..<numExperts {
            let start = ms.expertOffsets[e], count = ms.expertOffsets[e + 1] - start
            guard count > 0 else { continue }
            let tokens = ms.groupedTokens + start, weights = ms.groupedWeights.pointer + start
            let input: UnsafePointer<Float>
            if count == n {  // every token (decode of one sequence): no gather
                input = x
            } else {
                for i in 0..<count {
                    (ms.gathered.pointer + i * h).update(from: x + Int(tokens[i]) * h, count: h)
                }
                input = UnsafePointer(ms.gathered.pointer)
            }
            p?.lap(.moeRouting)
            runExpert(m.experts[e], numTokens: count, x: input, width: spec.expertIntermediateSize)
            for i in 0..<count {
                let w = weights[i], y = ms.expertOut.pointer + i * h, row = out + Int(tokens[i]) * h
                for d in 0..<h { row[d] += w * y[d] }
            }
            p?.lap(.moeRouting)
        }
        if let shared = m.shared, let gate = m.sharedGate, let width = spec.sharedExpertIntermediateSize {
            runExpert(shared, numTokens: n, x: x, width: width)
            for t in 0..<n {
                let xt = x + t * h
                var logit: Float = 0
                for d in 0..<h { logit += gate.pointer[d] * xt[d] }
                let w = 1 / (1 + expf(-logit)), y = ms.expertOut.pointer + t * h, row = out + t * h
                for d in 0..<h { row[d] += w * y[d] }
            }
            p?.lap(.moeRouting)
        }
    }

    /// down(silu(gate x) * up x) of `numTokens` rows into `scratch.moe.expertOut`.
    private func runExpert(_ expert: MoEWeights.Expert, numTokens n: Int, x: UnsafePointer<Float>, width: Int) {
        guard let ms = scratch.moe else { return }
        let s = scratch
        Kernels.matmul(expert.gate, expert.up, x: x, numTokens: n, y0: s.gate.pointer, y1: s.up.pointer, pool: pool)
        profiler?.lap(.ffnGateUp)
        Kernels.siluMul(gate: s.gate.pointer, up: s.up.pointer, count: n * width, out: s.activated.pointer)
        profiler?.lap(.elementwise)
        Kernels.matmul(expert.down, x: s.activated.pointer, numTokens: n, y: ms.expertOut.pointer, pool: pool)
        profiler?.lap(.ffnDown)
    }

    /// Softmax over each token's router logits, its top-k experts (ties: the lower id), their
    /// weights (renormalized and scaled as `spec` says), and the tokens grouped per expert in
    /// ascending token order: `expertOffsets`, `groupedTokens`, `groupedWeights`.
    private func route(_ spec: ModelConfig.MixtureOfExperts, numTokens n: Int, _ ms: MoEScratch) {
        let numExperts = spec.numExperts, k = spec.numExpertsUsed
        ms.expertCounts.update(repeating: 0, count: numExperts)
        for t in 0..<n {
            let probs = ms.routerLogits.pointer + t * numExperts
            var top: Float = -.infinity
            for e in 0..<numExperts { top = max(top, probs[e]) }
            var sum: Float = 0
            for e in 0..<numExperts {
                probs[e] = expf(probs[e] - top)
                sum += probs[e]
            }
            for e in 0..<numExperts { probs[e] /= sum }
            let ids = ms.chosenExperts + t * k, weights = ms.chosenWeights.pointer + t * k
            var chosenSum: Float = 0
            for j in 0..<k {
                var best = -1
                for e in 0..<numExperts where !(0..<j).contains(where: { ids[$0] == Int32(e) }) {
                    // NaN logits compare false: the first expert not yet chosen stands in
                    if best < 0 || probs[e] > probs[best] { best = e }
                }
                ids[j] = Int32(best)
                weights[j] = probs[best]
                chosenSum += probs[best]
                ms.expertCounts[best] += 1
            }
            let scale = spec.routedScalingFactor / (spec.normalizeTopKProbabilities ? max(chosenSum, 6.103515625e-5) : 1)
            for j in 0..<k { weights[j] *= scale }
        }
        ms.expertOffsets[0] = 0
        for e in 0..<numExperts {
            ms.expertOffsets[e + 1] = ms.expertOffsets[e] + ms.expertCounts[e]
            ms.expertCounts[e] = ms.expertOffsets[e]  // now the fill position
        }
        for t in 0..<n {
            for j in 0..<k {
                let e = Int(ms.chosenExperts[t * k + j])
                let slot = ms.expertCounts[e]
                ms.groupedTokens[slot] = Int32(t)
                ms.groupedWeights.pointer[slot] = ms.chosenWeights.pointer[t * k + j]
                ms.expertCounts[e] = slot + 1
            }
        }
    }
}
