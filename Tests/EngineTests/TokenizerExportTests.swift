import Foundation
import Testing
@testable import Engine
import ModelFormats
import SwiftletTokenizers

/// GGUF → HF directory: the tokenizer files written from the GGUF plus a config and weights make a
/// directory that `ModelFiles.open` reads back into the same tokenizer and chat template.
@Suite struct TokenizerExportTests {
    /// SmolLM2's GGUF tokenizer files beside its real config.json and a tiny model.safetensors.
    func exportSmolLM() throws -> (gguf: ModelFiles, directory: URL, written: [String]) {
        let gguf = try ModelFiles.open(EngineTestFiles.smolLM())
        let dir = try EngineTestFiles.temporaryDirectory().appendingPathComponent("hf")
        let written = try gguf.writeTokenizerFiles(to: dir)
        try FileManager.default.copyItem(
            at: EngineTestFiles.testFile("ModelFormatsTests/Fixtures/configs/SmolLM2-135M-Instruct/config.json"),
            to: dir.appendingPathComponent("config.json"))
        var writer = SafeTensorsWriter(metadata: ["format": "pt"])
        try writer.add(name: "model.norm.weight", shape: [576], floats: [Float](repeating: 1, count: 576))
        try writer.write(to: dir.appendingPathComponent("model.safetensors"))
        return (gguf, dir, written)
    }

    @Test func smolLMDirectoryTokenizesLikeTheReference() throws {
        let (gguf, dir, written) = try exportSmolLM()
        defer { try? FileManager.default.removeItem(at: dir.deletingLastPathComponent()) }
        #expect(written == ["tokenizer.json", "tokenizer_config.json"])
        let files = try ModelFiles.open(dir.path)
        let config = try #require(files.tokenizerConfig)
        #expect(config.bosToken == "<|im_start|>" && config.eosToken == "<|im_end|>")
        #expect(config.padToken == "<|im_end|>" && config.unkToken == nil)
        #expect(config.addBOSToken == false && config.addEOSToken == false && config.modelMaxLength == 8192)

        let tokenizer = try files.loadTokenizer()
        let direct = try gguf.loadTokenizer()
        #expect(tokenizer.vocabSize == 49_152 && tokenizer.bosTokenID == 1 && tokenizer.eosTokenID == 2)
        #expect(tokenizer.paddingTokenID == 2 && !tokenizer.addsBOS)
        var mismatches: [String] = []
        for entry in try EngineTestFiles.corpus("smollm2") {
            if tokenizer.encode(entry.text) != entry.ids { mismatches.append(entry.text.debugDescription) }
            if tokenizer.encode(entry.text, parseSpecial: true) != entry.ids_parse_special {
                mismatches.append("special " + entry.text.debugDescription)
            }
            if tokenizer.encode(entry.text, parseSpecial: true) != direct.encode(entry.text, parseSpecial: true) {
                mismatches.append("vs GGUF " + entry.text.debugDescription)
            }
        }
        #expect(mismatches.isEmpty, Comment(rawValue: mismatches.prefix(8).joined(separator: "\n")))
    }

    @Test func smolLMDirectoryRendersTheGGUFChatTemplate() throws {
        let (gguf, dir, _) = try exportSmolLM()
        defer { try? FileManager.default.removeItem(at: dir.deletingLastPathComponent()) }
        let files = try ModelFiles.open(dir.path)
        #expect(files.chatTemplateSource != nil && files.chatTemplateSource == gguf.chatTemplateSource)
        let messages = [ChatMessage(role: "system", content: "Be brief.\n\"Quote\" \\ tab\t"),
                        ChatMessage(role: "user", content: "Hi <|im_start|> there"),
                        ChatMessage(role: "assistant", content: "Hello!"), ChatMessage(role: "user", content: "2+2?")]
        let fromDirectory = try files.chatTemplate().render(
            messages: messages, tokenizer: files.loadTokenizer(), addGenerationPrompt: true)
        let fromGGUF = try gguf.chatTemplate().render(messages: messages, tokenizer: gguf.loadTokenizer(), addGenerationPrompt: true)
        #expect(fromDirectory == fromGGUF)
        #expect(fromDirectory.hasPrefix("<|im_start|>system\nBe brief.\n\"Quote\" \\ tab\t<|im_end|>\n<|im_start|>user\n"))
        #expect(fromDirectory.hasSuffix("<|im_start|>user\n2+2?<|im_end|>\n<|im_start|>assistant\n"))
        let ids = try files.loadTokenizer().encode(fromDirectory, addSpecialTokens: false, parseSpecial: true)
        #expect(ids == (try gguf.loadTokenizer()).encode(fromGGUF, addSpecialTokens: false, parseSpecial: true))
        #expect(ids.first == 1 && ids.last == 198)  // <|im_start|> ... "Ċ"
    }

    @Test func directorySourceCopiesItsTokenizerFiles() throws {
        let source = try EngineTestFiles.makeSmolLMDirectory(chatTemplateInConfig: "{{ messages }}")
        let target = try EngineTestFiles.temporaryDirectory()
        defer {
            try? FileManager.default.removeItem(at: source)
            try? FileManager.default.removeItem(at: target)
        }
        let written = try ModelFiles.open(source.path).writeTokenizerFiles(to: target)
        #expect(written == ["tokenizer.json", "tokenizer_config.json"])
        for name in written {
            let original = try Data(contentsOf: source.appendingPathComponent(name))
            #expect(try Data(contentsOf: target.appendingPathComponent(name)) == original)
        }
        // Writing into the source directory itself leaves the files alone.
        #expect(try ModelFiles.open(source.path).writeTokenizerFiles(to: source) == written)
    }
}
