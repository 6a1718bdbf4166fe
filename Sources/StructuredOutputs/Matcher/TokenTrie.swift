/// The vocabulary's byte strings as a trie laid out in preorder: node `i`'s subtree is the range
/// `i..<subtreeEnd[i]`, so a walk that finds a prefix impossible skips every token under it with
/// one jump. Node 0 is the root (the empty prefix).
struct TokenTrie: Sendable {
    /// Per node: the byte on the edge into it (0 for the root). [numNodes]
    let byte: [UInt8]
    /// Per node: its depth (the root 0). [numNodes]
    let depth: [Int32]
    /// Per node: its parent (the root's is 0). [numNodes]
    let parent: [Int32]
    /// Per node: one past the last node of its subtree. [numNodes]
    let subtreeEnd: [Int32]
    /// Per node and one past the last: where the ids of the tokens whose bytes end at the node
    /// begin in `tokenIDs` (several tokens may have the same bytes). [numNodes + 1]
    let tokenStart: [Int32]
    /// Token ids by node, in node order. [number of tokens in the trie]
    let tokenIDs: [Int32]
    /// The longest token, in bytes.
    let maxDepth: Int

    var numNodes: Int { byte.count }

    /// `tokens[id]` is the token's bytes, or nil for a token never allowed inside constrained text
    /// (special tokens); empty byte strings are left out too.
    init(tokens: [[UInt8]?]) {
        let order = tokens.indices.filter { !(tokens[$0]?.isEmpty ?? true) }
            .sorted { (tokens[$0] ?? []).lexicographicallyPrecedes(tokens[$1] ?? []) }
        var byte: [UInt8] = [0], depth: [Int32] = [0], parent: [Int32] = [0], subtreeEnd: [Int32] = [0]
        var nodeOfToken: [(node: Int32, id: Int32)] = []
        // The open path: node indices from the root down.
        var path: [Int32] = [0]
        var previous: [UInt8] = []
        for id in order {
            let bytes = tokens[id] ?? []
            var common = 0
            while common < min(bytes.count, previous.count) && bytes[common] == previous[common] { common += 1 }
            while path.count > common + 1 {
                subtreeEnd[Int(path.removeLast())] = Int32(byte.count)
            }
            for position in common..<bytes.count {
                byte.append(bytes[position])
                depth.append(Int32(position + 1))
                parent.append(path[path.count - 1])
                subtreeEnd.append(0)
                path.append(Int32(byte.count - 1))
            }
            nodeOfToken.append((path[path.count - 1], Int32(id)))
            previous = bytes
        }
        while let node = path.popLast() { subtreeEnd[Int(node)] = Int32(byte.count) }
        self.byte = byte
        self.depth = depth
        self.parent = parent
        self.subtreeEnd = subtreeEnd
        // Tokens come in byte order, so their nodes never decrease.
        var tokenStart = [Int32](repeating: 0, count: byte.count + 1)
        for (node, _) in nodeOfToken { tokenStart[Int(node) + 1] += 1 }
        for node in 0..<byte.count { tokenStart[node + 1] += tokenStart[node] }
        self.tokenStart = tokenStart
        tokenIDs = nodeOfToken.map(\.id)
        maxDepth = Int(depth.max() ?? 0)
    }

    /// Calls `body` with every token id whose bytes end at `node`.
    @inline(__always) func forEachToken(at node: Int, _ body: (Int) -> Void) {
        for index in Int(tokenStart[node])..<Int(tokenStart[node + 1]) { body(Int(tokenIDs[index])) }
    }
}
