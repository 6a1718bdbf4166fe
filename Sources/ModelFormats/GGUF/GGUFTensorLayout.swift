/// Checks where tensors lie in a GGUF file: aligned, inside the file, not overlapping.
enum GGUFTensorLayout {
    static func validate(
        _ infos: [GGUFHeaderParser.RawTensorInfo], dataOffset: Int, alignment: Int, fileSize: Int,
        path: String
    ) throws -> [GGUFTensorInfo] {
        var tensors: [GGUFTensorInfo] = []
        tensors.reserveCapacity(infos.count)
        let dataSize = max(fileSize - dataOffset, 0)
        for info in infos {
            guard info.offset % UInt64(alignment) == 0 else {
                throw GGUFError.misalignedTensor(
                    path: path, tensor: info.name, offset: info.offset, alignment: alignment)
            }
            // Inside the file: offset + byteCount <= fileSize - dataOffset, without overflow.
            guard dataOffset <= fileSize, info.offset <= UInt64(dataSize),
                  info.byteCount <= dataSize - Int(info.offset)
            else {
                throw GGUFError.tensorOutOfBounds(
                    path: path, tensor: info.name, offset: info.offset, byteCount: info.byteCount,
                    dataOffset: dataOffset, fileSize: fileSize)
            }
            tensors.append(GGUFTensorInfo(
                name: info.name, shape: info.shape, type: info.type, offset: Int(info.offset),
                byteCount: info.byteCount, numElements: info.numElements))
        }
        let byStart = tensors.indices.sorted { tensors[$0].offset < tensors[$1].offset }
        for (previous, next) in zip(byStart, byStart.dropFirst()) {
            let end = tensors[previous].offset + tensors[previous].byteCount
            if end > tensors[next].offset {
                throw GGUFError.overlappingTensors(
                    path: path, first: tensors[previous].name, second: tensors[next].name)
            }
        }
        return tensors
    }
}
