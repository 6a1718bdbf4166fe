import Foundation

/// Writes a bench command's figures to its `--output-json` file (sorted keys, pretty-printed);
/// does nothing when no file was asked for.
func writeBenchFigures(_ figures: Any, to path: String?) throws {
    guard let path else { return }
    let data = try JSONSerialization.data(withJSONObject: figures, options: [.sortedKeys, .prettyPrinted])
    try data.write(to: URL(fileURLWithPath: path))
}
