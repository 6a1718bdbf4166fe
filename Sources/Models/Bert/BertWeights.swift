import Foundation
import Kernels
import ModelFormats

/// A linear layer: weight [out, in] (PyTorch's layout, one row per output) and bias [out].
struct BertLinear {
    let weight: FloatBuffer
    let bias: FloatBuffer
    let matrix: WeightMatrix

    init(weight: FloatBuffer, bias: FloatBuffer, rows: Int, cols: Int) {
        self.weight = weight
        self.bias = bias
        matrix = WeightMatrix(type: .f32, rows: rows, cols: cols, data: UnsafeRawPointer(weight.pointer))
    }
}

/// LayerNorm's scale and shift, [hidden] each.
struct BertNorm {
    let weight: FloatBuffer
    let bias: FloatBuffer
}

struct BertLayerWeights {
    let query, key, value, attentionOutput, intermediate, output: BertLinear
    let attentionNorm, outputNorm: BertNorm
}

/// Every BERT tensor as Float (F32, F16 and BF16 checkpoints alike), shapes checked against config.json.
struct BertWeights {
    /// [vocab, hidden], [maxPositions, hidden], [typeVocab, hidden]
    let wordEmbeddings, positionEmbeddings, tokenTypeEmbeddings: FloatBuffer
    let embeddingNorm: BertNorm
    let layers: [BertLayerWeights]

    init(checkpoint: SafeTensorsCheckpoint, config: BertConfig, file: String) throws {
        // sentence-transformers saves the bare encoder; BertForMaskedLM checkpoints prefix "bert.".
        let prefix = checkpoint.tensor(named: "embeddings.word_embeddings.weight") == nil
            && checkpoint.tensor(named: "bert.embeddings.word_embeddings.weight") != nil ? "bert." : ""
        func load(_ name: String, _ shape: [Int]) throws -> FloatBuffer {
            let full = prefix + name
            guard let (_, info) = checkpoint.tensor(named: full) else {
                throw ModelLoadingError.missingTensor(file: file, tensor: full)
            }
            guard info.shape == shape else {
                throw ModelLoadingError.wrongShape(file: file, tensor: full, expected: shape, found: info.shape)
            }
            guard info.dtype.isConvertibleToFloat else {
                throw ModelLoadingError.unsupportedTensorType(file: file, tensor: full, type: info.dtype.rawValue,
                                                              supported: ["F32", "F16", "BF16"])
            }
            return FloatBuffer(try checkpoint.toFloat(named: full))
        }
        let hidden = config.hiddenSize, inner = config.intermediateSize
        func linear(_ name: String, rows: Int, cols: Int) throws -> BertLinear {
            BertLinear(weight: try load(name + ".weight", [rows, cols]), bias: try load(name + ".bias", [rows]), rows: rows, cols: cols)
        }
        func norm(_ name: String) throws -> BertNorm {
            BertNorm(weight: try load(name + ".weight", [hidden]), bias: try load(name + ".bias", [hidden]))
        }
        wordEmbeddings = try load("embeddings.word_embeddings.weight", [config.vocabSize, hidden])
        positionEmbeddings = try load("embeddings.position_embeddings.weight", [config.maxPositionEmbeddings, hidden])
        tokenTypeEmbeddings = try load("embeddings.token_type_embeddings.weight", [config.typeVocabSize, hidden])
        embeddingNorm = try norm("embeddings.LayerNorm")
        layers = try (0..<config.numHiddenLayers).map { index in
            let base = "encoder.layer.\(index)."
            return BertLayerWeights(
                query: try linear(base + "attention.self.query", rows: hidden, cols: hidden),
                key: try linear(base + "attention.self.key", rows: hidden, cols: hidden),
                value: try linear(base + "attention.self.value", rows: hidden, cols: hidden),
                attentionOutput: try linear(base + "attention.output.dense", rows: hidden, cols: hidden),
                intermediate: try linear(base + "intermediate.dense", rows: inner, cols: hidden),
                output: try linear(base + "output.dense", rows: hidden, cols: inner),
                attentionNorm: try norm(base + "attention.output.LayerNorm"),
                outputNorm: try norm(base + "output.LayerNorm"))
        }
    }
}
