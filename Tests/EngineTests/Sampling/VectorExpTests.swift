import Foundation
import Testing
@testable import Engine

@Suite struct VectorExpTests {
    /// Within 2e-7 relative of exp over the softmax range, exactly 1 at 0, exactly 0 below -87.7.
    @Test func matchesExpAndUnderflowsToZero() {
        var worst = 0.0
        var x: Float = -86.9
        while x <= 0 {
            for input in [x, x / 2, x / 3, x / 5, x / 7, x / 11, x / 13, x / 100] {
                let want = exp(Double(input))
                worst = max(worst, abs(Double(VectorExp.exp(input)) - want) / want)
            }
            x += 0.0371
        }
        #expect(worst < 2e-7, "worst relative error \(worst)")
        let edges = [0, -.infinity, -88, -1000, 1, -1, .nan, 0].map(VectorExp.exp)
        #expect(edges[0] == 1 && edges[1] == 0 && edges[2] == 0 && edges[3] == 0 && edges[6] == 0)
        #expect(abs(Double(edges[4]) - M_E) / M_E < 2e-7 && abs(Double(edges[5]) - 1 / M_E) * M_E < 2e-7)
    }
}
