// swift-tools-version: 6.0
// Swiftlet: an LLM inference and serving engine for the CPU, in Swift.
// Module layout and import directions: ../shared/docs/DESIGN.md (leaves import no engine target).
import PackageDescription

let package = Package(
    name: "Swiftlet",
    platforms: [.macOS(.v14)],
    products: [
        .library(name: "Swiftlet", targets: ["Swiftlet"]),
        .executable(name: "swiftlet", targets: ["SwiftletCLI"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        // TLS for `serve --ssl-*` (already built for Hummingbird's own dependencies).
        .package(url: "https://github.com/apple/swift-nio-ssl", from: "2.37.6"),
    ],
    targets: [
        // Leaves: no imports of other engine targets, except SwiftletJSON, the one JSON reader, which
        // imports nothing of the project itself.
        .target(name: "CKernels", cSettings: [.unsafeFlags(["-O3"])]),
        .target(name: "Kernels", dependencies: ["CKernels"]),
        .target(name: "ModelFormats"),
        .target(name: "KVCache"),
        // libzmq from the system (Debian: libzmq3-dev), for publishing KV cache events.
        .systemLibrary(name: "CZMQ", providers: [.apt(["libzmq3-dev"])]),
        // KV cache events as vLLM publishes them: sha256_cbor block hashes, msgpack batches, ZeroMQ.
        .target(name: "KVEvents", dependencies: ["CZMQ", "SwiftletJSON"]),
        // JSON values: the one reader (order-keeping, exact numbers) and the encoder of typed bodies and files.
        .target(name: "SwiftletJSON"),
        .target(name: "SwiftletTokenizers", dependencies: ["SwiftletJSON"]),
        .target(name: "ChatTemplates", dependencies: ["SwiftletJSON"]),
        // Constrained decoding: JSON Schema / regex / choice / grammar -> token masks (knows token
        // byte strings, nothing of the model).
        .target(name: "StructuredOutputs", dependencies: ["SwiftletJSON"]),
        // Tool-call parsers by vLLM's names (hermes, llama3_json, mistral, pythonic): generated text and
        // streamed deltas -> tool calls; used by the serving layer, not the engine core.
        .target(name: "ToolParsers", dependencies: ["SwiftletJSON"]),
        // Reasoning parsers (deepseek_r1, qwen3): output text -> reasoning and answer, whole or
        // streamed; the serving layer's, the engine sees only token ids.
        .target(name: "ReasoningParsers"),
        // The decoder: weights in their stored types, one forward over a flat batch, paged KV.
        .target(name: "Models", dependencies: ["Kernels", "ModelFormats"]),
        // Engine side: ties model files, tokenizers, templates and the model together.
        .target(name: "Engine", dependencies: ["KVCache", "KVEvents", "Models", "ModelFormats", "SwiftletTokenizers", "ChatTemplates",
                                              "StructuredOutputs", "SwiftletJSON"]),
        // Public umbrella for programs that embed Swiftlet.
        .target(name: "Swiftlet", dependencies: ["KVCache", "KVEvents", "Engine", "Models", "Kernels", "ModelFormats", "SwiftletTokenizers", "ChatTemplates", "SwiftletJSON", "StructuredOutputs"]),
        .executableTarget(
            name: "SwiftletCLI",
            dependencies: ["Swiftlet", "OpenAIServer", "SwiftletJSON", .product(name: "ArgumentParser", package: "swift-argument-parser")]
        ),
        // The OpenAI-compatible HTTP server: the only target that imports Hummingbird (and NIOSSL for HTTPS).
        .target(name: "OpenAIServer", dependencies: ["Engine", "KVEvents", "StructuredOutputs", "SwiftletJSON", "ToolParsers", "ReasoningParsers",
                                                    .product(name: "Hummingbird", package: "hummingbird"),
                                                    .product(name: "HummingbirdCore", package: "hummingbird"),
                                                    .product(name: "HummingbirdTLS", package: "hummingbird"),
                                                    .product(name: "NIOSSL", package: "swift-nio-ssl")]),

        .testTarget(name: "SwiftletJSONTests", dependencies: ["SwiftletJSON"]),
        .testTarget(name: "StructuredOutputsTests", dependencies: ["StructuredOutputs", "SwiftletJSON"]),
        .testTarget(name: "ToolParsersTests", dependencies: ["ToolParsers", "SwiftletJSON"]),
        .testTarget(name: "ReasoningParsersTests", dependencies: ["ReasoningParsers"]),
        .testTarget(name: "KVCacheTests", dependencies: ["KVCache"]),
        .testTarget(name: "KVEventsTests", dependencies: ["KVEvents", "CZMQ"], resources: [.copy("Fixtures")]),
        .testTarget(name: "KernelsTests", dependencies: ["Kernels"], exclude: ["Fixtures"]),
        .testTarget(name: "ModelsTests", dependencies: ["Models", "Kernels", "ModelFormats"], resources: [.copy("Fixtures")]),
        .testTarget(name: "ModelFormatsTests", dependencies: ["ModelFormats"], resources: [.copy("Fixtures")]),
        .testTarget(name: "SwiftletTokenizersTests", dependencies: ["SwiftletTokenizers", "SwiftletJSON", "Engine", "ModelFormats"], resources: [.copy("Fixtures")]),
        .testTarget(name: "ChatTemplatesTests", dependencies: ["ChatTemplates", "SwiftletJSON"], resources: [.copy("Fixtures")]),
        .testTarget(name: "SwiftletCLITests", dependencies: ["SwiftletCLI"]),
        .testTarget(
            name: "OpenAIServerTests",
            dependencies: ["OpenAIServer", "Engine", "StructuredOutputs", "SwiftletJSON", .product(name: "HummingbirdTesting", package: "hummingbird")],
            resources: [.copy("Fixtures")]
        ),
        .testTarget(name: "EngineTests", dependencies: ["Engine", "KVCache", "Models", "ModelFormats", "SwiftletTokenizers", "ChatTemplates",
                                                      "StructuredOutputs", "SwiftletJSON"]),
    ]
)
