import Kernels
import ModelFormats

/// The paged key/value cache: for every layer one K and one V array of shape
/// [numBlocks, blockSize, numKVHeads, headDim] of `dtype` elements, allocated once. Slot `s`
/// (= block id * blockSize + offset) holds one token's keys (or values) for all KV heads.
public final class KVCacheStorage: @unchecked Sendable {
    /// Decoder layers (one K and one V array each).
    public let numLayers: Int
    /// Blocks per layer (per full-attention layer when `numSlidingBlocks` is set).
    public let numBlocks: Int
    /// Blocks of each sliding-window layer when those layers have their own, smaller pool (a
    /// hybrid cache: the scheduler frees their blocks as they leave the window); nil: every
    /// layer has `numBlocks`.
    public let numSlidingBlocks: Int?
    /// Per layer: whether it uses the sliding-window pool.
    public let usesSlidingPool: [Bool]
    /// Token slots per block.
    public let blockSize: Int
    /// Key/value heads per slot.
    public let numKVHeads: Int
    /// Elements per head.
    public let headDim: Int
    /// Element type of the K and V arrays.
    public let dtype: KVCacheDType
    /// Per layer: the K array's bytes, [numBlocks, blockSize, numKVHeads, headDim] of `dtype`
    /// (a FloatBuffer only for its zeroed, lazily mapped, aligned allocation).
    private let keyArrays: [FloatBuffer]
    /// Per layer: the V array's bytes, same shape.
    private let valueArrays: [FloatBuffer]

    /// A zeroed cache for `config`'s layers and KV heads holding `dtype` elements. Throws
    /// `ForwardError.invalidCacheSize` for non-positive sizes or a size that overflows.
    public init(config: ModelConfig, numBlocks: Int, blockSize: Int, dtype: KVCacheDType = .float32,
                numSlidingBlocks: Int? = nil) throws {
        guard numBlocks > 0, blockSize > 0, (numSlidingBlocks ?? 1) > 0, (numSlidingBlocks ?? 0) <= numBlocks,
              let numSlots = checkedProduct([numBlocks, blockSize]), numSlots <= Int(Int32.max),
              let perLayer = checkedProduct([numSlots, config.numKVHeads, config.headDim]),
              checkedProduct([perLayer, 2 * config.numLayers, dtype.byteCount]) != nil
        else {
            throw ForwardError.invalidCacheSize(numBlocks: numBlocks, blockSize: blockSize)
        }
        self.numLayers = config.numLayers
        self.numBlocks = numBlocks
        self.numSlidingBlocks = numSlidingBlocks
        let sliding = (0..<config.numLayers).map { numSlidingBlocks != nil && config.attentionWindow(layer: $0) > 0 }
        self.usesSlidingPool = sliding
        self.blockSize = blockSize
        self.numKVHeads = config.numKVHeads
        self.headDim = config.headDim
        self.dtype = dtype
        // Float-sized words holding one layer's elements
        func floats(_ layer: Int) -> Int {
            let blocks = sliding[layer] ? numSlidingBlocks ?? numBlocks : numBlocks
            return (blocks * blockSize * config.numKVHeads * config.headDim * dtype.byteCount + 3) / 4
        }
        keyArrays = (0..<config.numLayers).map { FloatBuffer(count: floats($0)) }
        valueArrays = (0..<config.numLayers).map { FloatBuffer(count: floats($0)) }
    }

    /// Blocks of layer `layer`'s arrays.
    public func numBlocks(layer: Int) -> Int { usesSlidingPool[layer] ? numSlidingBlocks ?? numBlocks : numBlocks }

    /// Number of token slots (numBlocks * blockSize).
    public var numSlots: Int { numBlocks * blockSize }

    /// Elements of one slot (numKVHeads * headDim).
    public var slotStride: Int { numKVHeads * headDim }

    /// Layer `layer`'s K array (`dtype` elements). `layer` must be in 0..<numLayers.
    public func keys(layer: Int) -> UnsafeMutableRawPointer { UnsafeMutableRawPointer(keyArrays[layer].pointer) }

    /// Layer `layer`'s V array (`dtype` elements). `layer` must be in 0..<numLayers.
    public func values(layer: Int) -> UnsafeMutableRawPointer { UnsafeMutableRawPointer(valueArrays[layer].pointer) }

    /// Bytes held by all layers' K and V arrays.
    public var byteCount: Int {
        (0..<numLayers).reduce(0) { $0 + 2 * numBlocks(layer: $1) * blockSize * slotStride * dtype.byteCount }
    }

    /// KV bytes of one token for `config` stored as `dtype`: K and V, every KV head, of every layer
    /// or of `numLayers` of them.
    public static func bytesPerToken(_ config: ModelConfig, dtype: KVCacheDType, numLayers: Int? = nil) -> Int {
        2 * (numLayers ?? config.numLayers) * config.numKVHeads * config.headDim * dtype.byteCount
    }
}
