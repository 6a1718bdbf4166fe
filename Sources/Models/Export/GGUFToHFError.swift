/// Why an export to a Hugging Face directory failed.
public enum GGUFToHFError: Error, CustomStringConvertible, Equatable {
    /// A file of the output directory could not be written.
    case cannotWrite(path: String, reason: String)
    /// The model has a layout the exporter does not write (mixture-of-experts layers).
    case unsupportedModel(path: String, reason: String)

    public var description: String {
        switch self {
        case let .cannotWrite(path, reason):
            return "cannot write \(path): \(reason)"
        case let .unsupportedModel(path, reason):
            return "cannot export \(path): \(reason)"
        }
    }
}
