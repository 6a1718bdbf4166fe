import Testing
import Swiftlet
@testable import SwiftletCLI

/// The engine flags shared by `serve` and `bench throughput`: the step-time target, `--quantization`.
@Suite struct EngineOptionsTests {
    @Test func theTargetStepTimeDefaultsTo50MillisecondsAndZeroTurnsItOff() throws {
        #expect(try EngineOptions.parse([]).config().targetStepTime == 0.05)
        #expect(try EngineOptions.parse(["--target-step-time-ms", "40"]).config().targetStepTime == 0.04)
        #expect(try EngineOptions.parse(["--target-step-time-ms", "0"]).config().targetStepTime == nil)
    }

    @Test(arguments: ["-5", "nan", "inf"])
    func aNegativeOrNonFiniteTargetIsRefused(value: String) {
        #expect { try EngineOptions.parse(["--target-step-time-ms=" + value]).config() } throws: { error in
            "\(error)".contains("--target-step-time-ms must be a non-negative number of milliseconds")
        }
    }

    @Test func quantizationNamesAMethodOrIsRefused() throws {
        #expect(try EngineOptions.parse([]).config().quantization == nil)
        #expect(try EngineOptions.parse(["--quantization", "fp8"]).config().quantization == .fp8)
        #expect(try EngineOptions.parse(["--quantization", "INT8"]).config().quantization == .int8)
        var load = try ModelLoadOptions.parse(["--quantization", "int8"])
        var config = EngineConfig()
        try load.apply(to: &config)
        #expect(config.quantization == .int8)
        load.quantization = "awq"
        #expect { try load.apply(to: &config) } throws: { "\($0)".contains("--quantization must be one of fp8, int8, got 'awq'") }
    }
}
