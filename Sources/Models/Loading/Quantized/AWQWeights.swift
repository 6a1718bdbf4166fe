import Kernels
import ModelFormats

/// AWQ checkpoints (`quant_method: awq`, AutoAWQ's GEMM layout): per linear layer `X.qweight`
/// (I32 [cols, rows / 8]: eight rows of one column per word, row 8j + k in nibble
/// `nibbleOfRow[k]`, AutoAWQ's interleaved order), `X.qzeros` (I32 [groups, rows / 8], the same
/// packing) and `X.scales` ([groups, rows]). Value: (q - zero) * scale. Repacked into `u4_b32`.
enum AWQWeights {
    /// The nibble holding row 8j + k of a word (AutoAWQ packs rows 0, 2, 4, 6, 1, 3, 5, 7).
    static let nibbleOfRow: [UInt32] = [0, 4, 1, 5, 2, 6, 3, 7]

    /// Nil when the engine reads `config`'s scheme, else why not.
    static func unsupportedReason(_ config: AWQQuantizationConfig) -> String? {
        guard config.bits == 4 else { return "\(config.bits)-bit weights (read: 4-bit)" }
        guard config.zeroPoint else { return "weights without zero points" }
        guard config.groupSize > 0, config.groupSize % 32 == 0 else { return "group size \(config.groupSize) (read: multiples of 32)" }
        guard (config.version ?? "gemm").lowercased() == "gemm" else { return "version '\(config.version ?? "")' (read: gemm)" }
        return nil
    }

    /// Repacks every `X.qweight` of `checkpoint` as `X.weight`.
    static func repack(_ checkpoint: SafeTensorsCheckpoint, config: AWQQuantizationConfig) throws -> RepackedWeights {
        let out = RepackedWeights(checkpoint: checkpoint)
        for name in checkpoint.tensorNames where name.hasSuffix(".qweight") {
            try repackLayer(String(name.dropLast(".qweight".count)), groupSize: config.groupSize, into: out)
        }
        return out
    }

    private static func repackLayer(_ base: String, groupSize: Int, into out: RepackedWeights) throws {
        let qweightName = base + ".qweight", scalesName = base + ".scales"
        guard let packedShape = out.shape(of: qweightName), packedShape.count == 2, let scaleShape = out.shape(of: scalesName),
              scaleShape.count == 2, scaleShape[1] == 8 * packedShape[1] else {
            throw ModelLoadingError.unsupportedTensor(file: out.path, tensor: qweightName,
                                                      reason: "shape \(out.shape(of: qweightName) ?? []) does not fit \(scalesName) \(out.shape(of: scalesName) ?? [])")
        }
        let cols = packedShape[0], rows = scaleShape[1], words = packedShape[1]
        let qweight = try out.bytes(qweightName, dtype: .i32)
        let (scales, shape) = try out.floats(scalesName)
        guard cols % 32 == 0, let grid = ScaleGrid(transposedShape: shape, rows: rows, cols: cols, groupSize: groupSize) else {
            throw ModelLoadingError.wrongShape(file: out.path, tensor: scalesName, expected: [(cols + groupSize - 1) / groupSize, rows], found: shape)
        }
        let qzeros = try out.bytes(base + ".qzeros", dtype: .i32, shape: [shape[0], words])
        func nibble(_ data: UnsafeRawBufferPointer, _ line: Int, _ r: Int) -> UInt8 {
            UInt8(truncatingIfNeeded: RepackedWeights.word(data, line * words + r / 8) >> (4 * nibbleOfRow[r % 8]) & 0x0F)
        }
        out.add(base + ".weight", typeName: "AWQ int4", type: .u4_b32, rows: rows, cols: cols) { r, b, at in
            let zero = Float(nibble(qzeros, 32 * b / grid.colsPer, r))
            RepackedWeights.writeNibbles(at, scale: scales[grid.index(row: r, col: 32 * b)], zero: zero) { nibble(qweight, 32 * b + $0, r) }
        }
    }
}
