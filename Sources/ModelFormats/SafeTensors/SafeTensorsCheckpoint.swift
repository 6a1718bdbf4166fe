import Foundation

/// The safetensors weights of a Hugging Face model directory: `model.safetensors`, or the
/// shards listed by `model.safetensors.index.json` (each shard opened once, by mmap).
///
/// Validated on open: shard names are plain file names inside the directory, every tensor of
/// the weight map is in its shard, and no tensor is stored in two shards.
public final class SafeTensorsCheckpoint: Sendable {
    /// Where one tensor lives.
    private struct Location: Sendable {
        let file: Int
        let info: SafeTensorInfo
    }

    /// The model directory.
    public let directory: URL
    /// The opened files: the single file, or the shards in file-name order.
    public let files: [SafeTensorsFile]
    /// `metadata.total_size` of the index, when given.
    public let totalSize: Int?
    /// Every tensor name, sorted.
    public let tensorNames: [String]
    private let locations: [String: Location]

    /// File name of an unsharded checkpoint.
    public static let singleFileName = "model.safetensors"
    /// File name of the shard index.
    public static let indexFileName = "model.safetensors.index.json"

    /// Opens the checkpoint in `directory`.
    public init(directory: URL) throws {
        self.directory = directory
        let fm = FileManager.default
        let single = directory.appendingPathComponent(Self.singleFileName)
        let index = directory.appendingPathComponent(Self.indexFileName)
        var locations: [String: Location] = [:]
        if fm.fileExists(atPath: single.path) {
            let file = try SafeTensorsFile(url: single)
            for info in file.tensors { locations[info.name] = Location(file: 0, info: info) }
            files = [file]
            totalSize = nil
        } else if fm.fileExists(atPath: index.path) {
            let parsed = try Self.readIndex(index)
            totalSize = parsed.metadata?.totalSize
            let shardNames = Set(parsed.weightMap.values).sorted()
            var opened: [SafeTensorsFile] = []
            var fileIndexByShard: [String: Int] = [:]
            for shard in shardNames {
                guard !shard.isEmpty, !shard.contains("/"), !shard.contains("\\"),
                      !shard.contains(".."), !shard.contains("\0") else {
                    throw SafeTensorsError.invalidShardName(index: index.path, shard: shard)
                }
                let url = directory.appendingPathComponent(shard)
                guard fm.fileExists(atPath: url.path) else {
                    throw SafeTensorsError.missingShard(index: index.path, shard: shard)
                }
                let file = try SafeTensorsFile(url: url)
                for info in file.tensors {
                    if let other = locations[info.name] {
                        throw SafeTensorsError.duplicateTensor(
                            file: file.path, tensor: info.name, other: opened[other.file].path)
                    }
                    locations[info.name] = Location(file: opened.count, info: info)
                }
                fileIndexByShard[shard] = opened.count
                opened.append(file)
            }
            for (tensor, shard) in parsed.weightMap {
                guard let location = locations[tensor], location.file == fileIndexByShard[shard] else {
                    throw SafeTensorsError.tensorMissingFromShard(index: index.path, tensor: tensor, shard: shard)
                }
            }
            files = opened
        } else {
            throw SafeTensorsError.noCheckpoint(directory: directory.path)
        }
        self.locations = locations
        self.tensorNames = locations.keys.sorted()
    }

    /// The tensor called `name` and the file that holds it, or nil.
    public func tensor(named name: String) -> (file: SafeTensorsFile, info: SafeTensorInfo)? {
        guard let location = locations[name] else { return nil }
        return (files[location.file], location.info)
    }

    /// The raw bytes of the tensor called `name` (a view into its shard's mapping).
    public func data(forTensorNamed name: String) throws -> UnsafeRawBufferPointer {
        guard let (file, info) = tensor(named: name) else {
            throw SafeTensorsError.tensorNotFound(file: directory.path, tensor: name)
        }
        return try file.data(for: info)
    }

    /// The tensor called `name` converted to Float.
    public func toFloat(named name: String) throws -> [Float] {
        guard let (file, info) = tensor(named: name) else {
            throw SafeTensorsError.tensorNotFound(file: directory.path, tensor: name)
        }
        return try file.toFloat(info)
    }

    private struct Index: Decodable {
        struct Metadata: Decodable {
            let totalSize: Int?
            enum CodingKeys: String, CodingKey { case totalSize = "total_size" }
            init(from decoder: Decoder) throws {
                // informational only: a non-integer total_size is ignored, not an error
                let container = try decoder.container(keyedBy: CodingKeys.self)
                totalSize = try? container.decodeIfPresent(Int.self, forKey: .totalSize)
            }
        }
        let metadata: Metadata?
        let weightMap: [String: String]
        enum CodingKeys: String, CodingKey {
            case metadata
            case weightMap = "weight_map"
        }
    }

    private static func readIndex(_ url: URL) throws -> Index {
        let data: Data
        do {
            data = try Data(contentsOf: url)
        } catch {
            throw SafeTensorsError.io(file: url.path, reason: "cannot read: \(error.localizedDescription)")
        }
        do {
            return try JSONDecoder().decode(Index.self, from: data)
        } catch {
            throw SafeTensorsError.invalidHeader(file: url.path, reason: "index is not {\"metadata\": {...}, \"weight_map\": {name: shard}}: \(error)")
        }
    }
}
