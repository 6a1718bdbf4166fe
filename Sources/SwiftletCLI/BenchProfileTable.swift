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

    /// The figures as `--output-json` writes them: `num_steps`, `step_ms` and `<category>_ms`.
    struct Figures: Encodable {
        var numSteps: Int
        var stepMs: Double
        var categoryMs: [(key: String, ms: Double)]

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: FigureKey.self)
            try container.encode(numSteps, forKey: FigureKey("num_steps"))
            try container.encode(stepMs, forKey: FigureKey("step_ms"))
            for (key, ms) in categoryMs { try container.encode(ms, forKey: FigureKey(key + "_ms")) }
        }
    }

    var figures: Figures {
        let rows = msPerStep
        return Figures(numSteps: profiler.numSteps, stepMs: 1000 * measuredStepSeconds,
                       categoryMs: ProfileCategory.allCases.map { ($0.key, rows[$0] ?? 0) })
    }
}
