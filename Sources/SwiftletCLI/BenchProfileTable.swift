import Foundation
import Swiftlet

/// The `--profile` table: milliseconds per step and share of each `ProfileCategory` over the
/// committed steps of a `ForwardProfiler`.
struct BenchProfileTable {
    let profiler: ForwardProfiler
    /// Sequences per profiled step.
    let batchSize: Int
    /// Mean measured wall time of the same steps, for comparison with the rows' sum.
    let measuredStepSeconds: Double

    var msPerStep: [ProfileCategory: Double] {
        let steps = Double(max(1, profiler.numSteps))
        return Dictionary(uniqueKeysWithValues: ProfileCategory.allCases.map { ($0, 1000 * profiler.seconds($0) / steps) })
    }

    /// The table's lines.
    var lines: [String] {
        let rows = msPerStep
        let total = rows.values.reduce(0, +)
        var lines = ["profile:        \(profiler.numSteps) decode steps of batch \(batchSize) (engine path)",
                     "  category                     ms/step       %"]
        for category in ProfileCategory.allCases {
            let ms = rows[category] ?? 0
            lines.append(pad(category.label) + String(format: " %9.3f  %6.1f", ms, total > 0 ? 100 * ms / total : 0))
        }
        lines.append(pad("sum") + String(format: " %9.3f  %6.1f", total, total > 0 ? 100.0 : 0.0))
        lines.append(pad("step wall time (measured)") + String(format: " %9.3f", 1000 * measuredStepSeconds))
        return lines
    }

    /// `label` indented and padded to the table's first column.
    private func pad(_ label: String) -> String {
        "  " + label.padding(toLength: 26, withPad: " ", startingAt: 0)
    }

    var json: [String: Any] {
        var object: [String: Any] = ["num_steps": profiler.numSteps, "step_ms": 1000 * measuredStepSeconds]
        for (category, ms) in msPerStep { object[category.key + "_ms"] = ms }
        return object
    }
}
