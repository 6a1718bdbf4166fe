/// Which free block the pool hands out next.
public enum FreeBlockOrder: String, Sendable, CaseIterable {
    /// Freed blocks come before never-used ones, so only blocks some request needed get written and
    /// on a CPU resident KV memory follows the peak in use instead of growing to the whole pool. Of
    /// the freed blocks, one holding nothing a prefix hit could reuse (no hash) goes first, most
    /// recently freed first; then cached blocks no hit has reused yet, oldest first; then the
    /// never-used blocks; blocks whose content served a prefix hit go last, oldest first, as many
    /// as the most blocks ever in use at once (older ones rejoin the cached blocks before the
    /// never-used ones). Written KV memory stays within twice the peak in use, and prefixes that
    /// are reused outlive those that are not.
    case reuseFreed = "reuse-freed"
    /// vLLM's order: every block in id order, freed blocks joining the tail. A long prefix-cached run
    /// walks (and so makes resident) every block of the pool, in return for the largest prefix cache.
    case vllm
}
