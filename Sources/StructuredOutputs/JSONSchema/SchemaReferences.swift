import SwiftletJSON

/// Local `$ref` resolution: JSON pointers (`#`, `#/$defs/a`, `#/properties/a/items`), plain-name
/// fragments (`$anchor`, draft-6 `"$id": "#name"`), the root's own `$id`, and embedded `$id`s used
/// verbatim. Anything else (another document, a URL) is `unsupported` with the `$ref`'s pointer.
extension SchemaCompilation {
    /// Keywords whose values are data, not subschemas: no `$id` or `$anchor` inside them counts.
    static let dataKeywords: Set<String> = ["const", "enum", "default", "examples"]

    func collectAnchors() {
        var pending: [(JSONValue, JSONPointer)] = [(root, JSONPointer())]
        while let (value, pointer) = pending.popLast() {
            switch value {
            case .object(let object):
                if let anchor = object["$anchor"]?.stringValue { anchors["#" + anchor] = pointer }
                for key in ["$id", "id"] {
                    guard let id = object[key]?.stringValue else { continue }
                    if id.hasPrefix("#") {
                        anchors[id] = pointer
                    } else if pointer.tokens.isEmpty {
                        baseURI = Self.withoutFragment(id)
                    } else {
                        anchors[Self.withoutFragment(id)] = pointer
                    }
                }
                for (key, member) in object where !Self.dataKeywords.contains(key) {
                    pending.append((member, pointer.appending(key)))
                }
            case .array(let items):
                for (index, item) in items.enumerated() { pending.append((item, pointer.appending(index))) }
            default:
                break
            }
        }
    }

    static func withoutFragment(_ uri: String) -> String {
        if let hash = uri.firstIndex(of: "#") { return String(uri[..<hash]) }
        return uri
    }

    /// The canonical key ("#" and a JSON pointer) of the schema `reference` points at.
    func referenceKey(_ reference: String, at pointer: JSONPointer) throws(JSONSchemaError) -> String {
        let uriPart = Self.withoutFragment(reference)
        let fragment = reference.firstIndex(of: "#").map { String(reference[reference.index(after: $0)...]) } ?? ""
        var base = JSONPointer()
        if !uriPart.isEmpty && uriPart != baseURI {
            guard let embedded = anchors[uriPart] else { throw .unsupported(keyword: "$ref", pointer: pointer.description) }
            base = embedded
        }
        guard let decoded = Self.percentDecoded(fragment) else {
            throw .unresolvedReference(reference: reference, pointer: pointer.description)
        }
        let target: JSONPointer
        if decoded.isEmpty {
            target = base
        } else if decoded.hasPrefix("/") {
            guard let relative = JSONPointer(parsing: decoded) else {
                throw .unresolvedReference(reference: reference, pointer: pointer.description)
            }
            target = JSONPointer(tokens: base.tokens + relative.tokens)
        } else if let anchored = anchors["#" + decoded] {
            target = anchored
        } else {
            throw .unresolvedReference(reference: reference, pointer: pointer.description)
        }
        guard value(at: target) != nil else {
            throw .unresolvedReference(reference: reference, pointer: pointer.description)
        }
        return "#" + target.description
    }

    func value(at pointer: JSONPointer) -> JSONValue? {
        var current = root
        for token in pointer.tokens {
            switch current {
            case .object(let object):
                guard let member = object[token] else { return nil }
                current = member
            case .array(let items):
                guard let index = Int(token), items.indices.contains(index) else { return nil }
                current = items[index]
            default:
                return nil
            }
        }
        return current
    }

    /// The lowered schema a `$ref` key names (lowered once). A key met again while it is still
    /// being lowered here is a cycle of references that must be merged (`allOf` of itself, say).
    func resolve(_ key: String, at pointer: JSONPointer) throws(JSONSchemaError) -> SchemaNode {
        if let node = lowered[key] { return node }
        guard !lowering.contains(key) else { throw .unsupported(keyword: "$ref", pointer: pointer.description) }
        guard let target = JSONPointer(parsing: String(key.dropFirst())), let value = value(at: target) else {
            throw .unresolvedReference(reference: key, pointer: pointer.description)
        }
        lowering.insert(key)
        defer { lowering.remove(key) }
        let node = try lower(value, at: target)
        lowered[key] = node
        return node
    }

    /// `%XX` sequences decoded as UTF-8; nil when malformed.
    static func percentDecoded(_ text: String) -> String? {
        guard text.contains("%") else { return text }
        var bytes: [UInt8] = []
        var iterator = text.utf8.makeIterator()
        while let byte = iterator.next() {
            guard byte == UInt8(ascii: "%") else { bytes.append(byte); continue }
            guard let high = iterator.next().flatMap(hexValue), let low = iterator.next().flatMap(hexValue) else { return nil }
            bytes.append(high << 4 | low)
        }
        return String(validating: bytes, as: UTF8.self)
    }

    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case 48...57: return byte - 48
        case 65...70: return byte - 55
        case 97...102: return byte - 87
        default: return nil
        }
    }
}
