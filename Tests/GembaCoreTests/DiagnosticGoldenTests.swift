import Foundation
import GembaTestSupport
import Testing

@testable import GembaCore

/// One broken guide, rule file or rule test file per diagnostic code, each checked against its
/// rendered output. Rule files are checked against the default guides (and the small guide in
/// ``RuleCases``); rule test files against the default rules.
@Suite("Diagnostics, golden")
struct DiagnosticGoldenTests {
  static let folder = casesFolder("diagnostics")
  static let files = filesIn(folder)
  static let extensions = [".guide", ".rules", ".test", ".rubric"]
  static let cases = files.keys.filter { name in
    extensions.contains { name.hasSuffix($0) }
  }.sorted()

  static func render(_ name: String) -> (String, [Diagnostic]) {
    let text = files[name] ?? ""
    var diagnostics: [Diagnostic]
    var sources: [String: SourceFile] = [:]
    if name.hasSuffix(".rules") {
      diagnostics = RuleCases.check(rules: text, path: name)
      sources[name] = SourceFile(path: name, text: text)
    } else if name.hasSuffix(".test") {
      diagnostics = RuleCases.check(test: text, path: name)
      sources[name] = SourceFile(path: name, text: text)
    } else if name.hasSuffix(".rubric") {
      diagnostics = RubricParser.parse(path: name, text: text).1
      sources[name] = SourceFile(path: name, text: text)
    } else {
      let loader = InMemorySourceLoader(files)
      let (guide, found) = GuideChecker.parseAndCheck(path: name, text: text, loader: loader)
      diagnostics = found
      for file in guide.files { sources[file.path] = file }
    }
    let renderer = DiagnosticRenderer(colored: false, showsSource: true)
    let output =
      renderer.render(all: diagnostics, sources: sources)
      + DiagnosticRenderer.summary(of: diagnostics, files: 1) + "\n"
    return (output, diagnostics)
  }

  @Test(arguments: cases)
  func renderedOutputMatches(name: String) {
    let (output, diagnostics) = Self.render(name)
    let code = String(name.prefix(4))
    #expect(diagnostics.contains { $0.code.rawValue == code }, "\(name) does not trigger \(code)")
    let stem = name.split(separator: ".").dropLast().joined(separator: ".")
    let expected = Self.folder.appendingPathComponent(stem + ".expected")
    assertSnapshot(output, at: expected)
  }

  @Test func everyCodeHasACase() {
    let covered = Set(Self.cases.map { String($0.prefix(4)) })
    for code in DiagnosticCode.allCases where !covered.contains(code.rawValue) {
      Issue.record("no case in Cases/diagnostics triggers \(code.rawValue) (\(code.title))")
    }
  }

  @Test func messagesFollowTheHouseStyle() {
    for name in Self.cases {
      for diagnostic in Self.render(name).1 {
        let message = diagnostic.message
        #expect(message.first?.isUppercase != true || message.hasPrefix("TODO"), "\(message)")
        #expect(!message.hasSuffix("."), "message ends with a period: \(message)")
      }
    }
  }
}

/// `docs/diagnostics.md` explains every code with a guide, rule file (```rules), rule test
/// file (```ruletest) or rubric (```rubric) that triggers it.
@Suite("Diagnostics, documented")
struct DiagnosticDocumentationTests {
  /// The example under each `## Gnnn` heading of the document, with its kind.
  static func examples() -> [String: (kind: String, text: String)] {
    let url = repositoryRoot().appendingPathComponent("docs/diagnostics.md")
    let text = String(
      decoding: FileManager.default.contents(atPath: url.path) ?? Data(), as: UTF8.self)
    var examples: [String: (kind: String, text: String)] = [:]
    var code: String?
    var block: [Substring]?
    var kind = ""
    for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
      if line.hasPrefix("## G"), line.count >= 7 {
        code = String(line.dropFirst(3).prefix(4))
      } else if block == nil, ["```guide", "```rules", "```ruletest", "```rubric"].contains(line) {
        block = []
        kind = String(line.dropFirst(3))
      } else if line.hasPrefix("```"), let lines = block {
        if let code, examples[code] == nil {
          examples[code] = (kind, lines.joined(separator: "\n") + "\n")
        }
        block = nil
      } else if block != nil {
        block?.append(line)
      }
    }
    return examples
  }

  @Test func everyCodeIsDocumentedWithAnExampleThatTriggersIt() {
    let examples = Self.examples()
    for code in DiagnosticCode.allCases {
      guard let (kind, example) = examples[code.rawValue] else {
        Issue.record(
          "docs/diagnostics.md has no '## \(code.rawValue)' section with a guide example")
        continue
      }
      let extra = ["common/extra.guide": "title: Not allowed here\n? extra: Anything else?\n"]
      let diagnostics: [Diagnostic]
      switch kind {
      case "rules":
        diagnostics = RuleCases.check(rules: example, path: "example.rules")
      case "ruletest":
        diagnostics = RuleCases.check(test: example, path: "example.test")
      case "rubric":
        diagnostics = RubricParser.parse(path: "example.rubric", text: example).1
      default:
        diagnostics =
          GuideChecker.parseAndCheck(
            path: "example.guide", text: example, loader: InMemorySourceLoader(extra)
          ).diagnostics
      }
      #expect(
        diagnostics.contains { $0.code == code },
        "the example for \(code.rawValue) does not trigger it; it gives \(diagnostics.map(\.code.rawValue))"
      )
    }
  }
}
