import Kernels
import ModelFormats

/// compressed-tensors checkpoints (llm-compressor): which schemes the engine reads, and their
/// matrices repacked into the kernels' layouts.
/// - `float-quantized`: F8_E4M3 `X.weight` with an F32/F16/BF16 `X.weight_scale` (per tensor,
///   channel, group or block) -> `f8_e4m3_b32`. FP8_DYNAMIC, and FP8 with its static
///   per-tensor `X.input_scale` (kept on the matrix).
/// - `int-quantized`: I8 `X.weight` with its `X.weight_scale` -> `i8_b32`. W8A8 INT8.
/// - `pack-quantized`: I32 `X.weight_packed` (4 or 8-bit values, offset to unsigned, element i of
///   each run of 32 at bit i * bits), `X.weight_shape`, `X.weight_scale` and, when asymmetric,
///   `X.weight_zero_point` packed the same way along rows -> `u4_b32` (4-bit) or `i8_b32`
///   (8-bit symmetric). W4A16 and W8A16, GPTQ- or round-to-nearest-made.
/// Value of every weight: (code - zero point) * scale, as compressed-tensors decompresses it.
enum CompressedTensorsWeights {
    /// How the checkpoint's projections quantize their inputs at run time (dynamic per-token
    /// FP8 or INT8, as transformers and vLLM run them); nil when inputs stay unquantized.
    static func activationQuantization(_ config: CompressedTensorsConfig) -> ActivationQuantization? {
        for group in config.configGroups.values {
            guard let a = group.inputActivations else { continue }
            if !a.dynamic.isDynamic { return .fp8Static }
            return a.type == "float" ? .fp8PerToken : .int8PerToken
        }
        return nil
    }

    /// Nil when every config group is a scheme read here, else why not.
    static func unsupportedReason(_ config: CompressedTensorsConfig) -> String? {
        let format = config.format ?? "<none>"
        guard ["float-quantized", "int-quantized", "pack-quantized"].contains(format) else {
            return "format '\(format)' (read: float-quantized, int-quantized, pack-quantized)"
        }
        let schemes = Set(config.configGroups.values.map { "\(String(describing: $0.weights))\(String(describing: $0.inputActivations))" })
        if schemes.count > 1 { return "config groups with different schemes" }
        for (name, group) in config.configGroups {
            guard let w = group.weights, !w.dynamic.isDynamic else { return "group '\(name)': unquantized or dynamic weights" }
            let strategies: Set<String> = format == "pack-quantized" ? ["channel", "group"] : ["tensor", "channel", "group", "block"]
            guard strategies.contains(w.strategy) else { return "group '\(name)': weight strategy '\(w.strategy)' in \(format)" }
            switch format {
            case "float-quantized":
                guard w.type == "float", w.numBits == 8, w.symmetric else { return "group '\(name)': weights other than symmetric FP8" }
            case "int-quantized":
                guard w.type == "int", w.numBits == 8, w.symmetric else { return "group '\(name)': weights other than symmetric INT8" }
            default:
                guard w.type == "int", w.numBits == 4 || (w.numBits == 8 && w.symmetric) else {
                    return "group '\(name)': packed weights other than 4-bit or symmetric 8-bit integers"
                }
            }
            if let a = group.inputActivations {
                let kind = format == "float-quantized" ? "float" : "int"
                let perToken = a.dynamic.isDynamic && a.strategy == "token"
                let staticFP8 = !a.dynamic.isDynamic && a.strategy == "tensor" && kind == "float"
                guard format != "pack-quantized", a.type == kind, a.numBits == 8, a.symmetric, perToken || staticFP8 else {
                    return "group '\(name)': input activations other than dynamic per-token 8-bit \(kind)\(kind == "float" ? " or static per-tensor FP8" : "")"
                }
            }
            if group.outputActivations != nil { return "group '\(name)': quantized output activations" }
        }
        if let kv = config.kvCacheScheme, !(kv.type == "float" && kv.numBits == 8 && kv.strategy == "tensor" && !kv.dynamic.isDynamic && kv.symmetric) {
            return "kv_cache_scheme other than static per-tensor FP8 (k_scale / v_scale)"
        }
        return nil
    }

    /// Repacks every quantized matrix of `checkpoint` (a config `unsupportedReason` accepts);
    /// throws naming a tensor that is missing, misshapen or of the wrong type.
    static func repack(_ checkpoint: SafeTensorsCheckpoint, config: CompressedTensorsConfig) throws -> RepackedWeights {
        let out = RepackedWeights(checkpoint: checkpoint)
        let weights = config.configGroups.values.first?.weights
        for name in checkpoint.tensorNames {
            guard let (_, info) = checkpoint.tensor(named: name) else { continue }
            if name.hasSuffix(".weight"), info.dtype == .f8E4M3 || info.dtype == .i8 {
                try out.addBytes(name, info: info, scaleName: name + "_scale", block: weights?.blockStructure)
                if activationQuantization(config) == .fp8Static {
                    try out.setInputScale(staticInputScale(String(name.dropLast(".weight".count)) + ".input_scale", in: out), of: name)
                }
            } else if name.hasSuffix(".weight_packed") {
                try repackPacked(base: String(name.dropLast(".weight_packed".count)), symmetric: weights?.symmetric ?? true, into: out)
            }
        }
        return out
    }

    /// `base.weight_packed` and its companions, stored as `base.weight`; asymmetric schemes need
    /// `base.weight_zero_point`.
    private static func repackPacked(base: String, symmetric: Bool, into out: RepackedWeights) throws {
        let shapeName = base + ".weight_shape", packedName = base + ".weight_packed"
        let shapeBytes = try out.bytes(shapeName, dtype: .i64, shape: [2])
        let rows = Int(Int64(littleEndian: shapeBytes.loadUnaligned(as: Int64.self)))
        let cols = Int(Int64(littleEndian: shapeBytes.loadUnaligned(fromByteOffset: 8, as: Int64.self)))
        guard rows > 0, cols > 0, cols % 32 == 0, let packedShape = out.shape(of: packedName), packedShape.count == 2,
              packedShape[0] == rows, [cols / 8, cols / 4].contains(packedShape[1]) else {
            throw ModelLoadingError.unsupportedTensor(
                file: out.path, tensor: packedName,
                reason: "shape \(out.shape(of: packedName) ?? []) does not hold 4- or 8-bit values of a [\(rows), \(cols)] matrix with a multiple of 32 columns")
        }
        let words = packedShape[1], bits = words == cols / 8 ? 4 : 8
        let packed = try out.bytes(packedName, dtype: .i32, shape: packedShape)
        let (scales, grid) = try out.scales(base + ".weight_scale", rows: rows, cols: cols)
        let order = try GroupIndex.columnOrder(base + ".weight_g_idx", cols: cols, groupSize: grid.colStride == 0 ? cols : grid.colsPer, in: out)
        let indices = order?.indices ?? []
        /// Input column of stored column s.
        func source(_ s: Int) -> Int { order == nil ? s : Int(indices[s]) }
        let name = base + ".weight", typeName = "int\(bits) packed in I32"
        let zeroName = base + ".weight_zero_point"
        guard bits == 4 else {
            if !symmetric {
                throw ModelLoadingError.unsupportedTensor(file: out.path, tensor: zeroName, reason: "8-bit weights with a zero point are not read")
            }
            out.add(name, typeName: typeName, type: .i8_b32, rows: rows, cols: cols, columnOrder: order) { r, b, at in
                RepackedWeights.writeScaledBytes(at, scale: scales[grid.index(row: r, col: 32 * b)]) { i in
                    let c = source(32 * b + i)
                    return UInt8(truncatingIfNeeded: RepackedWeights.word(packed, r * words + c / 4) >> (8 * UInt32(c % 4))) ^ 0x80
                }
            }
            return
        }
        // zero points: [ceil(rows / 8), groups] words, row r of group g in nibble r % 8 of word (r / 8, g)
        let groups = grid.colStride == 0 ? 1 : cols / grid.colsPer
        var zeros: UnsafeRawBufferPointer?
        if !symmetric {
            zeros = try out.bytes(zeroName, dtype: .i32, shape: [(rows + 7) / 8, groups])
        }
        out.add(name, typeName: typeName, type: .u4_b32, rows: rows, cols: cols, columnOrder: order) { r, b, at in
            var zero: Float = 8  // symmetric: codes were stored offset by 8
            if let zeros {
                let g = groups == 1 ? 0 : 32 * b / grid.colsPer
                zero = Float(RepackedWeights.word(zeros, (r / 8) * groups + g) >> (4 * UInt32(r % 8)) & 0x0F)
            }
            RepackedWeights.writeNibbles(at, scale: scales[grid.index(row: r, col: 32 * b)], zero: zero) { i in
                let c = source(32 * b + i)
                return UInt8(truncatingIfNeeded: RepackedWeights.word(packed, r * words + c / 8) >> (4 * UInt32(c % 8)) & 0x0F)
            }
        }
    }

    /// A layer's calibrated `input_scale` (static FP8 inputs): one positive finite value.
    private static func staticInputScale(_ name: String, in out: RepackedWeights) throws -> Float {
        let (values, _) = try out.floats(name)
        guard values.count == 1, let value = values.first, value.isFinite, value > 0 else {
            throw ModelLoadingError.unsupportedTensor(file: out.path, tensor: name, reason: "an input scale must be one positive finite value")
        }
        return value
    }
}
