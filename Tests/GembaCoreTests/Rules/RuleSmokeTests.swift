import Testing

@testable import GembaCore

@Suite("Rules, smoke")
struct RuleSmokeTests {
  @Test func defaultRulesCheckClean() {
    let (_, diagnostics) = RuleChecker.parseAndCheck(
      path: "next-steps.rules", text: RuleFixtures.read("next-steps.rules"),
      guides: RuleFixtures.guides)
    let renderer = DiagnosticRenderer(colored: false, showsSource: false)
    let text = diagnostics.map { renderer.headline($0) }.joined(separator: "\n")
    #expect(diagnostics.isEmpty, "\(text)")
    print(text)
  }
}
