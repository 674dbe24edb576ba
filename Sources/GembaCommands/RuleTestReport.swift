import GembaCore
import GembaTerminal

/// The rule tests' part of `gemba test`: runs each test file against the rules it tests and
/// prints how it went.
enum RuleTestReport {
  /// Runs the test files at `tests`; rule files among `untested` that no test file tests are
  /// named, so missing tests show. Returns the checks passed and failed.
  static func run(
    tests: [String], untested rulePaths: [String], guides checked: [String: Guide], verbose: Bool,
    renderer: DiagnosticRenderer
  ) -> (passed: Int, failed: Int) {
    var passed = 0
    var failed = 0
    let guides = RuleFiles.guides(checked: checked, besides: tests + rulePaths)
    var loaded = RuleFiles.load(rules: [], tests: tests, guides: guides)
    let width = TerminalInfo.columns()
    for test in loaded.tests {
      let involved = Set([test.path] + test.rulePaths)
      let errors = loaded.diagnostics.filter {
        $0.severity == .error && involved.contains($0.range.start.path)
      }
      if !errors.isEmpty {
        Console.out("\(test.path): cannot run rule tests with errors\n")
        Console.out(renderer.render(all: errors, sources: loaded.sources))
        failed += errors.count
        continue
      }
      let rules = loaded.rules(testedBy: test)
      let report = RuleTestRunner.run(test, rules: rules, guides: loaded.guides, width: width)
      Console.out(
        "\(test.path): \(report.tests) tests, \(report.checks.count) checks, "
          + "\(report.failed) failed\n")
      for check in report.checks where verbose || !check.passed {
        Console.out("  \(check.passed ? "ok  " : "FAIL") \(TerminalSafe.neutralize(check.name))\n")
        if !check.passed, let detail = check.detail {
          Console.out(detail.split(separator: "\n").map { "    \($0)\n" }.joined())
        }
      }
      if !report.unfired.isEmpty {
        Console.out("  rules no test fires: \(report.unfired.joined(separator: ", "))\n")
      }
      passed += report.passed
      failed += report.failed
    }
    let tested = Set(loaded.tests.flatMap(\.rulePaths).map(Path.normalize))
    for path in rulePaths where !tested.contains(Path.normalize(path)) {
      let name = Path.lastComponent(path)
      let stem = name.hasSuffix(".rules") ? String(name.dropLast(6)) : name
      Console.out("\(path): no rule tests (write them in \(stem).test beside it)\n")
    }
    return (passed, failed)
  }
}
