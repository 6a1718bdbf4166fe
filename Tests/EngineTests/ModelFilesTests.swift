import Foundation
import Testing
@testable import Engine
import ModelFormats
import SwiftletTokenizers

/// ModelFiles on the real GGUF files and on a Hugging Face directory.
@Suite struct ModelFilesTests {
    @Test func smolLMGGUFOpensWithConfigTemplateAndTokenizer() throws {
        let files = try ModelFiles.open(try EngineTestFiles.smolLM())
        let config = try files.config.get()
        #expect(config.architecture == .llama)
        #expect(config.numLayers == 30 && config.hiddenSize == 576 && config.numHeads == 9 && config.numKVHeads == 3)
        #expect(config.tieWordEmbeddings)
        #expect(files.fileSize == 98_362_432)
        #expect(files.chatTemplateSource?.hasPrefix("{% for message in messages %}") == true)
        let tokenizer = try files.loadTokenizer()
        #expect(tokenizer.model == .gpt2)
        #expect(tokenizer.vocabSize == 49152)
        #expect(tokenizer.bosTokenID == 1 && tokenizer.eosTokenID == 2 && !tokenizer.addsBOS)
    }

    /// The GGUF metadata path (Engine's glue + the tokenizer) against ids from HF tokenizers.
    @Test(arguments: [("smollm2", true), ("gemma3", false)])
    func ggufTokenizerMatchesIndependentReference(name: String, isSmolLM: Bool) throws {
        let path = isSmolLM ? try EngineTestFiles.smolLM() : try EngineTestFiles.gemma()
        let tokenizer = try ModelFiles.open(path).loadTokenizer()
        let entries = try EngineTestFiles.corpus(name)
        #expect(entries.count == 81)
        var mismatches: [String] = []
        for entry in entries {
            let plain = tokenizer.encode(entry.text, addSpecialTokens: true, parseSpecial: false)
            let special = tokenizer.encode(entry.text, addSpecialTokens: true, parseSpecial: true)
            if plain != entry.ids { mismatches.append("\(entry.text.debugDescription): \(plain)") }
            if special != entry.ids_parse_special { mismatches.append("special \(entry.text.debugDescription): \(special)") }
        }
        #expect(mismatches.isEmpty, "\(mismatches.prefix(5))")
    }

    @Test func gemmaGGUFOpensWithItsConfigAndNoChatTemplate() throws {
        let files = try ModelFiles.open(try EngineTestFiles.gemma())
        let config = try files.config.get()
        #expect(config.architecture == .gemma3 && config.eosTokenIDs == [1, 106])
        #expect(files.chatTemplateSource == nil)
        #expect(throws: ModelLoadError.self) { try files.chatTemplate() }
        let tokenizer = try files.loadTokenizer()
        #expect(tokenizer.model == .llama && tokenizer.vocabSize == 262_144 && tokenizer.addsBOS)
    }

    @Test func huggingFaceDirectoryGivesTheSameConfigTokenizerAndTemplateAsTheGGUF() throws {
        let gguf = try ModelFiles.open(try EngineTestFiles.smolLM())
        let template = try #require(gguf.chatTemplateSource)
        let dir = try EngineTestFiles.makeSmolLMDirectory(chatTemplateInConfig: template)
        defer { try? FileManager.default.removeItem(at: dir) }
        let hf = try ModelFiles.open(dir.path)
        guard case .safetensors = hf.container else { Issue.record("expected a safetensors container"); return }
        // The GGUF stores rms eps as f32 and its context length; config.json stores the same numbers.
        #expect(try hf.config.get() == gguf.config.get())
        #expect(hf.generationConfig?.eosTokenID?.ids == [2] && hf.generationConfig?.padTokenID == 2)
        #expect(hf.tokenizerConfig?.namedTemplates == ["tool_use": "T"])
        #expect(hf.tokenizerConfig?.eosToken == "<|im_end|>")
        #expect(hf.chatTemplateSource == template)

        let hfTokenizer = try hf.loadTokenizer()
        let ggufTokenizer = try gguf.loadTokenizer()
        let messages = [ChatMessage(role: "user", content: "Hi there 🙂"), ChatMessage(role: "assistant", content: "Hello!"),
                        ChatMessage(role: "user", content: "2+2?")]
        let fromHF = try hf.chatTemplate().render(messages: messages, tokenizer: hfTokenizer, addGenerationPrompt: true)
        let fromGGUF = try gguf.chatTemplate().render(messages: messages, tokenizer: ggufTokenizer, addGenerationPrompt: true)
        #expect(fromHF == fromGGUF)
        #expect(fromGGUF == "<|im_start|>system\nYou are a helpful AI assistant named SmolLM, trained by Hugging Face<|im_end|>\n"
            + "<|im_start|>user\nHi there 🙂<|im_end|>\n<|im_start|>assistant\nHello!<|im_end|>\n<|im_start|>user\n2+2?<|im_end|>\n"
            + "<|im_start|>assistant\n")
        #expect(hfTokenizer.encode(fromHF, addSpecialTokens: false, parseSpecial: true)
            == ggufTokenizer.encode(fromGGUF, addSpecialTokens: false, parseSpecial: true))
    }

    @Test func chatTemplateFileInDirectoryWinsOverTokenizerConfig() throws {
        let dir = try EngineTestFiles.makeSmolLMDirectory(chatTemplateInConfig: "from config")
        defer { try? FileManager.default.removeItem(at: dir) }
        try "{{ messages[0]['content'] }}!".write(to: dir.appendingPathComponent("chat_template.jinja"), atomically: true, encoding: .utf8)
        let files = try ModelFiles.open(dir.path)
        #expect(files.chatTemplateSource == "{{ messages[0]['content'] }}!")
        let tokenizer = try files.loadTokenizer()
        #expect(try files.chatTemplate().render(messages: [ChatMessage(role: "user", content: "x")], tokenizer: tokenizer, addGenerationPrompt: false) == "x!")
    }

    @Test func missingPathsAndForeignFilesGiveTypedErrors() throws {
        #expect { try ModelFiles.open("/nonexistent/model.gguf") } throws: { error in
            "\(error)" == "/nonexistent/model.gguf: no such file or directory"
        }
        let dir = try EngineTestFiles.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        #expect { try ModelFiles.open(dir.path) } throws: { error in
            guard case .unrecognized = error as? ModelLoadError else { return false }
            return "\(error)".contains("config.json")
        }
        let text = dir.appendingPathComponent("notes.txt")
        try "hello".write(to: text, atomically: true, encoding: .utf8)
        #expect(throws: GGUFError.self) { try ModelFiles.open(text.path) }
    }

    @Test func reportCountsParametersAndTypes() throws {
        let files = try ModelFiles.open(try EngineTestFiles.smolLM())
        let report = ModelReport(files: files, tokenizerSummary: "t")
        #expect(report.numTensors == 272)
        #expect(report.numParameters == 134_515_008)
        #expect(report.typeCounts.map(\.typeName) == ["Q4_1", "Q8_0", "F32"])
        #expect(report.typeCounts.map(\.numTensors) == [210, 1, 61])
        #expect(report.text.contains("layers 30, hidden 576, ffn 1536, heads 9, kv heads 3, head dim 64"))
        #expect(!report.text.contains("quantization"))
    }

    /// inspect names a Hugging Face checkpoint's quantization (the GPTQModel test checkpoint).
    @Test func reportNamesTheQuantization() throws {
        let dir = EngineTestFiles.repoRoot.appendingPathComponent("Tests/ModelsTests/Fixtures/compressed/llama-gptq-4bit-g128")
        let report = ModelReport(files: try ModelFiles.open(dir.path), tokenizerSummary: "t")
        #expect(report.text.contains("  quantization gptq 4-bit, group size 128, desc_act false, sym true\n"))
    }
}
