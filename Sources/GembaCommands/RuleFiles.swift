import Foundation
import GembaCore
import GembaTerminal

/// Rule files and rule test files as `gemba check`, `gemba test` and `gemba propose` read them:
/// from disk or built in, parsed and checked against the guides they apply to.
struct RuleFiles {
  var files: [RuleFile] = []
  var tests: [RuleTestFile] = []
  var guides: [RuleGuide] = []
  var diagnostics: [Diagnostic] = []
  var sources: [String: SourceFile] = [:]

  /// The text of a rule or test file on disk, or built in (`<built-in>/next-steps.rules`).
  static func read(_ path: String) -> Result<String, SourceLoadError> {
    if path.hasPrefix("<built-in>/") {
      guard let entry = BuiltInRules.named(path) else {
        return .failure(SourceLoadError("no such built-in file"))
      }
      return .success(entry.text)
    }
    return DiskSourceLoader().load(path)
  }

  /// The guides rules are checked against: `checked` (guides read from disk), the guides beside
  /// each of `ruleFiles`, then the built-in guides whose method none of those has.
  static func guides(checked: [String: Guide], besides ruleFiles: [String]) -> [RuleGuide] {
    var guides = checked.keys.sorted().compactMap { path in
      checked[path].map { RuleGuide(path: path, guide: $0) }
    }
    var seen = Set(guides.map { Path.normalize($0.path) })
    let folders = Set(ruleFiles.filter { !$0.hasPrefix("<built-in>/") }.map(Path.directory))
    let loader = DiskSourceLoader()
    for folder in folders.sorted() {
      for path in ScriptFinder.find([folder]).files where path.hasSuffix(".guide") {
        guard seen.insert(Path.normalize(path)).inserted,
          case .success(let text) = loader.load(path)
        else { continue }
        let guide = GuideParser.parse(path: path, text: text, loader: loader).guide
        guides.append(RuleGuide(path: path, guide: guide))
      }
    }
    for entry in BuiltInGuides.all where !seen.contains(entry.path) {
      let guide = GuideParser.parse(path: entry.path, text: entry.text).guide
      let method = guide.header.method
      if guides.contains(where: { $0.method == method || $0.stem == entry.name }) { continue }
      seen.insert(entry.path)
      guides.append(RuleGuide(path: entry.path, guide: guide))
    }
    return guides
  }

  /// Reads, parses and checks the rule files at `rulePaths` (checked together: their rule ids
  /// are unique across them) and the test files at `testPaths`, with the rules each tests.
  static func load(rules rulePaths: [String], tests testPaths: [String], guides: [RuleGuide])
    -> RuleFiles
  {
    var result = RuleFiles()
    result.guides = guides
    for path in rulePaths {
      if let file = result.parseRules(path) { result.files.append(file) }
    }
    result.diagnostics += RuleChecker.check(result.files, guides: guides)
    for path in testPaths {
      guard let text = result.text(path) else { continue }
      let parsed = RuleTestParser.parse(path: path, text: text)
      result.sources[path] = parsed.file.source
      result.diagnostics += parsed.diagnostics
      let tested = result.rules(testedBy: parsed.file)
      result.diagnostics += RuleTestRunner.check(parsed.file, rules: tested, guides: guides)
      result.tests.append(parsed.file)
    }
    var seen = Set<Diagnostic>()
    result.diagnostics = result.diagnostics.filter { seen.insert($0).inserted }
    return result
  }

  /// The rule set a test file tests: the rule files it names, read when not read already.
  mutating func rules(testedBy test: RuleTestFile) -> RuleSet {
    var chosen: [RuleFile] = []
    for path in test.rulePaths {
      let wanted = Path.normalize(path)
      if let file = files.first(where: { Path.normalize($0.path) == wanted }) {
        chosen.append(file)
      } else if let file = parseRules(path, reportingAt: test.rules.first?.range) {
        diagnostics += RuleChecker.check([file], guides: guides)
        files.append(file)
        chosen.append(file)
      }
    }
    return RuleSet(chosen)
  }

  /// The rule set of every rule file read.
  var ruleSet: RuleSet { RuleSet(files) }

  private mutating func parseRules(_ path: String, reportingAt place: SourceRange? = nil)
    -> RuleFile?
  {
    guard let text = text(path, reportingAt: place) else { return nil }
    let parsed = RuleParser.parse(path: path, text: text)
    sources[path] = parsed.file.source
    diagnostics += parsed.diagnostics
    return parsed.file
  }

  private mutating func text(_ path: String, reportingAt place: SourceRange? = nil) -> String? {
    switch Self.read(path) {
    case .success(let text):
      return text
    case .failure(let error):
      diagnostics.append(
        Diagnostic(
          .missingInclude, "cannot read '\(path)': \(error.message)",
          at: place ?? SourceRange(path: path, line: 1, column: 1)))
      return nil
    }
  }
}

extension RuleFiles {
  /// The rules named by `rulePaths` (`--rules`, or the `rules` setting), else the built-in ones, checked against the guides; errors
  /// stop the command, since rules with errors would propose the wrong things.
  static func proposalRules(
    _ rulePaths: [String], guides transcriptGuides: [(String, Guide)],
    report: (String) -> Void = { Console.error($0) }
  ) throws -> RuleSet {
    var paths: [String] = []
    if rulePaths.isEmpty {
      paths = BuiltInRules.rules.map(\.path)
    } else {
      let (found, missing) = ScriptFinder.find(rulePaths)
      for path in missing {
        if let entry = BuiltInRules.named(path), entry.name.hasSuffix(".rules") {
          paths.append(entry.path)
        } else {
          throw CommandFailure("no such rule file or folder '\(path)'")
        }
      }
      paths += found.filter { !$0.hasSuffix(".guide") && !$0.hasSuffix(".test") }
      if paths.isEmpty {
        throw CommandFailure("no .rules files in \(rulePaths.joined(separator: ", "))")
      }
    }
    var checked: [String: Guide] = [:]
    for (path, guide) in transcriptGuides where !path.hasPrefix("<built-in>/") {
      checked[path] = guide
    }
    let loaded = RuleFiles.load(
      rules: paths, tests: [], guides: RuleFiles.guides(checked: checked, besides: paths))
    let errors = loaded.diagnostics.filter { $0.severity == .error }
    if !errors.isEmpty {
      let renderer = DiagnosticRenderer(colored: TerminalInfo.current().colorsErrors)
      report(renderer.render(all: errors, sources: loaded.sources))
      throw CommandFailure(
        "the rules have errors, so nothing is proposed; "
          + DiagnosticRenderer.summary(of: errors, files: paths.count))
    }
    return loaded.ruleSet
  }
}

extension RuleFiles {
  /// The rules a live interview proposes from: `paths` (the `--rules` option or the setting),
  /// else the built-in ones. Rules with errors give none, and `problem` says what is wrong (the
  /// interview goes on without proposals). Nothing is printed: this runs on another thread
  /// while the interview starts, and the runner shows the problem between two questions.
  static func liveRules(_ paths: [String], guide: Guide, guidePath: String) -> LiveRules {
    var diagnostics = ""
    do {
      let rules = try RuleFiles.proposalRules(
        paths, guides: [(guidePath, guide)], report: { diagnostics += $0 })
      return LiveRules(rules: rules, problem: nil)
    } catch {
      return LiveRules(
        rules: nil,
        problem: diagnostics + "gemba: \(error); this interview goes on without proposals\n")
    }
  }
}

/// The rules a live interview proposes from, or what is wrong with them.
struct LiveRules: Sendable {
  var rules: RuleSet?
  /// The diagnostics and a sentence, for standard error, when the rules cannot be used.
  var problem: String?
}
