import SwiftletJSON

/// `GET /v1/models`, with vLLM's model card fields in vLLM's order.
struct ModelList: Encodable, Sendable {
    var object = "list"
    var data: [ModelCard]
}

struct ModelCard: Encodable, Sendable {
    var id: String
    var object = "model"
    var created: Int
    var ownedBy = "swiftlet"
    var root: Nullable<String>
    var parent: Nullable<String> = .null
    var maxModelLen: Nullable<Int>
    var permission: [ModelPermission]

    enum CodingKeys: String, CodingKey {
        case id, object, created, ownedBy = "owned_by", root, parent, maxModelLen = "max_model_len", permission
    }
}

/// vLLM's permission entry of a model card (what the model allows; fixed values).
struct ModelPermission: Encodable, Sendable {
    var id: String
    var object = "model_permission"
    var created: Int
    var allowCreateEngine = false
    var allowSampling = true
    var allowLogprobs = true
    var allowSearchIndices = false
    var allowView = true
    var allowFineTuning = false
    var organization = "*"
    var group: Nullable<String> = .null
    var isBlocking = false

    enum CodingKeys: String, CodingKey {
        case id, object, created, allowCreateEngine = "allow_create_engine", allowSampling = "allow_sampling"
        case allowLogprobs = "allow_logprobs", allowSearchIndices = "allow_search_indices", allowView = "allow_view"
        case allowFineTuning = "allow_fine_tuning", organization, group, isBlocking = "is_blocking"
    }
}
