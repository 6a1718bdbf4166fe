/// A model a pooler reads (vLLM's `VllmModelForPooling`): token ids in, every token's final hidden
/// state out. An encoder (BERT) or a decoder run without its LM head (`DecoderPoolingModel`).
public protocol PoolingModel: AnyObject {
    /// Width of a hidden state (and of an un-truncated embedding).
    var hiddenSize: Int { get }
    /// Token ids run from 0 to vocabSize - 1.
    var vocabSize: Int { get }
    /// Most tokens one input may have (the model's positions).
    var maxPositions: Int { get }
    /// Layers, for the startup line.
    var numLayers: Int { get }
    /// The hidden states of every token of every input, concatenated in order:
    /// [sum of lengths, hiddenSize]. Throws for an empty input, one over `maxPositions` or an id
    /// outside the vocabulary.
    func hiddenStates(_ inputs: [[Int]]) throws -> [Float]
}

extension BertModel: PoolingModel {
    public var hiddenSize: Int { config.hiddenSize }
    public var vocabSize: Int { config.vocabSize }
    public var maxPositions: Int { config.maxPositionEmbeddings }
    public var numLayers: Int { config.numHiddenLayers }
}
