import Foundation
import Testing
@testable import SwiftletTokenizers

/// Added tokens from tokenizer.json: lstrip/rstrip, leftmost-longest matching, non-special tokens always matched.
/// Expected ids from HF tokenizers with the same added tokens on smollm2_tokenizer.json.
@Suite struct AddedTokenTests {
    func tokenizer() throws -> Tokenizer {
        let data = try Data(contentsOf: TestResources.fixture("smollm2_tokenizer.json"))
        var root = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        var added = try #require(root["added_tokens"] as? [[String: Any]])
        func token(_ id: Int, _ content: String, special: Bool = true, lstrip: Bool = false, rstrip: Bool = false) -> [String: Any] {
            ["id": id, "content": content, "special": special, "lstrip": lstrip, "rstrip": rstrip,
             "single_word": false, "normalized": !special]
        }
        added += [token(49152, "<L>", lstrip: true), token(49153, "<R>", rstrip: true), token(49154, "<ab>"),
                  token(49155, "<abc>"), token(21062, "plain", special: false)]
        root["added_tokens"] = added
        return try Tokenizer(tokenizerJSONData: JSONSerialization.data(withJSONObject: root))
    }

    @Test func stripAndLongestMatch() throws {
        let tokenizer = try tokenizer()
        #expect(tokenizer.vocabSize == 49156)
        #expect(tokenizer.encode("x  <L>  y", parseSpecial: true) == [104, 49152, 216, 329])
        #expect(tokenizer.encode("x  <R>  y", parseSpecial: true) == [104, 256, 49153, 105])
        #expect(tokenizer.encode("<abc><ab>", parseSpecial: true) == [49155, 49154])
        #expect(tokenizer.encode("a\t<L>\n<R> b", parseSpecial: true) == [81, 49152, 198, 49153, 82])
    }

    @Test func nonSpecialAddedTokensAlwaysMatch() throws {
        let tokenizer = try tokenizer()
        #expect(tokenizer.encode("explainplain", parseSpecial: true) == [888, 21062, 21062])
        #expect(tokenizer.encode("explainplain <ab>", parseSpecial: false) == [888, 21062, 21062, 2067, 369, 46])
        #expect(!tokenizer.isSpecialToken(21062) && tokenizer.isSpecialToken(49154))
        #expect(try tokenizer.decode([49155, 21062], skipSpecialTokens: true) == "plain")
    }
}
