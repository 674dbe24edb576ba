import ArgumentParser
import Foundation
import GembaCore
import GembaTerminal

/// `gemba test`: walks through every branch of each guide, and runs the rule tests.
struct TestCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "test",
    abstract: "Walk through every branch of each guide, and run the rule tests.",
    discussion: """
      Rule tests (.test files beside the rules) give a few answers, skips and tags, and say \
      which rules should fire, which should not, and what should be proposed; a failing test \
      prints the rule's evaluation tree, as 'gemba propose --why' does. Every rule of a tested \
      rule file should fire in some test: those no test fires are listed as failures.


      For each guide, Gemba runs the interview many times with made-up answers, choosing the \
      options and answers no earlier walk took, until every option of every choice and both \
      sides of every condition have been taken; then some walks with seeded random answers. It \
      reports questions no walk reached, options never taken, condition sides never seen, and \
      walks that never reach the end. The last line reads 'N passed, N failed'; the exit status \
      is 1 when anything failed.
      """
  )

  @Argument(
    help: "Guide and rule test files or folders (default: scripts/, else the built-ins).",
    completion: .file(extensions: ["guide", "test"]))
  var paths: [String] = []

  @Option(help: "The seed of the random walks, to replay a failure.")
  var seed: UInt64 = 1

  @Flag(name: .shortAndLong, help: "List every check, not only the failures.")
  var verbose = false

  func run() throws {
    var requested = paths
    if requested.isEmpty {
      requested = FileManager.default.fileExists(atPath: "scripts") ? ["scripts"] : []
    }
    var builtIns: [BuiltInGuides.Entry] =
      paths.isEmpty && requested.isEmpty ? BuiltInGuides.all : []
    var builtInTests: [String] =
      paths.isEmpty && requested.isEmpty ? BuiltInRules.tests.map(\.path) : []
    let (allFound, notFound) = ScriptFinder.find(requested)
    let rulePaths = allFound.filter { $0.hasSuffix(".rules") }
    let found = allFound.filter { !$0.hasSuffix(".test") && !$0.hasSuffix(".rules") }
    var failed = 0
    var passed = 0
    for path in notFound {
      if let entry = BuiltInGuides.named(path) {
        builtIns.append(entry)
      } else if let entry = BuiltInRules.named(path), entry.name.hasSuffix(".test") {
        builtInTests.append(entry.path)
      } else {
        Console.error("gemba: error: no such file or folder '\(path)'\n")
        failed += 1
      }
    }
    let outcome = GuideFiles.check(found, builtIns: builtIns)
    let renderer = DiagnosticRenderer(colored: TerminalInfo.current().colorsOutput)
    for path in outcome.guides.keys.sorted() {
      guard let guide = outcome.guides[path] else { continue }
      let errors = outcome.diagnostics.filter {
        $0.severity == .error && guide.files.map(\.path).contains($0.range.start.path)
      }
      if !errors.isEmpty {
        Console.out("\(path): cannot walk a guide with errors\n")
        Console.out(renderer.render(all: errors, sources: outcome.sources))
        failed += errors.count
        continue
      }
      let report = GuideWalkTester.run(guide, seed: seed)
      Console.out(
        "\(path): \(report.walks + report.randomWalks) walks, \(report.checks.count) checks, "
          + "\(report.failed) failed\n")
      for check in report.checks where verbose || !check.passed {
        let mark = check.passed ? "ok  " : "FAIL"
        Console.out("  \(mark) \(check.name)\(check.detail.map { ": \($0)" } ?? "")\n")
      }
      passed += report.passed
      failed += report.failed
    }
    let rules = RuleTestReport.run(
      tests: allFound.filter { $0.hasSuffix(".test") } + builtInTests, untested: rulePaths,
      guides: outcome.guides, verbose: verbose,
      renderer: renderer)
    passed += rules.passed
    failed += rules.failed
    Console.out("\(passed) passed, \(failed) failed\n")
    if failed > 0 { throw ExitCode(1) }
  }
}
