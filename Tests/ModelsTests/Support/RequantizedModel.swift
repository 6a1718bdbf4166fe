import Foundation
import Kernels
import ModelFormats

/// A GGUF rewritten with its Q4_1 matrices requantized to Q8_0 (every other tensor copied).
enum RequantizedModel {
    static func write(_ file: GGUFFile, as type: GGMLType, to path: String) throws {
        precondition(type == .q8_0, "only Q8_0 is written")
        var writer = try GGUFWriter()
        for key in file.metadataKeys {
            if let value = file.metadata[key] { try writer.addMetadata(key, value) }
        }
        for tensor in file.tensors {
            let raw = file.data(for: tensor)
            guard tensor.type == .q4_1, tensor.shape.count == 2 else {
                try writer.addTensor(name: tensor.name, type: tensor.type, shape: tensor.shape, data: Array(raw))
                continue
            }
            let cols = tensor.shape[0], rows = tensor.shape[1]
            let matrix = WeightMatrix(type: .q4_1, rows: rows, cols: cols, data: raw.baseAddress!)
            var bytes = [UInt8](repeating: 0, count: rows * cols / 32 * 34)
            var row = [Float](repeating: 0, count: cols)
            bytes.withUnsafeMutableBufferPointer { out in
                row.withUnsafeMutableBufferPointer { values in
                    for r in 0..<rows {
                        Kernels.dequantizeRowReference(matrix, row: r, into: values.baseAddress!)
                        quantizeQ8_0(values, into: out.baseAddress! + r * cols / 32 * 34)
                    }
                }
            }
            try writer.addTensor(name: tensor.name, type: .q8_0, shape: tensor.shape, data: bytes)
        }
        try writer.write(to: path)
    }

    /// llama.cpp's reference Q8_0 rounding: d = max|x| / 127 stored as a half, q = round(x / d)
    /// with the float d.
    static func quantizeQ8_0(_ values: UnsafeMutableBufferPointer<Float>, into out: UnsafeMutablePointer<UInt8>) {
        for block in 0..<(values.count / 32) {
            var amax: Float = 0
            for k in 0..<32 { amax = max(amax, abs(values[32 * block + k])) }
            let d = amax / 127, inverse: Float = d == 0 ? 0 : 1 / d
            let bits = Float16(d).bitPattern, at = out + block * 34
            at[0] = UInt8(bits & 0xFF)
            at[1] = UInt8(bits >> 8)
            for k in 0..<32 { at[2 + k] = UInt8(bitPattern: Int8((values[32 * block + k] * inverse).rounded())) }
        }
    }
}
