import Foundation
import Testing

/// The repository's real model files (models/, fetched by scripts/fetch-model).
enum RealModel {
    static let repoRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// Path of `models/<file>`, or a test failure telling how to fetch it.
    static func path(_ file: String, fetch: String = "scripts/fetch-model") throws -> String {
        let path = repoRoot.appendingPathComponent("models").appendingPathComponent(file).path
        try #require(FileManager.default.fileExists(atPath: path), "models/\(file) is missing: run \(fetch)")
        return path
    }
}
