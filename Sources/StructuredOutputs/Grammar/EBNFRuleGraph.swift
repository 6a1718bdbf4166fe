/// The graph of which rule uses which, for finding recursive rules.
enum EBNFRuleGraph {
    /// The strongly connected components of `edges` (node -> nodes it uses), each listed after
    /// every component it can reach: a rule's component comes after those of the rules it uses.
    /// Tarjan's algorithm with an explicit stack, so a long chain of rules cannot overflow the
    /// call stack.
    static func stronglyConnectedComponents(_ edges: [[Int]]) -> [[Int]] {
        let count = edges.count
        var order = [Int](repeating: -1, count: count)
        var lowLink = [Int](repeating: 0, count: count)
        var onStack = [Bool](repeating: false, count: count)
        var stack: [Int] = []
        var components: [[Int]] = []
        var counter = 0
        for root in 0..<count where order[root] < 0 {
            // Each frame: a node and the next of its edges to follow.
            var frames: [(node: Int, edge: Int)] = []
            func visit(_ node: Int) {
                order[node] = counter
                lowLink[node] = counter
                counter += 1
                stack.append(node)
                onStack[node] = true
                frames.append((node, 0))
            }
            visit(root)
            while let (node, edge) = frames.last {
                if edge < edges[node].count {
                    frames[frames.count - 1].edge += 1
                    let target = edges[node][edge]
                    if order[target] < 0 {
                        visit(target)
                    } else if onStack[target] {
                        lowLink[node] = min(lowLink[node], order[target])
                    }
                    continue
                }
                frames.removeLast()
                if let parent = frames.last { lowLink[parent.node] = min(lowLink[parent.node], lowLink[node]) }
                if lowLink[node] == order[node] {
                    var component: [Int] = []
                    while let member = stack.popLast() {
                        onStack[member] = false
                        component.append(member)
                        if member == node { break }
                    }
                    components.append(component)
                }
            }
        }
        return components
    }
}
