import Foundation
import GembaTestSupport
import Testing

@testable import GembaCore

@Suite("Flow analysis")
struct FlowAnalyzerTests {
  private func codes(_ text: String) -> [String] {
    diagnose(text).map(\.code.rawValue)
  }

  private let debrief = "# Debrief (after)\n? push (assess 0...3): Push?\n"

  @Test func aLinearGuideIsClean() {
    #expect(
      codes(guide("# A\n? a: A?\n? b: You said {a}. B?\n  if: a is answered\n" + debrief)) == [])
  }

  @Test func exclusiveBranchesCannotSeeEachOther() {
    let text = guide(
      """
      # Start
      ? route (choice): Which way?
        - left: Left -> Left
        - right: Right -> Right
      # Left
      ? l: Left?
      -> Debrief
      # Right
      ? r: Right? You said {l}.
      # Debrief (after)
      ? push (assess 0...3): Push?
        if: l is answered or r is answered
      """)
    let found = diagnose(text)
    #expect(found.map(\.code) == [.referenceBeforeAsked])
    #expect(found.first?.range.start.line == 11)
  }

  @Test func aBranchThatMergesCanSeeBoth() {
    let text = guide(
      """
      # Start
      ? route (choice): Which way?
        - left: Left -> Left
        - right: Right
      # Right
      ? r: Right?
      # Left
      ? l: Left? {r}
        if: r is answered or route is left
      """ + "\n" + debrief)
    #expect(codes(text) == [])
  }

  @Test func aLoopWithAWayOutIsFine() {
    let text = guide(
      """
      # Story
      ? event: Tell me about the last time.
      ? more (yesno): Another one?
        -> Story if more
      """ + "\n" + debrief)
    #expect(codes(text) == [])
  }

  @Test func aQuestionsJumpMayTestItsOwnAnswer() {
    let text = guide("# A\n? ok (yesno): OK?\n  -> Debrief if ok is no\n? b: B?\n" + debrief)
    #expect(codes(text) == [])
  }

  @Test func earlierIdsCountAsTheQuestion() {
    let text = guide("# A\n? a: A?\n  was: old_a\n? b: B?\n" + debrief)
    let (parsed, _) = GuideChecker.parseAndCheck(path: "t", text: text)
    let result = FlowAnalyzer.analyze(parsed)
    #expect(result.graph.askedNode["old_a"] == result.graph.askedNode["a"])
  }

  @Test func aConstantConditionCutsItsBranch() {
    let text = guide(
      "# A\n? a: A?\n-> C if 1 > 2\n# B\n? b: B?\n-> Debrief\n# C\n? c: C?\n" + debrief)
    #expect(Set(codes(text)) == ["G505", "G502"])
  }

  @Test func jumpsWithinTheDebriefAreNotSkips() {
    let text = guide(
      "# A\n? a: A?\n# Debrief (after)\n? push (assess 0...3): Push?\n  -> end if push < 1\n"
        + "? quote: Quote them.")
    #expect(codes(text) == [])
  }

  @Test func bothDefaultGuidesAreClean() {
    for name in ["customer-purpose.guide", "jtbd-switch.guide"] {
      let url = repositoryRoot().appendingPathComponent("scripts").appendingPathComponent(name)
      let text = (try? String(contentsOf: url, encoding: .utf8)) ?? ""
      #expect(!text.isEmpty)
      let found = GuideChecker.parseAndCheck(path: name, text: text).diagnostics
      #expect(found.isEmpty, "\(name): \(found.map(\.message))")
    }
  }

  @Test func aDeepLinearGuideDoesNotOverflow() {
    var text = "title: Deep\n\n"
    for s in 0..<300 {
      text += "# S\(s)\n"
      for q in 0..<20 { text += "? q\(s)_\(q): Q?\n" }
    }
    #expect(diagnose(text).isEmpty)
  }
}
