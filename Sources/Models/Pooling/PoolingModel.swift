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

extension PoolingModel {
    /// Throws `ForwardError.valueOutOfRange` for the first empty input, input over
    /// `maxPositions` or id outside the vocabulary (what `hiddenStates` refuses).
    func checkInputs(_ inputs: [[Int]]) throws {
        for (index, ids) in inputs.enumerated() {
            guard !ids.isEmpty, ids.count <= maxPositions else {
                throw ForwardError.valueOutOfRange(field: "sequence length", index: index, value: ids.count, validRange: 1..<maxPositions + 1)
            }
            if let bad = ids.first(where: { $0 < 0 || $0 >= vocabSize }) {
                throw ForwardError.valueOutOfRange(field: "token id", index: index, value: bad, validRange: 0..<vocabSize)
            }
        }
    }
}

extension BertModel: PoolingModel {
    public var hiddenSize: Int { config.hiddenSize }
    public var vocabSize: Int { config.vocabSize }
    public var maxPositions: Int { config.maxPositionEmbeddings }
    public var numLayers: Int { config.numHiddenLayers }
}
