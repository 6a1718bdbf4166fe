/// Times of one in-flight request, in seconds.
struct RequestTimings: Sendable {
    var arrival: Double
    var scheduled: Double?
    var lastToken: Double?
}
