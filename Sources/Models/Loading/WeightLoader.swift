import Kernels

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
        let expected = source.matrixShape(rows: rows, cols: cols)
        guard tensor.shape == expected else {
            throw ModelLoadingError.wrongShape(file: source.path, tensor: tensor.name, expected: expected, found: tensor.shape)
        }
        guard let type = tensor.weightType, cols % type.blockSize == 0 else {
            throw ModelLoadingError.unsupportedTensorType(file: source.path, tensor: tensor.name, type: tensor.typeName,
                                                          supported: source.supportedTypeNames)
        }
        guard let rowBytes = checkedProduct([cols / type.blockSize, type.typeSize]),
              let bytes = checkedProduct([rows, rowBytes]) else {
            throw ModelLoadingError.invalidConfig(file: source.path, reason: "tensor '\(tensor.name)' is too large")
        }
        guard tensor.data.count == bytes, let base = tensor.data.baseAddress else {
            throw ModelLoadingError.wrongDataSize(file: source.path, tensor: tensor.name, expectedBytes: bytes, foundBytes: tensor.data.count)
        }
        let matrix = WeightMatrix(type: type, rows: rows, cols: cols, data: base)
        guard packed && pack else { return matrix }
        let result = matrix.packedForMatmul()
        // the stored copy is read again only for embedding rows: its pages can leave memory
        if result.packed != nil { source.releaseResidentPages(of: tensor) }
        return result
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
