import Swiftlet

/// One benchmark prompt: text whose encoding (without special tokens) has exactly `promptLen` tokens.
struct BenchServePrompt: Sendable, Equatable {
    /// The prompt as sent.
    var text: String
    /// Its token count under the benchmark's tokenizer.
    var promptLen: Int
}

/// Builds random prompts as TEXT, like vLLM's random dataset: a shared prefix of `sharedPrefixLen`
/// random tokens, then `inputLen` tokens distinct per request (a run of consecutive ids from a
/// random offset, shifted by the request index), so every prompt has `sharedPrefixLen + inputLen` tokens.
///
/// Random ids rarely survive decode-then-encode unchanged, so each part is decoded, re-encoded and
/// trimmed or extended until its text encodes to exactly the wanted count (vLLM adjusts the same way);
/// the prefix text is fixed first and each suffix is fitted after it, so the prefix's token ids are
/// the same in every prompt. Only ids whose own text encodes back to themselves are drawn.
struct BenchServeDataset {
    /// The tokenizer that defines token counts.
    let tokenizer: Tokenizer
    /// Ids drawn for prompts: not special, and `encode(decode([id])) == [id]`.
    let usableIDs: [Int]

    /// Fitting attempts per prompt part before giving up.
    static let maxAttempts = 200

    init(tokenizer: Tokenizer) throws {
        self.tokenizer = tokenizer
        var usable: [Int] = []
        for id in 0..<tokenizer.vocabSize where !tokenizer.isSpecialToken(id) {
            guard let text = try? tokenizer.decode([id]), !text.isEmpty else { continue }
            if tokenizer.encode(text, addSpecialTokens: false) == [id] { usable.append(id) }
        }
        guard usable.count >= 2 else {
            throw BenchServeDatasetError("the tokenizer has fewer than 2 tokens that round-trip through text")
        }
        usableIDs = usable
    }

    /// `numPrompts` prompts of `sharedPrefixLen + inputLen` tokens each, the same for the same seed.
    func prompts(numPrompts: Int, inputLen: Int, sharedPrefixLen: Int, seed: UInt64) throws -> [BenchServePrompt] {
        guard numPrompts >= 1, inputLen >= 1, sharedPrefixLen >= 0 else {
            throw BenchServeDatasetError("--num-prompts and --input-len must be at least 1, --shared-prefix-len at least 0")
        }
        var random = RandomGenerator(seed: seed)
        let prefixStart = (0..<sharedPrefixLen).map { _ in draw(&random) }
        let prefixText = try fit(prefixStart, count: sharedPrefixLen, after: "", afterIDs: [], random: &random)
        let prefixIDs = tokenizer.encode(prefixText, addSpecialTokens: false)
        var prompts: [BenchServePrompt] = []
        prompts.reserveCapacity(numPrompts)
        for index in 0..<numPrompts {
            let offset = Int(random.next() % UInt64(usableIDs.count))
            let start = (0..<inputLen).map { usableIDs[(offset + index + $0) % usableIDs.count] }
            let suffix = try fit(start, count: inputLen, after: prefixText, afterIDs: prefixIDs, random: &random)
            prompts.append(BenchServePrompt(text: prefixText + suffix, promptLen: sharedPrefixLen + inputLen))
        }
        return prompts
    }

    private func draw(_ random: inout RandomGenerator) -> Int {
        usableIDs[Int(random.next() % UInt64(usableIDs.count))]
    }

    /// Text that, appended to `after` (which encodes to `afterIDs`), adds exactly `count` tokens and
    /// leaves `afterIDs` unchanged at the front.
    private func fit(_ startIDs: [Int], count: Int, after: String, afterIDs: [Int],
                     random: inout RandomGenerator) throws -> String {
        if count == 0 { return "" }
        var ids = startIDs
        for _ in 0..<Self.maxAttempts {
            let candidate = (try? tokenizer.decode(ids)) ?? ""
            let full = tokenizer.encode(after + candidate, addSpecialTokens: false)
            guard full.count >= afterIDs.count, full.prefix(afterIDs.count).elementsEqual(afterIDs) else {
                // The first token merged with the end of the prefix: start with another one.
                if !ids.isEmpty { ids[0] = draw(&random) }
                continue
            }
            let added = Array(full.dropFirst(afterIDs.count))
            if added.count == count { return candidate }
            if added.count > count {
                ids = Array(added.prefix(count))
            } else {
                ids = added + (0..<(count - added.count)).map { _ in draw(&random) }
            }
        }
        throw BenchServeDatasetError("could not build text of exactly \(count) tokens in \(Self.maxAttempts) attempts")
    }
}

/// The prompt builder could not reach the requested token counts.
struct BenchServeDatasetError: Error, CustomStringConvertible {
    /// What went wrong.
    var description: String
    init(_ description: String) { self.description = description }
}
