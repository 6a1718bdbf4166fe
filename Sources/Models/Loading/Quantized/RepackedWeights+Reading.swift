import ModelFormats

/// Reading the checkpoint tensors a repacker needs, each failure thrown naming the tensor.
extension RepackedWeights {
    var path: String { checkpoint.directory.path }

    /// The shape of `name`, nil when the checkpoint lacks it.
    func shape(of name: String) -> [Int]? { checkpoint.tensor(named: name)?.info.shape }

    /// The stored bytes of `name`, which must be of `dtype` (and of `shape` when given).
    func bytes(_ name: String, dtype: SafeTensorsDType, shape expected: [Int]? = nil) throws -> UnsafeRawBufferPointer {
        guard let (file, info) = checkpoint.tensor(named: name) else {
            throw ModelLoadingError.missingTensor(file: path, tensor: name)
        }
        guard info.dtype == dtype else {
            throw ModelLoadingError.unsupportedTensorType(file: path, tensor: name, type: info.dtype.rawValue, supported: [dtype.rawValue])
        }
        if let expected, info.shape != expected {
            throw ModelLoadingError.wrongShape(file: path, tensor: name, expected: expected, found: info.shape)
        }
        let count = info.shape.reduce(1, *) * dtype.byteSize
        guard let data = try? file.data(for: info), data.count == count else {
            throw ModelLoadingError.wrongDataSize(file: path, tensor: name, expectedBytes: count, foundBytes: -1)
        }
        return data
    }

    /// `name` converted to F32 (F32, F16 or BF16 stored), with its shape.
    func floats(_ name: String) throws -> (values: [Float], shape: [Int]) {
        guard let (file, info) = checkpoint.tensor(named: name) else {
            throw ModelLoadingError.missingTensor(file: path, tensor: name)
        }
        guard [.f32, .f16, .bf16].contains(info.dtype), let values = try? file.toFloat(info) else {
            throw ModelLoadingError.unsupportedTensorType(file: path, tensor: name, type: info.dtype.rawValue,
                                                          supported: ["F32", "F16", "BF16"])
        }
        return (values, info.shape)
    }

    /// The scale tensor `name` of a [rows, cols] matrix and where each weight's scale is in it.
    func scales(_ name: String, rows: Int, cols: Int, block: [Int]? = nil) throws -> (values: [Float], grid: ScaleGrid) {
        let (values, shape) = try floats(name)
        guard let grid = ScaleGrid(shape: shape, rows: rows, cols: cols, block: block), grid.count == values.count else {
            throw ModelLoadingError.unsupportedTensor(
                file: path, tensor: name,
                reason: "scale shape \(shape) does not fit the \([rows, cols]) matrix (one scale, one per row, or groups or tiles of a multiple of 32 columns)")
        }
        return (values, grid)
    }

    /// Adds the F8_E4M3 or I8 matrix `name` (one byte a code, row-major, [rows, cols] with cols a
    /// multiple of 32) as `f8_e4m3_b32` or `i8_b32`, each block with its scale from `scaleName`.
    func addBytes(_ name: String, info: SafeTensorInfo, scaleName: String, block: [Int]?) throws {
        guard info.shape.count == 2, info.shape[1] % 32 == 0, info.shape[0] > 0 else {
            throw ModelLoadingError.unsupportedTensorType(file: path, tensor: name, type: "\(info.dtype.rawValue) \(info.shape)",
                                                          supported: ["\(info.dtype.rawValue) matrices with a multiple of 32 columns"])
        }
        let rows = info.shape[0], cols = info.shape[1]
        let codes = try bytes(name, dtype: info.dtype)
        let (scales, grid) = try scales(scaleName, rows: rows, cols: cols, block: block)
        add(name, typeName: info.dtype.rawValue, type: info.dtype == .f8E4M3 ? .f8_e4m3_b32 : .i8_b32, rows: rows, cols: cols) { r, b, at in
            let first = r * cols + 32 * b
            RepackedWeights.writeScaledBytes(at, scale: scales[grid.index(row: r, col: 32 * b)]) { codes[first + $0] }
        }
    }

    /// Little-endian 32-bit word `index` of `data`.
    static func word(_ data: UnsafeRawBufferPointer, _ index: Int) -> UInt32 {
        UInt32(littleEndian: data.loadUnaligned(fromByteOffset: 4 * index, as: UInt32.self))
    }
}
