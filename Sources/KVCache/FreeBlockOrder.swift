/// Which free block the pool hands out next.
public enum FreeBlockOrder: String, Sendable, CaseIterable {
    /// Freed blocks come before never-used ones, so only blocks some request needed get written and
    /// on a CPU resident KV memory follows the peak in use instead of growing to the whole pool. Of
    /// the freed blocks, one holding nothing a prefix hit could reuse (no hash) goes first, most
    /// recently freed first; then cached blocks no hit has reused yet, oldest first; then the
    /// never-used blocks; blocks whose content served a prefix hit go last, oldest first (so a
    /// workload that reuses prefixes keeps them and grows into the pool as vLLM's order would).
    case reuseFreed = "reuse-freed"
    /// vLLM's order: every block in id order, freed blocks joining the tail. A long prefix-cached run
    /// walks (and so makes resident) every block of the pool, in return for the largest prefix cache.
    case vllm
}
