import Foundation
import Testing
@testable import Engine

@Suite struct TokenizerConfigTests {
    func parse(_ json: String) throws -> TokenizerConfig {
        try TokenizerConfig(data: Data(json.utf8), path: "tokenizer_config.json")
    }

    @Test func stringTemplateAndPlainTokens() throws {
        let config = try parse(#"{"chat_template": "{{ x }}", "bos_token": "<s>", "eos_token": "</s>", "add_bos_token": true, "model_max_length": 1e30}"#)
        #expect(config.chatTemplate == "{{ x }}" && config.namedTemplates.isEmpty)
        #expect(config.bosToken == "<s>" && config.eosToken == "</s>" && config.addBOSToken == true && config.addEOSToken == nil)
        #expect(config.modelMaxLength == 1e30)
    }

    @Test func namedTemplatesAndAddedTokenObjects() throws {
        let config = try parse(#"{"chat_template": [{"name": "default", "template": "D"}, {"name": "rag", "template": "R"}], "eos_token": {"content": "<|eot|>", "lstrip": false}, "pad_token": null}"#)
        #expect(config.chatTemplate == "D" && config.namedTemplates == ["rag": "R"])
        #expect(config.eosToken == "<|eot|>" && config.padToken == nil)
    }

    @Test func badValuesNameTheField() {
        func message(_ json: String) -> String {
            do { _ = try parse(json); return "no error" } catch { return "\(error)" }
        }
        #expect(message(#"{"add_bos_token": "yes"}"#).hasPrefix("tokenizer_config.json: field add_bos_token: expected Bool"))
        #expect(message(#"{"eos_token": {"lstrip": true}}"#) == "tokenizer_config.json: field eos_token.content: missing")
        #expect(message(#"{"chat_template": 3}"#).hasPrefix("tokenizer_config.json: field chat_template"))
        #expect(message("[1, 2").hasPrefix("tokenizer_config.json: "))
    }
}
