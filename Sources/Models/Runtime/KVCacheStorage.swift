import ModelFormats

/// The paged key/value cache: for every layer one K and one V array of shape
/// [numBlocks, blockSize, numKVHeads, headDim] F32, allocated once. Slot `s` (= block id *
/// blockSize + offset) holds one token's keys (or values) for all KV heads.
public final class KVCacheStorage: @unchecked Sendable {
    /// Decoder layers (one K and one V array each).
    public let numLayers: Int
    /// Blocks per layer.
    public let numBlocks: Int
    /// Token slots per block.
    public let blockSize: Int
    /// Key/value heads per slot.
    public let numKVHeads: Int
    /// Floats per head.
    public let headDim: Int
    /// Per layer. [numBlocks, blockSize, numKVHeads, headDim]
    public let keys: [FloatBuffer]
    /// Per layer. [numBlocks, blockSize, numKVHeads, headDim]
    public let values: [FloatBuffer]

    /// A zeroed cache for `config`'s layers and KV heads. Throws `ForwardError.invalidCacheSize`
    /// for non-positive sizes or a size that overflows.
    public init(config: ModelConfig, numBlocks: Int, blockSize: Int) throws {
        guard numBlocks > 0, blockSize > 0,
              let numSlots = checkedProduct([numBlocks, blockSize]), numSlots <= Int(Int32.max),
              let perLayer = checkedProduct([numSlots, config.numKVHeads, config.headDim]),
              checkedProduct([perLayer, 2 * config.numLayers, MemoryLayout<Float>.size]) != nil
        else {
            throw ForwardError.invalidCacheSize(numBlocks: numBlocks, blockSize: blockSize)
        }
        self.numLayers = config.numLayers
        self.numBlocks = numBlocks
        self.blockSize = blockSize
        self.numKVHeads = config.numKVHeads
        self.headDim = config.headDim
        keys = (0..<config.numLayers).map { _ in FloatBuffer(count: perLayer) }
        values = (0..<config.numLayers).map { _ in FloatBuffer(count: perLayer) }
    }

    /// Number of token slots (numBlocks * blockSize).
    public var numSlots: Int { numBlocks * blockSize }

    /// Floats of one slot (numKVHeads * headDim).
    public var slotStride: Int { numKVHeads * headDim }

    /// Bytes held by all layers' K and V arrays.
    public var byteCount: Int { 2 * numLayers * numSlots * slotStride * MemoryLayout<Float>.size }
}
