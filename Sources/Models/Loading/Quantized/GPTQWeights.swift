import Kernels
import ModelFormats

/// GPTQ checkpoints (`quant_method: gptq`, AutoGPTQ / GPTQModel): per linear layer `X.qweight`
/// (I32 [cols * bits / 32, rows]: column c of row r in bits (c % per) * bits of word
/// (c / per, r), per = 32 / bits), `X.qzeros` (I32 [groups, rows * bits / 32], packed the same
/// way along rows), `X.scales` ([groups, rows]) and `X.g_idx` (each column's group). Value:
/// (q - zero) * scale, where the "gptq" (v1) format stores zero - 1 and "gptq_v2" the zero itself.
/// 4-bit matrices repack into `u4_b32`, symmetric 8-bit ones into `i8_b32`; activation-ordered
/// ones (`desc_act`) with their columns sorted by group and the order kept (`GroupIndex`).
enum GPTQWeights {
    /// Nil when the engine reads `config`'s scheme, else why not.
    static func unsupportedReason(_ config: GPTQQuantizationConfig) -> String? {
        guard config.bits == 4 || (config.bits == 8 && config.sym) else { return "\(config.bits)-bit\(config.sym ? "" : " asymmetric") weights (read: 4-bit, symmetric 8-bit)" }
        guard config.groupSize == -1 || (config.groupSize > 0 && config.groupSize % 32 == 0) else {
            return "group size \(config.groupSize) (read: multiples of 32, or -1)"
        }
        guard ["gptq", "gptq_v2"].contains(config.checkpointFormat ?? "gptq") else {
            return "checkpoint_format '\(config.checkpointFormat ?? "")' (read: gptq, gptq_v2)"
        }
        return nil
    }

    /// Repacks every `X.qweight` of `checkpoint` as `X.weight`.
    static func repack(_ checkpoint: SafeTensorsCheckpoint, config: GPTQQuantizationConfig) throws -> RepackedWeights {
        let out = RepackedWeights(checkpoint: checkpoint)
        let zeroOffset: Float = config.checkpointFormat == "gptq_v2" ? 0 : 1
        for name in checkpoint.tensorNames where name.hasSuffix(".qweight") {
            try repackLayer(String(name.dropLast(".qweight".count)), bits: config.bits, groupSize: config.groupSize,
                            zeroOffset: zeroOffset, into: out)
        }
        return out
    }

    private static func repackLayer(_ base: String, bits: Int, groupSize: Int, zeroOffset: Float, into out: RepackedWeights) throws {
        let per = 32 / bits
        let qweightName = base + ".qweight", scalesName = base + ".scales"
        // rows and columns from the scales ([groups, rows]) and the packed words ([cols / per, rows])
        guard let packedShape = out.shape(of: qweightName), packedShape.count == 2, let scaleShape = out.shape(of: scalesName),
              scaleShape.count == 2, packedShape[1] == scaleShape[1], packedShape[1] % per == 0 else {
            throw ModelLoadingError.unsupportedTensor(file: out.path, tensor: qweightName,
                                                      reason: "shape \(out.shape(of: qweightName) ?? []) does not fit \(scalesName) \(out.shape(of: scalesName) ?? [])")
        }
        let rows = packedShape[1], cols = packedShape[0] * per
        let qweight = try out.bytes(qweightName, dtype: .i32)
        let (scales, shape) = try out.floats(scalesName)
        guard cols % 32 == 0, let grid = ScaleGrid(transposedShape: shape, rows: rows, cols: cols, groupSize: groupSize) else {
            throw ModelLoadingError.wrongShape(file: out.path, tensor: scalesName,
                                               expected: [groupSize > 0 ? (cols + groupSize - 1) / groupSize : 1, rows], found: shape)
        }
        let groups = shape[0]
        let qzeros = try out.bytes(base + ".qzeros", dtype: .i32, shape: [groups, rows / per])
        let order = try GroupIndex.columnOrder(base + ".g_idx", cols: cols, groupSize: groupSize > 0 ? groupSize : cols, in: out)
        let indices = order?.indices ?? []
        let mask = UInt32((1 << bits) - 1)
        /// The code of stored column s (input column indices[s] under an activation order).
        func code(_ r: Int, _ s: Int) -> UInt32 {
            let c = order == nil ? s : Int(indices[s])
            return RepackedWeights.word(qweight, (c / per) * rows + r) >> (UInt32(bits) * UInt32(c % per)) & mask
        }
        func zero(_ r: Int, _ c: Int) -> Float {
            let g = groups == 1 ? 0 : c / grid.colsPer
            return Float(RepackedWeights.word(qzeros, g * (rows / per) + r / per) >> (UInt32(bits) * UInt32(r % per)) & mask) + zeroOffset
        }
        let name = base + ".weight"
        if bits == 4 {
            out.add(name, typeName: "GPTQ int4", type: .u4_b32, rows: rows, cols: cols, columnOrder: order) { r, b, at in
                RepackedWeights.writeNibbles(at, scale: scales[grid.index(row: r, col: 32 * b)], zero: zero(r, 32 * b)) {
                    UInt8(code(r, 32 * b + $0))
                }
            }
        } else {  // symmetric 8-bit: the zero is 128, so q - 128 is the signed code
            try out.add(name, typeName: "GPTQ int8", type: .i8_b32, rows: rows, cols: cols, columnOrder: order) { r, b, at in
                guard zero(r, 32 * b) == 128 else {
                    throw ModelLoadingError.unsupportedTensor(file: out.path, tensor: base + ".qzeros",
                                                              reason: "a symmetric 8-bit checkpoint with zero points other than 128")
                }
                RepackedWeights.writeScaledBytes(at, scale: scales[grid.index(row: r, col: 32 * b)]) {
                    UInt8(code(r, 32 * b + $0)) ^ 0x80
                }
            }
        }
    }
}
