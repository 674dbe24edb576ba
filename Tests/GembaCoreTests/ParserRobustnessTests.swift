import Foundation
import GembaTestSupport
import Testing

@testable import GembaCore

/// Random and mutated guides never crash the parser, the checker, the flow analysis or the
/// renderer, and every diagnostic points inside its file.
@Suite("Parser robustness")
struct ParserRobustnessTests {
  static let fragments = [
    "? ", "# ", "->", "-> end", "(", ")", "{", "}", "{{", "?", "#", ":", "\t", "\"", "/", "...",
    "if: ", " is ", " not ", " and ", " or ", "é", "東京", "😀", "\r", "\u{0}", "\u{1B}[2J", "  ",
    "- ", "set ", "include: ", "tags: ", "probe: ", "was: ", "(choice)", "(assess 0...3)",
    "(number 1...)", " mentions ", " matches /(a/", "#push", "count(", "[", "]", ",", "-1", "0.5",
    "2026-02-30", "\n", "\n  ", "title: x\n", "//", "TODO", "(before)", "(after, 5 min)",
  ]

  static func mutate(_ text: String, using generator: inout SeededRandom) -> String {
    var characters = Array(text)
    for _ in 0..<Int.random(in: 1...6, using: &generator) {
      guard !characters.isEmpty else { break }
      let at = Int.random(in: 0..<characters.count, using: &generator)
      switch Int.random(in: 0..<5, using: &generator) {
      case 0:
        let length = Int.random(in: 1...min(40, characters.count - at), using: &generator)
        characters.removeSubrange(at..<(at + length))
      case 1:
        let fragment = fragments.randomElement(using: &generator) ?? ""
        characters.insert(contentsOf: Array(fragment), at: at)
      case 2:
        let length = Int.random(in: 1...min(80, characters.count - at), using: &generator)
        let copy = characters[at..<(at + length)]
        let to = Int.random(in: 0...characters.count, using: &generator)
        characters.insert(contentsOf: copy, at: to)
      case 3:
        characters = Array(characters[..<at])
      default:
        characters[at] = Character(
          Unicode.Scalar(UInt8.random(in: 0...127, using: &generator)))
      }
    }
    return String(characters)
  }

  static func randomGuide(using generator: inout SeededRandom) -> String {
    var text = ""
    for _ in 0..<Int.random(in: 0...60, using: &generator) {
      let count = Int.random(in: 1...6, using: &generator)
      for _ in 0..<count { text += fragments.randomElement(using: &generator) ?? "" }
      text +=
        ["a", "b", "q1", "focus", "growth", "A", "Debrief", "x"].randomElement(
          using: &generator) ?? ""
      text += "\n"
    }
    return text
  }

  static func exercise(_ text: String) {
    let files = ["other.guide": "# Other\n? other: Other?\ninclude: test.guide\n"]
    let (guide, diagnostics) = GuideChecker.parseAndCheck(
      path: "test.guide", text: text, loader: InMemorySourceLoader(files))
    var sources: [String: SourceFile] = [:]
    for file in guide.files { sources[file.path] = file }
    for diagnostic in diagnostics {
      let start = diagnostic.range.start
      guard let file = sources[start.path] else {
        Issue.record("diagnostic in unknown file \(start.path)")
        continue
      }
      #expect(start.line >= 1 && start.line <= file.lineStarts.count, "\(diagnostic.message)")
      #expect(start.column >= 1, "\(diagnostic.message)")
      #expect(start.column <= file.lineText(start.line).utf8.count + 1, "\(diagnostic.message)")
    }
    _ = DiagnosticRenderer(colored: true).render(all: diagnostics, sources: sources)
    _ = FlowAnalyzer.analyze(guide)
  }

  static func defaultGuides() -> [String] {
    ["customer-purpose.guide", "jtbd-switch.guide"].map { name in
      let url = repositoryRoot().appendingPathComponent("scripts").appendingPathComponent(name)
      return (try? String(contentsOf: url, encoding: .utf8)) ?? ""
    }
  }

  @Test(arguments: 0..<4)
  func mutatedDefaultGuidesNeverCrash(seed: Int) {
    var generator = SeededRandom(seed: UInt64(seed) &* 7919)
    for text in Self.defaultGuides() {
      #expect(!text.isEmpty)
      for _ in 0..<100 {
        Self.exercise(Self.mutate(text, using: &generator))
      }
    }
  }

  @Test(arguments: 0..<4)
  func randomGuidesNeverCrash(seed: Int) {
    var generator = SeededRandom(seed: UInt64(seed) &+ 1000)
    for _ in 0..<300 {
      Self.exercise(Self.randomGuide(using: &generator))
    }
  }

  @Test func randomExpressionsNeverCrash() {
    var generator = SeededRandom(seed: 42)
    for _ in 0..<3000 {
      var text = ""
      for _ in 0..<Int.random(in: 1...8, using: &generator) {
        text += Self.fragments.randomElement(using: &generator) ?? ""
        text += ["a", "1", "\"x\"", "#t", "(", ")", " "].randomElement(using: &generator) ?? ""
      }
      _ = ExpressionParser.parse(
        Substring(text), at: SourceLocation(path: "t", line: 1, column: 1))
    }
  }
}
