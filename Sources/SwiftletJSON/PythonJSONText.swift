/// A JSON value as Python's `json.dumps(value, ensure_ascii=False)` writes it (the instance text
/// JSONSchemaBench's MaskBench tokenizes): members in document order, `", "` and `": "` as
/// separators, integers as their literal text and other numbers as Python's `repr` of the float
/// `json.loads` reads (`1.50` is `1.5`, `1e5` is `100000.0`, `1e400` is `Infinity`), non-ASCII characters raw, and only `"`, `\` and
/// control characters escaped (`\n`, `\r`, `\t`, `\b`, `\f`, else `\u00xx`).
public enum PythonJSONText {
    public static func text(of value: JSONValue) -> String {
        var output = ""
        write(value, to: &output)
        return output
    }

    private static func write(_ value: JSONValue, to output: inout String) {
        switch value {
        case .null: output += "null"
        case .bool(let flag): output += flag ? "true" : "false"
        case .number(let number): output += PythonNumberText.ofJSONLiteral(number.text)
        case .string(let text): writeString(text, to: &output)
        case .array(let items):
            output += "["
            for (index, item) in items.enumerated() {
                if index > 0 { output += ", " }
                write(item, to: &output)
            }
            output += "]"
        case .object(let object):
            output += "{"
            for (index, member) in object.enumerated() {
                if index > 0 { output += ", " }
                writeString(member.key, to: &output)
                output += ": "
                write(member.value, to: &output)
            }
            output += "}"
        }
    }

    private static func writeString(_ text: String, to output: inout String) {
        output += "\""
        for scalar in text.unicodeScalars {
            switch scalar.value {
            case 0x22: output += "\\\""
            case 0x5C: output += "\\\\"
            case 0x0A: output += "\\n"
            case 0x0D: output += "\\r"
            case 0x09: output += "\\t"
            case 0x08: output += "\\b"
            case 0x0C: output += "\\f"
            case 0..<0x20:
                output += "\\u00" + String(scalar.value >> 4, radix: 16) + String(scalar.value & 15, radix: 16)
            default: output.unicodeScalars.append(scalar)
            }
        }
        output += "\""
    }
}
