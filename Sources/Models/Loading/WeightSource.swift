import Kernels
import ModelFormats

/// One tensor as a checkpoint stores it, before validation.
struct FoundTensor {
    let name: String
    /// Dimensions in the file's own order.
    let shape: [Int]
    /// The stored type, spelled as the format does ("Q4_1", "BF16").
    let typeName: String
    /// The kernels' reading of the stored type, nil when they cannot read it.
    let weightType: WeightType?
    /// The stored bytes (a view into the file's mapping).
    let data: UnsafeRawBufferPointer
    /// Converts the whole tensor to F32 (used for small vectors only).
    let toFloat: () throws -> [Float]
    /// The input order of a repacked matrix's columns when it is not the input's (GPTQ activation order).
    var columnOrder: ColumnOrder?
    /// A repacked matrix's static input scale (FP8 `input_scale`).
    var inputScale: Float?
}

/// A checkpoint the loader reads tensors from, hiding the format's names and shape order.
protocol WeightSource {
    /// The file or directory, named in errors.
    var path: String { get }
    /// Keeps the mapping alive while weights point into it.
    var owner: AnyObject { get }
    /// Type names accepted for matrices, in the format's spelling.
    var supportedTypeNames: [String] { get }
    func tensor(named name: String) -> FoundTensor?
    func name(of role: TensorRole, layer: Int) -> String
    /// Added to the values of a `role` vector on load (`TensorRole.hfStoredOffset`).
    func loadOffset(of role: TensorRole) -> Float
    /// A `rows` x `cols` matrix's shape as the format lists it.
    func matrixShape(rows: Int, cols: Int) -> [Int]
    /// The shape of `count` stacked `rows` x `cols` matrices as the format lists it.
    func stackedShape(count: Int, rows: Int, cols: Int) -> [Int]
    /// Lets the system drop a tensor's mapped pages from resident memory (its data was copied).
    func releaseResidentPages(of tensor: FoundTensor)
}

/// GGUF: llama.cpp names, ne0-first shapes, every GGML type the kernels read.
struct GGUFWeightSource: WeightSource {
    let file: GGUFFile

    var path: String { file.path }
    var owner: AnyObject { file }
    var supportedTypeNames: [String] { WeightType.allCases.compactMap { GGMLType(weightType: $0)?.name } }

    func tensor(named name: String) -> FoundTensor? {
        guard let info = file.tensor(named: name) else { return nil }
        let data = file.data(for: info)
        return FoundTensor(name: name, shape: info.shape, typeName: info.type.name,
                           weightType: WeightType(ggmlType: info.type), data: data) {
            try dequantizeReference(type: info.type, from: data, count: info.numElements)
        }
    }

    func name(of role: TensorRole, layer: Int) -> String { role.ggufName(layer: layer) }
    func loadOffset(of role: TensorRole) -> Float { 0 }
    func matrixShape(rows: Int, cols: Int) -> [Int] { [cols, rows] }
    func stackedShape(count: Int, rows: Int, cols: Int) -> [Int] { [cols, rows, count] }
    func releaseResidentPages(of tensor: FoundTensor) { file.releaseResidentPages(tensor.data) }
}

/// Hugging Face safetensors: transformers names, [out, in] row-major shapes, float types.
struct SafeTensorsWeightSource: WeightSource {
    let checkpoint: SafeTensorsCheckpoint
    /// Gemma's tensor names and norm convention.
    var gemma = false
    /// A quantized checkpoint's matrices, repacked (nil for unquantized checkpoints).
    var repacked: RepackedWeights?

    var path: String { checkpoint.directory.path }
    var owner: AnyObject { repacked ?? checkpoint }
    var supportedTypeNames: [String] { ["F32", "F16", "BF16"] }

    func tensor(named name: String) -> FoundTensor? {
        if let matrix = repacked?.tensor(named: name) { return matrix }
        guard let (file, info) = checkpoint.tensor(named: name),
              let data = try? file.data(for: info) else { return nil }
        let type: WeightType?
        switch info.dtype {
        case .f32: type = .f32
        case .f16: type = .f16
        case .bf16: type = .bf16
        default: type = nil
        }
        return FoundTensor(name: name, shape: info.shape, typeName: info.dtype.rawValue,
                           weightType: type, data: data) { try file.toFloat(info) }
    }

    func name(of role: TensorRole, layer: Int) -> String { role.hfName(layer: layer, gemma: gemma) }
    func loadOffset(of role: TensorRole) -> Float { role.hfStoredOffset(gemma: gemma) }
    func matrixShape(rows: Int, cols: Int) -> [Int] { [rows, cols] }
    func stackedShape(count: Int, rows: Int, cols: Int) -> [Int] { [count, rows, cols] }
    func releaseResidentPages(of tensor: FoundTensor) {}  // float tensors are never packed
}

extension WeightType {
    /// The kernels' type for a GGML type, nil when the kernels cannot read it
    /// (the inverse of `GGMLType(weightType:)`, which holds the one mapping).
    init?(ggmlType: GGMLType) {
        guard let match = WeightType.allCases.first(where: { GGMLType(weightType: $0) == ggmlType }) else { return nil }
        self = match
    }
}

extension GGMLType {
    /// The GGML type a kernel weight type stores, nil for the load-time-only layouts of quantized checkpoints.
    init?(weightType: WeightType) {
        switch weightType {
        case .f32: self = .f32
        case .f16: self = .f16
        case .bf16: self = .bf16
        case .q4_0: self = .q4_0
        case .q4_1: self = .q4_1
        case .q5_0: self = .q5_0
        case .q5_1: self = .q5_1
        case .q8_0: self = .q8_0
        case .q2_K: self = .q2_K
        case .q3_K: self = .q3_K
        case .q4_K: self = .q4_K
        case .q5_K: self = .q5_K
        case .q6_K: self = .q6_K
        case .f8_e4m3_b32, .i8_b32, .u4_b32: return nil
        }
    }
}
