/// The epsilon closure of NFA states, with scratch space reused across calls: what a lazy DFA
/// state is. Keeps only the states that matter to a DFA state (byte-range and accepting states)
/// and only those that can still reach acceptance.
struct NFAClosure {
    private let nfa: LexemeNFA
    /// The generation in which each NFA state was last visited.
    private var visited: [UInt32]
    private var generation: UInt32 = 0
    private var stack: [Int32] = []

    init(_ nfa: LexemeNFA) {
        self.nfa = nfa
        visited = [UInt32](repeating: 0, count: nfa.states.count)
    }

    /// The closure of `seeds`, sorted.
    mutating func close(_ seeds: [Int32]) -> [Int32] {
        generation &+= 1
        if generation == 0 {  // wrapped: forget every old mark
            for index in visited.indices { visited[index] = 0 }
            generation = 1
        }
        var result: [Int32] = []
        stack.removeAll(keepingCapacity: true)
        stack.append(contentsOf: seeds.reversed())
        while let index = stack.popLast() {
            let position = Int(index)
            guard visited[position] != generation, nfa.isUseful[position] else { continue }
            visited[position] = generation
            let state = nfa.states[position]
            switch state.kind {
            case .split:
                stack.append(state.out2)
                stack.append(state.out)
            case .byteRange, .accept:
                result.append(index)
            case .fail:
                break
            }
        }
        result.sort()
        return result
    }
}
