import Foundation
import GembaTestSupport
import Testing

@testable import GembaCore

/// Golden pictures of small guides in both formats, and the default guides through Graphviz.
@Suite("Graph renderer")
struct GraphRendererTests {
  static let folder = casesFolder("graph")
  static let files = filesIn(folder)
  static let cases = files.keys.filter { $0.hasSuffix(".guide") }.sorted()

  static func picture(_ name: String, text: String, as format: GraphRenderer.Format) -> String {
    let (guide, diagnostics) = GuideChecker.parseAndCheck(path: name, text: text)
    let errors = diagnostics.filter { $0.severity == .error }
    #expect(errors.isEmpty, "\(name) has errors: \(errors.map(\.message))")
    return GraphRenderer.render(guide, analysis: FlowAnalyzer.analyze(guide), as: format)
  }

  @Test(arguments: cases)
  func dotMatchesItsSnapshot(name: String) {
    let dot = Self.picture(name, text: Self.files[name] ?? "", as: .dot)
    assertSnapshot(dot, at: Self.folder.appendingPathComponent(Self.stem(name) + ".dot"))
  }

  @Test(arguments: cases)
  func mermaidMatchesItsSnapshot(name: String) {
    let mermaid = Self.picture(name, text: Self.files[name] ?? "", as: .mermaid)
    assertSnapshot(mermaid, at: Self.folder.appendingPathComponent(Self.stem(name) + ".mmd"))
  }

  private static func stem(_ name: String) -> String { String(name.dropLast(".guide".count)) }

  // MARK: What the snapshots are meant to show

  private static let hostile = picture(
    "hostile.guide", text: files["hostile.guide"] ?? "", as: .dot)
  private static let hostileMermaid = picture(
    "hostile.guide", text: files["hostile.guide"] ?? "", as: .mermaid)

  @Test func theCasesCoverWhatTheyClaim() {
    #expect(Self.cases.contains("hostile.guide"))
    // A branch (an option's jump), a conditional jump, an unreachable question and section.
    #expect(Self.hostile.contains("q_route -> q_l [label=\"left\""))
    #expect(Self.hostile.contains("label=\"score > 10 and not (route is\\nleft)\""))
    #expect(Self.hostile.contains("q_lost [label=\"lost\\nyesno\", color=\"#c62828\""))
    #expect(Self.hostileMermaid.contains("class q_lost,q_o unreachable"))
  }

  @Test func dotLabelsCannotCloseTheirQuotes() {
    for line in Self.hostile.split(separator: "\n") {
      var inQuotes = false
      var escaped = false
      for character in line {
        if escaped {
          escaped = false
        } else if character == "\\" {
          escaped = inQuotes
        } else if character == "\"" {
          inQuotes.toggle()
        }
      }
      #expect(!inQuotes, "unbalanced quotes in: \(line)")
    }
    #expect(Self.hostile.contains(#"Say \"hi\" &amp; <b>bye</b>"#))
  }

  @Test func mermaidLabelsHoldNoSyntax() {
    for line in Self.hostileMermaid.split(separator: "\n") {
      // Inside a label only the entity codes' own '#' and ';' may appear, and no quote.
      for label in Self.quoted(in: String(line)) {
        for forbidden in ["\"", "|", "[", "]", "{", "}", "%", "$", "`", "&", "\\"] {
          #expect(!label.contains(forbidden), "'\(forbidden)' in label \(label)")
        }
        #expect(!label.replacingOccurrences(of: "<br>", with: "").contains("<"))
      }
    }
  }

  /// The text between each pair of double quotes on `line`.
  private static func quoted(in line: String) -> [String] {
    let parts = line.split(separator: "\"", omittingEmptySubsequences: false)
    return stride(from: 1, to: parts.count, by: 2).map { String(parts[$0]) }
  }

  @Test func mermaidIdsAreSafeIdentifiers() {
    // Bare, these ids would be Mermaid keywords, or 'o' and 'x' that end an arrow.
    let guide = "title: T\n\n# A\n? o: Oh?\n? x: Ex?\n? style: Style?\n? subgraph: Sub?\n"
    let mermaid = Self.picture("ids.guide", text: guide, as: .mermaid)
    #expect(mermaid.contains("q_o(\"o<br>text\")"))
    #expect(mermaid.contains("q_o --> q_x"))
    #expect(mermaid.contains("q_x --> q_style"))
    #expect(mermaid.contains("q_style --> q_subgraph"))
  }

  // MARK: The default guides through Graphviz

  static let dotPath: String? = {
    let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
    return path.split(separator: ":").map { "\($0)/dot" }.first {
      FileManager.default.isExecutableFile(atPath: $0)
    }
  }()

  @Test(
    .enabled(
      if: dotPath != nil,
      "Graphviz 'dot' is not installed (apt-get install graphviz, or make setup); skipped"),
    arguments: ["customer-purpose", "jtbd-switch"])
  func graphvizDrawsTheDefaultGuide(name: String) throws {
    let url = repositoryRoot().appendingPathComponent("scripts/\(name).guide")
    let text = try String(contentsOf: url, encoding: .utf8)
    let dot = Self.picture("\(name).guide", text: text, as: .dot)
    let (status, errors) = try Self.runDot(dot)
    #expect(status == 0, "dot -Tsvg failed on \(name): \(errors)")
    #expect(errors.isEmpty, "dot -Tsvg warned on \(name): \(errors)")
  }

  @Test(.enabled(if: dotPath != nil, "Graphviz 'dot' is not installed; skipped"))
  func graphvizDrawsTheHostileGuide() throws {
    let (status, errors) = try Self.runDot(Self.hostile)
    #expect(status == 0, "dot -Tsvg failed: \(errors)")
  }

  private static func runDot(_ source: String) throws -> (Int32, String) {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: dotPath ?? "/usr/bin/dot")
    process.arguments = ["-Tsvg", "-o", "/dev/null"]
    let input = Pipe()
    let errors = Pipe()
    process.standardInput = input
    process.standardError = errors
    try process.run()
    input.fileHandleForWriting.write(Data(source.utf8))
    try input.fileHandleForWriting.close()
    let message = errors.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return (process.terminationStatus, String(decoding: message, as: UTF8.self))
  }
}
