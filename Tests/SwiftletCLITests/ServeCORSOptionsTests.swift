import Testing
@testable import SwiftletCLI

/// `swiftlet serve`'s CORS flags: JSON lists of strings; anything else is an error naming the flag.
@Suite struct ServeCORSOptionsTests {
    @Test func listsOfStrings() throws {
        #expect(try ServeCORSOptions.list(#"["*"]"#, flag: "--allowed-origins") == ["*"])
        #expect(try ServeCORSOptions.list(#" ["http://localhost:3000", "https://a.example"] "#, flag: "--allowed-origins")
            == ["http://localhost:3000", "https://a.example"])
        #expect(try ServeCORSOptions.list("[]", flag: "--allowed-headers") == [])
    }

    @Test(arguments: ["", "*", #""*""#, "[1]", #"["GET", null]"#, #"{"a": "b"}"#, #"["GET",]"#, #"["GET""#])
    func anythingElseNamesTheFlag(text: String) {
        #expect { try ServeCORSOptions.list(text, flag: "--allowed-methods") } throws: { error in
            "\(error)" == #"--allowed-methods must be a JSON list of strings, e.g. '["http://localhost:3000"]', got '"# + text + "'"
        }
    }
}
