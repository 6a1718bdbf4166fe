#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

// The C math functions under names that do not clash with Swift's overloads.
@inline(__always) func Foundation_log(_ x: Double) -> Double { log(x) }
@inline(__always) func Foundation_expf(_ x: Float) -> Float { expf(x) }
@inline(__always) func Foundation_exp(_ x: Double) -> Double { exp(x) }
