import Kernels
import ModelFormats

/// The matrices of a quantized Hugging Face checkpoint, repacked once at load into the kernels'
/// block layouts (`f8_e4m3_b32`, `i8_b32`, `u4_b32`: 32 codes behind their F32 scale and zero
/// point) and found by the `.weight` name the loader asks for. Owns the repacked bytes and keeps
/// the checkpoint's mapping alive for the tensors read in place.
final class RepackedWeights: @unchecked Sendable {
    struct Matrix {
        let type: WeightType
        /// The checkpoint's own spelling of the stored form ("F8_E4M3", "I8", "int4 packed in I32").
        let typeName: String
        let rows: Int
        let cols: Int
        let bytes: UnsafeMutableRawBufferPointer
        let columnOrder: ColumnOrder?
        var inputScale: Float?
    }

    let checkpoint: SafeTensorsCheckpoint
    private var matrices: [String: Matrix] = [:]

    init(checkpoint: SafeTensorsCheckpoint) {
        self.checkpoint = checkpoint
    }

    deinit {
        for matrix in matrices.values { matrix.bytes.deallocate() }
    }

    var count: Int { matrices.count }

    /// Adds `name` ([rows, cols], cols a multiple of 32) of `type`: `fill(row, block, at)` writes
    /// the 32-column block `block` of `row` at `at` (type.typeSize bytes), stored column i holding
    /// input column `columnOrder.indices[i]` when an order is given.
    func add(_ name: String, typeName: String, type: WeightType, rows: Int, cols: Int, columnOrder: ColumnOrder? = nil,
             fill: (Int, Int, UnsafeMutableRawPointer) throws -> Void) rethrows {
        let blocksPerRow = cols / 32, size = type.typeSize
        let bytes = UnsafeMutableRawBufferPointer.allocate(byteCount: max(rows * blocksPerRow * size, 1), alignment: 64)
        do {
            for r in 0..<rows {
                for b in 0..<blocksPerRow { try fill(r, b, bytes.baseAddress! + (r * blocksPerRow + b) * size) }
            }
        } catch {
            bytes.deallocate()
            throw error
        }
        matrices[name]?.bytes.deallocate()
        matrices[name] = Matrix(type: type, typeName: typeName, rows: rows, cols: cols, bytes: bytes, columnOrder: columnOrder)
    }

    /// Records the static input scale of the matrix stored under `name`.
    func setInputScale(_ scale: Float, of name: String) { matrices[name]?.inputScale = scale }

    /// The repacked matrix stored under `name`, as the loader sees a tensor ([rows, cols]).
    func tensor(named name: String) -> FoundTensor? {
        guard let m = matrices[name] else { return nil }
        let path = checkpoint.directory.path, typeName = m.typeName
        return FoundTensor(name: name, shape: [m.rows, m.cols], typeName: typeName, weightType: m.type,
                           data: UnsafeRawBufferPointer(m.bytes), toFloat: {
            throw ModelLoadingError.unsupportedTensorType(file: path, tensor: name, type: typeName, supported: ["F32", "F16", "BF16"])
        }, columnOrder: m.columnOrder, inputScale: m.inputScale)
    }

    // MARK: block writers

    /// An F32 scale, then 32 one-byte codes (`f8_e4m3_b32`, `i8_b32`).
    static func writeScaledBytes(_ at: UnsafeMutableRawPointer, scale: Float, codes: (Int) -> UInt8) {
        at.storeBytes(of: scale.bitPattern.littleEndian, as: UInt32.self)
        for i in 0..<32 { at.storeBytes(of: codes(i), toByteOffset: 4 + i, as: UInt8.self) }
    }

    /// `u4_b32`: F32 scale, F32 zero point, element j in the low nibble of byte j and element
    /// j + 16 in its high nibble. `codes` gives values in 0...15.
    static func writeNibbles(_ at: UnsafeMutableRawPointer, scale: Float, zero: Float, codes: (Int) -> UInt8) {
        at.storeBytes(of: scale.bitPattern.littleEndian, as: UInt32.self)
        at.storeBytes(of: zero.bitPattern.littleEndian, toByteOffset: 4, as: UInt32.self)
        for j in 0..<16 {
            at.storeBytes(of: (codes(j) & 0x0F) | (codes(j + 16) & 0x0F) << 4, toByteOffset: 8 + j, as: UInt8.self)
        }
    }
}
