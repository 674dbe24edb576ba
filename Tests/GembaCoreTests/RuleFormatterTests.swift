import Foundation
import GembaTestSupport
import Testing

@testable import GembaCore

@Suite("Rule formatter")
struct RuleFormatterTests {
  private func format(_ text: String) -> String? {
    try? RuleFormatter.format(text, path: "t.rules").get()
  }

  private func meaning(_ text: String) -> String {
    GuideMeaning.describe(rules: RuleParser.parse(path: "t.rules", text: text).file)
  }

  /// Every rule file shipped in scripts/.
  static let shipped: [String] = {
    let folder = repositoryRoot().appendingPathComponent("scripts")
    let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
    return names.filter { $0.hasSuffix(".rules") }.sorted()
  }()

  @Test(arguments: shipped)
  func shippedRulesAreFormattedAndKeepTheirMeaning(name: String) throws {
    let url = repositoryRoot().appendingPathComponent("scripts").appendingPathComponent(name)
    let text = try String(contentsOf: url, encoding: .utf8)
    let formatted = try #require(format(text))
    #expect(meaning(formatted) == meaning(text))
    #expect(format(formatted) == formatted, "formatting twice changes nothing")
    #expect(formatted == text, "\(name) is not formatted; run 'gemba fmt scripts/'")

    // Every indentation doubled, spaces after colons and at line ends: the layout undoes it.
    var scrambled = ""
    for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
      let indent = line.prefix(while: { $0 == " " }).count
      var body = String(line.dropFirst(indent))
      if line.hasPrefix("rule "), let colon = body.firstIndex(of: ":") {
        body.replaceSubrange(colon...colon, with: " :  ")
      } else if indent == 2, !body.hasPrefix("//"), let colon = body.firstIndex(of: ":") {
        body.replaceSubrange(colon...colon, with: ":   ")
      }
      scrambled += String(repeating: " ", count: indent * 2) + body + (indent > 0 ? "  \n" : "\n")
      if line.isEmpty { scrambled += "\n" }
    }
    let unscrambled = try #require(format(scrambled))
    #expect(unscrambled == text)
  }

  @Test func fieldsTakeTheirOrderWithTheirCommentsAndConditions() throws {
    let messy = """
      title:  T
      rule   r :  Do it
          due:   +7d
          // why it fires
          when any:
                a is answered
                all:
                     b is answered
                     c is answered
          propose:  Do it now
          phase:  do
          because: reasons
          source: a book
      rule s: Two
        phase: plan
        when: a is answered
        propose: p
        because: b
        source: s
      """
    let expected = """
      title: T

      rule r: Do it
        phase: do
        // why it fires
        when any:
          a is answered
          all:
            b is answered
            c is answered
        propose: Do it now
        because: reasons
        source: a book
        due: +7d

      rule s: Two
        phase: plan
        when: a is answered
        propose: p
        because: b
        source: s

      """
    let formatted = try #require(format(messy))
    #expect(formatted == expected)
    #expect(meaning(formatted) == meaning(messy))
  }

  @Test func aRuleFileWithErrorsIsLeftAlone() {
    guard
      case .failure(.syntaxErrors(let diagnostics)) = RuleFormatter.format(
        "title: T\nrule r: R\n  phase: sometime\n", path: "t.rules")
    else {
      Issue.record("an error must stop formatting")
      return
    }
    #expect(diagnostics.first?.range.start.line == 3)
  }
}
