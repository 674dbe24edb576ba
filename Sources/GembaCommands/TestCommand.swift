import ArgumentParser
import Foundation
import GembaCore
import GembaTerminal

/// `gemba test`: walks through every branch of each guide.
struct TestCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "test",
    abstract: "Walk through every branch of each guide with made-up answers.",
    discussion: """
      For each guide, Gemba runs the interview many times with made-up answers, choosing the \
      options and answers no earlier walk took, until every option of every choice and both \
      sides of every condition have been taken; then some walks with seeded random answers. It \
      reports questions no walk reached, options never taken, condition sides never seen, and \
      walks that never reach the end. The last line reads 'N passed, N failed'; the exit status \
      is 1 when anything failed.
      """
  )

  @Argument(
    help: "Guide files or folders (default: scripts/, else the built-in guides).",
    completion: .file(extensions: ["guide"]))
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
    let (found, notFound) = ScriptFinder.find(requested)
    var failed = 0
    var passed = 0
    for path in notFound {
      if let entry = BuiltInGuides.named(path) {
        builtIns.append(entry)
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
    Console.out("\(passed) passed, \(failed) failed\n")
    if failed > 0 { throw ExitCode(1) }
  }
}
