import Foundation
import GembaTestSupport
import Testing

@testable import GembaCore

@Suite("Rubric files")
struct RubricParserTests {
  static func codes(_ text: String) -> [String] {
    RubricParser.parse(path: "r.rubric", text: text).1.map {
      "\($0.range.start.line):\($0.code.rawValue)"
    }
  }

  @Test func aScaleWithTooManyLevelsSaysSoAndJudgesNoLevelAgainstAnother() {
    let text = """
      title: Mine
      scale: 0-20

      criterion a: A
        0: none
        15: some
        20: all

      """
    let (_, diagnostics) = RubricParser.parse(path: "r.rubric", text: text)
    #expect(diagnostics.map(\.code) == [.badScale])
    #expect(diagnostics.first?.message.contains("21 levels") == true)
    #expect(diagnostics.first?.message.contains("at most 11") == true)
  }

  @Test func aRubricWithoutAScaleJudgesNoLevel() {
    #expect(Self.codes("title: Mine\n\ncriterion a: A\n  7: seven\n") == ["1:G707"])
  }

  @Test(arguments: [
    ("0-10", true), ("1-11", true), ("0-11", false), ("3-1", false), ("0 - 3", true),
    ("a-b", false), ("3", false), ("-1-2", false),
  ])
  func scales(text: String, readable: Bool) {
    let read: Bool
    switch RubricParser.scale(text) {
    case .success: read = true
    case .failure: read = false
    }
    #expect(read == readable, "\(text)")
  }

  @Test func theShippedRubricHasNoProblems() throws {
    let url = repositoryRoot().appendingPathComponent("scripts/coaching.rubric")
    let text = try String(contentsOf: url, encoding: .utf8)
    let (rubric, diagnostics) = RubricParser.parse(path: url.path, text: text)
    #expect(diagnostics.isEmpty, "\(diagnostics.map(\.message))")
    #expect(rubric.scale == 0...3)
    #expect(!rubric.criteria.isEmpty)
  }
}
