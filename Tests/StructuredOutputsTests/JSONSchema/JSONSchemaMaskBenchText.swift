import SwiftletJSON

/// The instance text MaskBench tokenizes: Python's `json.dumps(data, indent=None,
/// ensure_ascii=False)` (jsonschemabench `maskbench/runner.py`): members in document order (the
/// data files already hold llguidance's property order), `", "` and `": "` as separators, numbers
/// as their literal text, non-ASCII characters raw, and only `"`, `\` and control characters
/// escaped (`\n`, `\r`, `\t`, `\b`, `\f`, else `\u00xx`).
enum MaskBenchText {
    static func text(of value: JSONValue) -> String {
        var output = ""
        write(value, to: &output)
        return output
    }

    static func write(_ value: JSONValue, to output: inout String) {
        switch value {
        case .null: output += "null"
        case .bool(let flag): output += flag ? "true" : "false"
        case .number(let number): output += number.text
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

    static func writeString(_ text: String, to output: inout String) {
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
                let hex = Array("0123456789abcdef")
                output += "\\u00" + String(hex[Int(scalar.value >> 4)]) + String(hex[Int(scalar.value & 15)])
            default: output.unicodeScalars.append(scalar)
            }
        }
        output += "\""
    }
}
