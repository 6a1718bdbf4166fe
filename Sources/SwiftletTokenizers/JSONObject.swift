/// A parsed JSON object: keys in file order with their values, compared byte-exactly.
struct JSONObject {
    var keys: [String] = []
    var values: [Any] = []

    /// Number of members.
    var count: Int { keys.count }

    /// The value of the last member named exactly `key` (UTF-8 bytes equal), or nil. Linear: for small objects.
    subscript(key: String) -> Any? {
        var index = keys.count - 1
        while index >= 0 {
            if keys[index].utf8.elementsEqual(key.utf8) { return values[index] }
            index -= 1
        }
        return nil
    }
}
