import Testing
@testable import SwiftletCLI

/// The engine flags shared by `serve` and `bench throughput`: the step-time target.
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
}
