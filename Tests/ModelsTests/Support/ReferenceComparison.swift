import Foundation
import Kernels
import Models

/// Runs a model against a reference fixture: per-position agreement and greedy decoding.
struct ReferenceComparison {
    let model: LlamaModel
    let cache: KVCacheStorage
    let blockSize: Int

    struct Agreement {
        var numPositions = 0
        var numTop1Agree = 0
        var sumAbsDelta = 0.0
        var maxAbsDelta = 0.0
        /// Every position's |Δ|, in order.
        var absDeltas: [Double] = []
        var medianAbsDelta: Double { absDeltas.isEmpty ? 0 : absDeltas.sorted()[absDeltas.count / 2] }
        var top1Rate: Double { Double(numTop1Agree) / Double(max(numPositions, 1)) }
        var meanAbsDelta: Double { sumAbsDelta / Double(max(numPositions, 1)) }
    }

    /// Every reference sequence prefilled as one batch (or in chunks of `chunk` tokens, each
    /// forward continuing the sequence's cache): does our argmax equal the reference's top token,
    /// and how far is our log-prob of that token from the reference's? Positions before
    /// `fromPosition` are run but not counted.
    func agreement(_ sequences: [ReferenceFixture.Sequence], chunk: Int = .max, fromPosition: Int = 0) throws -> Agreement {
        var result = Agreement()
        let vocab = model.config.vocabSize
        for seq in sequences {
            let table = (0..<(seq.tokenIDs.count + blockSize - 1) / blockSize).map(Int32.init)
            for start in stride(from: 0, to: seq.tokenIDs.count, by: chunk) {
                let end = min(start + chunk, seq.tokenIDs.count)
                let (batch, _) = makeBatch([SeqChunk(tokens: Array(seq.tokenIDs[start..<end]), startPosition: start, blockTable: table)],
                                           blockSize: blockSize, maxBlocksPerSeq: table.count)
                let logits = try model.forward(batch, cache: cache)
                for pos in max(start, fromPosition)..<max(end, fromPosition) {
                    let row = UnsafeBufferPointer(rebasing: logits[((pos - start) * vocab)..<((pos - start + 1) * vocab)])
                    let (best, lse) = Self.argmaxAndLogSumExp(row)
                    let refTop = seq.topIDs[pos][0]
                    let delta = abs(Double(row[refTop]) - lse - seq.topLogprobs[pos][0])
                    result.numPositions += 1
                    result.numTop1Agree += best == refTop ? 1 : 0
                    result.sumAbsDelta += delta
                    result.maxAbsDelta = max(result.maxAbsDelta, delta)
                    result.absDeltas.append(delta)
                }
            }
        }
        return result
    }

    /// This model's most likely next token and its log-prob at every position of `seq`.
    func topTokens(_ seq: ReferenceFixture.Sequence) throws -> [(id: Int, logprob: Double)] {
        let vocab = model.config.vocabSize
        let table = (0..<(seq.tokenIDs.count + blockSize - 1) / blockSize).map(Int32.init)
        let (batch, _) = makeBatch([SeqChunk(tokens: seq.tokenIDs, startPosition: 0, blockTable: table)],
                                   blockSize: blockSize, maxBlocksPerSeq: table.count)
        let logits = try model.forward(batch, cache: cache)
        return (0..<seq.tokenIDs.count).map { pos in
            let row = UnsafeBufferPointer(rebasing: logits[(pos * vocab)..<((pos + 1) * vocab)])
            let (best, lse) = Self.argmaxAndLogSumExp(row)
            return (best, Double(row[best]) - lse)
        }
    }

    /// Greedy continuations of all greedy prompts, decoded together as one flat batch per step.
    func greedyContinuations(_ fixture: ReferenceFixture, numSteps: Int) throws -> [[Int]] {
        let prompts = fixture.greedy.map(\.promptTokenIDs)
        let blocksPerSeq = (prompts.map(\.count).max() ?? 0) / blockSize + numSteps / blockSize + 2
        let tables = prompts.indices.map { s in (0..<blocksPerSeq).map { Int32(s * blocksPerSeq + $0) } }
        var chunks = prompts.indices.map { SeqChunk(tokens: prompts[$0], startPosition: 0, blockTable: tables[$0]) }
        var outputs = [[Int]](repeating: [], count: prompts.count)
        for _ in 0..<numSteps {
            var (batch, rowOf) = makeBatch(chunks, blockSize: blockSize, maxBlocksPerSeq: blocksPerSeq)
            batch.logitsRows = rowOf.map { Int32($0[$0.count - 1]) }
            let logits = try model.forward(batch, cache: cache)
            let vocab = model.config.vocabSize
            for s in chunks.indices {
                let row = UnsafeBufferPointer(rebasing: logits[(s * vocab)..<((s + 1) * vocab)])
                let next = Self.argmaxAndLogSumExp(row).0
                outputs[s].append(next)
                chunks[s] = SeqChunk(tokens: [Int32(next)], startPosition: chunks[s].startPosition + chunks[s].tokens.count,
                                     blockTable: tables[s])
            }
        }
        return outputs
    }

    /// How many of the fixture's greedy prompts this model continues exactly as the reference up
    /// to the reference's first near-tie (top two within 0.05 nats), printing each that does not.
    func greedyMatches(_ fixture: ReferenceFixture, numSteps: Int, label: String) throws -> Int {
        let continuations = try greedyContinuations(fixture, numSteps: numSteps)
        var numMatching = 0
        for (reference, ours) in zip(fixture.greedy, continuations) {
            let decisive = reference.steps.firstIndex { $0.gap < 0.05 } ?? reference.steps.count
            let matches = Array(ours.prefix(decisive)) == Array(reference.continuationIDs.prefix(decisive))
            numMatching += matches ? 1 : 0
            if !matches { print("\(label) greedy \(reference.name): DIFFERENT within \(decisive) steps: \(ours) vs \(reference.continuationIDs)") }
        }
        print("\(label) greedy: \(numMatching) of \(fixture.greedy.count) prompts identical up to the first near-tie")
        return numMatching
    }

    /// The first index of the largest value, and log(sum(exp(row))) in Double.
    static func argmaxAndLogSumExp(_ row: UnsafeBufferPointer<Float>) -> (Int, Double) {
        var best = 0
        var top = row[0]
        for i in 1..<row.count where row[i] > top {
            top = row[i]
            best = i
        }
        var sum = 0.0
        let shift = Double(top)
        for value in row { sum += exp(Double(value) - shift) }
        return (best, shift + log(sum))
    }
}
