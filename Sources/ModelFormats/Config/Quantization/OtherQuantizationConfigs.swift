/// vLLM's FP8 checkpoint format (`quant_method: fp8`): FP8 E4M3 weights with `weight_scale_inv`
/// per block when `weight_block_size` is given, per tensor otherwise.
public struct FP8QuantizationConfig: Codable, Sendable, Equatable {
    /// "dynamic" or "static".
    public var activationScheme: String
    public var weightBlockSize: [Int]?

    enum CodingKeys: String, CodingKey {
        case activationScheme = "activation_scheme", weightBlockSize = "weight_block_size"
    }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        activationScheme = try c.decodeIfPresent(String.self, forKey: .activationScheme) ?? "dynamic"
        weightBlockSize = try c.decodeIfPresent([Int].self, forKey: .weightBlockSize)
    }
}

/// GPTQ (`quant_method: gptq`): `qweight`, `qzeros`, `scales`, `g_idx` per linear layer.
public struct GPTQQuantizationConfig: Codable, Sendable, Equatable {
    public var bits: Int
    /// Columns per scale group, -1 for one group per row.
    public var groupSize: Int
    public var descAct: Bool
    public var sym: Bool
    public var checkpointFormat: String?

    enum CodingKeys: String, CodingKey {
        case bits, groupSize = "group_size", descAct = "desc_act", sym, checkpointFormat = "checkpoint_format"
    }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        bits = try c.decode(Int.self, forKey: .bits)
        groupSize = try c.decodeIfPresent(Int.self, forKey: .groupSize) ?? -1
        descAct = try c.decodeIfPresent(Bool.self, forKey: .descAct) ?? false
        sym = try c.decodeIfPresent(Bool.self, forKey: .sym) ?? true
        checkpointFormat = try c.decodeIfPresent(String.self, forKey: .checkpointFormat)
    }
}

/// AWQ (`quant_method: awq`): `qweight`, `qzeros`, `scales` in the GEMM packing order.
public struct AWQQuantizationConfig: Codable, Sendable, Equatable {
    public var bits: Int
    public var groupSize: Int
    public var zeroPoint: Bool
    /// "gemm" or "gemv".
    public var version: String?

    enum CodingKeys: String, CodingKey {
        case bits, wBit = "w_bit", groupSize = "group_size", qGroupSize = "q_group_size", zeroPoint = "zero_point", version
    }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        guard let bits = try c.decodeIfPresent(Int.self, forKey: .bits) ?? c.decodeIfPresent(Int.self, forKey: .wBit) else {
            throw DecodingError.keyNotFound(CodingKeys.bits, .init(codingPath: c.codingPath, debugDescription: "bits"))
        }
        self.bits = bits
        groupSize = try c.decodeIfPresent(Int.self, forKey: .groupSize) ?? c.decodeIfPresent(Int.self, forKey: .qGroupSize) ?? 128
        zeroPoint = try c.decodeIfPresent(Bool.self, forKey: .zeroPoint) ?? true
        version = try c.decodeIfPresent(String.self, forKey: .version)
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(bits, forKey: .bits)
        try c.encode(groupSize, forKey: .groupSize)
        try c.encode(zeroPoint, forKey: .zeroPoint)
        try c.encodeIfPresent(version, forKey: .version)
    }
}
