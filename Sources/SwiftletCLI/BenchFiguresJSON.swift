import Foundation

/// Writes a bench command's figures to its `--output-json` file: property names in snake_case,
/// keys sorted, pretty-printed; does nothing when no file was asked for.
func writeBenchFigures<T: Encodable>(_ figures: T, to path: String?) throws {
    guard let path else { return }
    try benchFiguresJSON(figures).write(to: URL(fileURLWithPath: path))
}

/// The JSON `writeBenchFigures` writes.
func benchFiguresJSON<T: Encodable>(_ figures: T) throws -> Data {
    let encoder = JSONEncoder()
    encoder.keyEncodingStrategy = .convertToSnakeCase
    encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
    return try encoder.encode(figures)
}

/// A key that is any text, for figures whose keys are data (profile categories).
struct FigureKey: CodingKey {
    var stringValue: String
    var intValue: Int? { nil }
    init(_ text: String) { stringValue = text }
    init(stringValue: String) { self.stringValue = stringValue }
    init?(intValue: Int) { return nil }
}
