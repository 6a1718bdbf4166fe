/// Whole blocks of the cache as bytes, for moving a prompt's KV between engines (KV transfer):
/// per block, per layer, the block's K slots then its V slots. Full-attention layers only: a
/// hybrid cache's sliding-window pool is not addressed by these block ids.
extension KVCacheStorage {
    /// Bytes of one block of one layer's K (or V) array.
    public var blockByteCount: Int { blockSize * slotStride * dtype.byteCount }

    /// Bytes `copyBlocks(_:)` gives per block.
    public var transferBytesPerBlock: Int { 2 * numLayers * blockByteCount }

    /// Whether blocks can be copied: every layer in the one pool.
    public var supportsBlockTransfer: Bool { numSlidingBlocks == nil }

    /// The bytes of `blockIDs`, in order (ids must be in 0..<numBlocks; nil otherwise).
    public func copyBlocks(_ blockIDs: [Int]) -> [UInt8]? {
        guard supportsBlockTransfer, blockIDs.allSatisfy({ $0 >= 0 && $0 < numBlocks }) else { return nil }
        let size = blockByteCount
        var out = [UInt8](repeating: 0, count: blockIDs.count * transferBytesPerBlock)
        out.withUnsafeMutableBytes { destination in
            var offset = 0
            for block in blockIDs {
                for layer in 0..<numLayers {
                    for array in [keys(layer: layer), values(layer: layer)] {
                        (destination.baseAddress! + offset).copyMemory(from: array + block * size, byteCount: size)
                        offset += size
                    }
                }
            }
        }
        return out
    }

    /// Writes `bytes` (as `copyBlocks` made them) into `blockIDs`; false, writing nothing, when the
    /// sizes or ids do not fit.
    @discardableResult
    public func writeBlocks(_ blockIDs: [Int], bytes: [UInt8]) -> Bool {
        guard supportsBlockTransfer, bytes.count == blockIDs.count * transferBytesPerBlock,
              blockIDs.allSatisfy({ $0 >= 0 && $0 < numBlocks }) else { return false }
        let size = blockByteCount
        bytes.withUnsafeBytes { source in
            var offset = 0
            for block in blockIDs {
                for layer in 0..<numLayers {
                    for array in [keys(layer: layer), values(layer: layer)] {
                        (array + block * size).copyMemory(from: source.baseAddress! + offset, byteCount: size)
                        offset += size
                    }
                }
            }
        }
        return true
    }
}
