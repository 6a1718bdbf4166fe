import Kernels

/// A quantized checkpoint's per-column group index (GPTQ's `g_idx`, compressed-tensors'
/// `weight_g_idx`): with activation order the groups are not runs of consecutive columns, so the
/// repacked matrix stores its columns sorted by group (each block of 32 then has one scale) and
/// keeps the order for the forward pass to gather its input into.
enum GroupIndex {
    /// The stored order of a matrix whose tensor `name` lists each column's group: nil when the
    /// tensor is absent or every column c is in group c / groupSize already; else the columns
    /// sorted by group (stable). Throws unless every group holds exactly `groupSize` columns in
    /// that order (the layout the block scales need).
    static func columnOrder(_ name: String, cols: Int, groupSize: Int, in out: RepackedWeights) throws -> ColumnOrder? {
        guard out.shape(of: name) != nil else { return nil }
        let data = try out.bytes(name, dtype: .i32, shape: [cols])
        let groups = (0..<cols).map { Int(Int32(bitPattern: RepackedWeights.word(data, $0))) }
        if groups.enumerated().allSatisfy({ $1 == $0 / groupSize }) { return nil }
        let sorted = groups.indices.sorted { (groups[$0], $0) < (groups[$1], $1) }
        guard sorted.enumerated().allSatisfy({ groups[$1] == $0 / groupSize }) else {
            throw ModelLoadingError.unsupportedTensor(file: out.path, tensor: name,
                                                      reason: "groups that do not each hold \(groupSize) columns")
        }
        return ColumnOrder(sorted.map { Int32($0) })
    }
}
