import CKernels

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Which instruction set the kernels use; detected once at run time (cpuid/xgetbv on x86-64,
/// NEON on arm64), overridable by the environment variable SWIFTLET_ISA=scalar|avx2|avx512
/// (never above what the CPU has) so tests and benchmarks can force each path.
public enum KernelISA: String, Sendable, CaseIterable {
    case scalar, avx2, avx512, neon

    /// The set the kernels use: `detected`, or SWIFTLET_ISA clamped to what the CPU has.
    public static var current: KernelISA { resolvedCurrent }

    /// The best set this CPU and operating system support.
    public static var detected: KernelISA { resolvedDetected }

    /// Every set this machine can run (scalar first), for tests that check each path.
    public static var available: [KernelISA] { allCases.filter { $0.isSupported } }

    /// Whether this machine can run kernels of this set.
    public var isSupported: Bool {
        switch self {
        case .scalar: true
        case .avx2: Self.detected == .avx2 || Self.detected == .avx512
        case .avx512: Self.detected == .avx512
        case .neon: Self.detected == .neon
        }
    }

    /// `self` if supported, else the best supported set below it.
    public var clamped: KernelISA {
        if isSupported { return self }
        if self == .avx512, KernelISA.avx2.isSupported { return .avx2 }
        return .scalar
    }

    /// The CKernels SW_ISA_* constant.
    var cValue: Int32 {
        switch self {
        case .scalar: Int32(SW_ISA_SCALAR)
        case .avx2: Int32(SW_ISA_AVX2)
        case .avx512: Int32(SW_ISA_AVX512)
        case .neon: Int32(SW_ISA_NEON)
        }
    }

    private static let resolvedDetected: KernelISA = {
        switch sw_detect_isa() {
        case Int32(SW_ISA_AVX512): .avx512
        case Int32(SW_ISA_AVX2): .avx2
        case Int32(SW_ISA_NEON): .neon
        default: .scalar
        }
    }()

    private static let resolvedCurrent: KernelISA = {
        guard let raw = getenv("SWIFTLET_ISA"),
              let requested = KernelISA(rawValue: String(cString: raw).lowercased())
        else { return resolvedDetected }
        return requested.clamped
    }()
}
