import ArgumentParser
import Foundation
import GembaCore
import GembaTerminal

/// `gemba check`: diagnostics for guides, rule files and rule tests, compiler style.
struct CheckCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "check",
    abstract:
      "Check guides, rules and rubrics for mistakes and report each with its file, line and column.",
    discussion: """
      Reads every .guide, .rules, .test and .rubric file under the given files and folders and \
      reports every problem in one pass. With no path it checks scripts/ when there is one, else \
      the guides, rules and rubric built into Gemba; a name such as customer-purpose that is not \
      a file names a built-in guide. A file that another checked file includes is checked \
      as part of that file. Rules are checked against the guides they apply to. Each problem \
      has a code explained in docs/diagnostics.md.

      Exit status: 0 when there are no errors, 1 when there are (or warnings, with \
      --warnings-as-errors), 64 on bad usage.
      """
  )

  enum Format: String, ExpressibleByArgument, CaseIterable {
    case text
    case json
  }

  @Argument(
    help:
      "Guide, rule and rubric files or folders to check (default: scripts/, else the built-ins).",
    completion: .file(extensions: ["guide", "rules", "test", "rubric"]))
  var paths: [String] = []

  @Flag(help: "Treat warnings as errors: exit 1 when there are any.")
  var warningsAsErrors = false

  @Option(help: "Output format: text for people, json for editors and CI.")
  var format: Format = .text

  @Flag(help: "Print only the one-line form of each problem, without the source line.")
  var brief = false

  func run() throws {
    var requested = paths
    if requested.isEmpty {
      requested = FileManager.default.fileExists(atPath: "scripts") ? ["scripts"] : []
    }
    var builtIns: [BuiltInGuides.Entry] = []
    var builtInRules: [String] = []
    if paths.isEmpty && requested.isEmpty {
      builtIns = BuiltInGuides.all
      builtInRules = (BuiltInRules.rules + [BuiltInRules.coaching] + BuiltInRules.tests).map(\.path)
      builtInRules.append(BuiltInRules.rubric.path)
    }
    let (found, notFound) = ScriptFinder.find(
      requested, extensions: ScriptFinder.extensions + ["rubric"])
    var missing: [String] = []
    for path in notFound {
      if let entry = BuiltInGuides.named(path) {
        builtIns.append(entry)
      } else if let entry = BuiltInRules.named(path) {
        builtInRules.append(entry.path)
      } else {
        missing.append(path)
        Console.error("gemba: error: no such file or folder '\(path)'\n")
      }
    }
    let files = found + builtIns.map(\.path) + builtInRules
    if !missing.isEmpty && files.isEmpty { throw ExitCode(1) }
    let ruleKinds = found.filter {
      $0.hasSuffix(".rules") || $0.hasSuffix(".test") || $0.hasSuffix(".rubric")
    }
    let outcome = GuideFiles.check(found.filter { !ruleKinds.contains($0) }, builtIns: builtIns)
    let rulePaths = ruleKinds + builtInRules
    let rules = RuleFiles.load(
      rules: rulePaths.filter { $0.hasSuffix(".rules") },
      tests: rulePaths.filter { $0.hasSuffix(".test") },
      guides: RuleFiles.guides(checked: outcome.guides, besides: rulePaths))
    let rubrics = checkRubrics(rulePaths.filter { $0.hasSuffix(".rubric") })
    var diagnostics = outcome.diagnostics + rules.diagnostics + rubrics.diagnostics
    let sources = outcome.sources.merging(rules.sources) { guide, _ in guide }
      .merging(rubrics.sources) { guide, _ in guide }
    if warningsAsErrors {
      diagnostics = diagnostics.map { diagnostic in
        var promoted = diagnostic
        if promoted.severity == .warning { promoted.severity = .error }
        return promoted
      }
    }
    switch format {
    case .text:
      let terminal = TerminalInfo.current()
      let renderer = DiagnosticRenderer(colored: terminal.colorsOutput, showsSource: !brief)
      Console.out(renderer.render(all: diagnostics, sources: sources))
      Console.out(DiagnosticRenderer.summary(of: diagnostics, files: files.count) + "\n")
    case .json:
      Console.out(DiagnosticJSON.render(diagnostics, files: files.count) + "\n")
    }
    if diagnostics.hasErrors || !missing.isEmpty { throw ExitCode(1) }
  }

  /// The diagnostics of the rubrics at `paths` (files, or built in), with their sources.
  private func checkRubrics(_ paths: [String]) -> (
    diagnostics: [Diagnostic], sources: [String: SourceFile]
  ) {
    var diagnostics: [Diagnostic] = []
    var sources: [String: SourceFile] = [:]
    for path in paths {
      switch RuleFiles.read(path) {
      case .success(let text):
        diagnostics += RubricParser.parse(path: path, text: text).1
        sources[path] = SourceFile(path: path, text: text)
      case .failure(let error):
        // As for guides and rule files that cannot be read.
        diagnostics.append(
          Diagnostic(
            .missingInclude, "cannot read '\(path)': \(error.message)",
            at: SourceRange(path: path, line: 1, column: 1)))
      }
    }
    return (diagnostics, sources)
  }
}
