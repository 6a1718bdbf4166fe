import Kernels
import ModelFormats

/// Finds tensors by role in a `WeightSource` and validates name, shape, type and byte size.
struct WeightLoader<Source: WeightSource> {
    let source: Source
    /// Whether matrices get a packed copy for the matmul kernels (where their type has one).
    let pack: Bool

    private func find(_ role: TensorRole, layer: Int) throws -> FoundTensor {
        let name = source.name(of: role, layer: layer)
        guard let tensor = source.tensor(named: name) else {
            throw ModelLoadingError.missingTensor(file: source.path, tensor: name)
        }
        return tensor
    }

    /// A `rows` x `cols` matrix in its stored type, pointing into the mapping, with a packed copy
    /// for the matmul kernels where its type has one (unless `packed` is false: row lookups only).
    func matrix(_ role: TensorRole, layer: Int, rows: Int, cols: Int, packed: Bool = true) throws -> WeightMatrix {
        let tensor = try find(role, layer: layer)
        let matrix = try views(of: tensor, count: 1, rows: rows, cols: cols,
                               expectedShape: source.matrixShape(rows: rows, cols: cols))
        return packed ? pack(matrix, of: tensor)[0] : matrix[0]
    }

    /// The token embeddings: `matrix`, whose stored rows are read for every token (even when a
    /// packed copy serves as the LM head), so its mapped pages are made resident now, not one
    /// token at a time while serving (which reads as a memory creep).
    func embeddingMatrix(_ role: TensorRole, rows: Int, cols: Int, packed: Bool) throws -> WeightMatrix {
        let tensor = try find(role, layer: 0)
        let matrix = try views(of: tensor, count: 1, rows: rows, cols: cols,
                               expectedShape: source.matrixShape(rows: rows, cols: cols))[0]
        MappedFile.prefault(tensor.data)
        return packed && pack ? matrix.packedForMatmul() : matrix
    }

    /// Consecutive row ranges of one fused `sum(rowCounts)` x `cols` tensor (Phi-3's qkv and
    /// gate_up), each a view of its rows, packed like `matrix`.
    func splitMatrix(_ role: TensorRole, layer: Int, rowCounts: [Int], cols: Int) throws -> [WeightMatrix] {
        let tensor = try find(role, layer: layer)
        guard let total = checkedSum(rowCounts) else {
            throw ModelLoadingError.invalidConfig(file: source.path, reason: "tensor '\(tensor.name)' is too large")
        }
        let whole = try views(of: tensor, count: 1, rows: total, cols: cols,
                              expectedShape: source.matrixShape(rows: total, cols: cols))[0]
        var start = 0
        let parts = rowCounts.map { rows -> WeightMatrix in
            defer { start += rows }
            return WeightMatrix(type: whole.type, rows: rows, cols: cols, data: whole.data + start * whole.rowByteCount)
        }
        return pack(parts, of: tensor)
    }

    /// The `count` matrices of `rows` x `cols` stacked in one tensor (a mixture of experts'
    /// gate_exps / up_exps / down_exps), each a view of its slice, packed like `matrix`.
    func stackedMatrices(_ role: TensorRole, layer: Int, count: Int, rows: Int, cols: Int) throws -> [WeightMatrix] {
        let tensor = try find(role, layer: layer)
        return pack(try views(of: tensor, count: count, rows: rows, cols: cols,
                              expectedShape: source.stackedShape(count: count, rows: rows, cols: cols)), of: tensor)
    }

    /// Checks shape, type and byte size of `count` stacked `rows` x `cols` matrices.
    private func views(of tensor: FoundTensor, count: Int, rows: Int, cols: Int, expectedShape: [Int]) throws -> [WeightMatrix] {
        guard tensor.shape == expectedShape else {
            throw ModelLoadingError.wrongShape(file: source.path, tensor: tensor.name, expected: expectedShape, found: tensor.shape)
        }
        guard let type = tensor.weightType, cols % type.blockSize == 0 else {
            throw ModelLoadingError.unsupportedTensorType(file: source.path, tensor: tensor.name, type: tensor.typeName,
                                                          supported: source.supportedTypeNames)
        }
        guard let rowBytes = checkedProduct([cols / type.blockSize, type.typeSize]),
              let matrixBytes = checkedProduct([rows, rowBytes]), let bytes = checkedProduct([count, matrixBytes]) else {
            throw ModelLoadingError.invalidConfig(file: source.path, reason: "tensor '\(tensor.name)' is too large")
        }
        guard tensor.data.count == bytes, let base = tensor.data.baseAddress else {
            throw ModelLoadingError.wrongDataSize(file: source.path, tensor: tensor.name, expectedBytes: bytes, foundBytes: tensor.data.count)
        }
        return (0..<count).map { WeightMatrix(type: type, rows: rows, cols: cols, data: base + $0 * matrixBytes,
                                                   columnOrder: tensor.columnOrder, inputScale: tensor.inputScale) }
    }

    /// `matrices` (views into `tensor`) with their packed copies when the loader packs; once every
    /// one has a packed copy, the stored tensor is read again only for embedding rows and its pages
    /// can leave memory.
    private func pack(_ matrices: [WeightMatrix], of tensor: FoundTensor) -> [WeightMatrix] {
        guard pack else { return matrices }
        let packed = matrices.map { $0.packedForMatmul() }
        if packed.allSatisfy({ $0.packed != nil }) { source.releaseResidentPages(of: tensor) }
        return packed
    }

    /// `vector` when the source has the tensor, nil when it does not.
    func optionalVector(_ role: TensorRole, layer: Int, count: Int) throws -> FloatBuffer? {
        source.tensor(named: source.name(of: role, layer: layer)) == nil ? nil : try vector(role, layer: layer, count: count)
    }

    /// A vector of `count` values converted to F32, plus the source's offset for its role.
    func vector(_ role: TensorRole, layer: Int, count: Int) throws -> FloatBuffer {
        let tensor = try find(role, layer: layer)
        guard tensor.shape == [count] else {
            throw ModelLoadingError.wrongShape(file: source.path, tensor: tensor.name, expected: [count], found: tensor.shape)
        }
        let values: [Float]
        do {
            values = try tensor.toFloat()
        } catch {
            throw ModelLoadingError.unsupportedTensorType(file: source.path, tensor: tensor.name, type: tensor.typeName,
                                                          supported: source.supportedTypeNames)
        }
        guard values.count == count else {
            throw ModelLoadingError.wrongShape(file: source.path, tensor: tensor.name, expected: [count], found: [values.count])
        }
        let offset = source.loadOffset(of: role)
        return FloatBuffer(offset == 0 ? values : values.map { offset + $0 })
    }
}
