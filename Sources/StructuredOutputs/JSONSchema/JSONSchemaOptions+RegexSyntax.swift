extension JSONSchemaOptions {
    /// Patterns through `RegexSyntax`: JSON Schema's `pattern` as ECMAScript (a search), a
    /// whitespace pattern as a Python regex matching the whole text.
    public static let regexSyntax: PatternTranslator = { pattern, use in
        switch use {
        case .search: return try RegexSyntax.parse(pattern, flavor: .ecmascript)
        case .wholeText: return try RegexSyntax.parse(pattern, flavor: .python)
        }
    }
}
