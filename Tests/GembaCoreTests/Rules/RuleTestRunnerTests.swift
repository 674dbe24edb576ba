import Testing

@testable import GembaCore

@Suite("Rules, rule tests")
struct RuleTestRunnerTests {
  static let rules = RuleSet([
    RuleParser.parse(
      path: "small.rules",
      text: """
        rule pilot: Anxiety in choosing
          phase: do
          when: anxiety_where is in_choice
          propose: Propose a pilot
          because: a pilot makes the choice small
          source: METHOD.md §2
        rule habit: Habit tagged
          phase: check
          when: count(#habit) >= 3
          propose: Probe the habit
          because: habit is strong
          source: METHOD.md §2
        rule never-tested: Never tested
          phase: plan
          when: push >= 3
          propose: Plan something
          because: b
          source: s
        """
    ).file
  ])

  static func run(_ text: String) -> RuleTestRunner.Report {
    let parsed = RuleTestParser.parse(path: "small.test", text: text)
    #expect(parsed.diagnostics.isEmpty, "\(parsed.diagnostics.map(\.message))")
    return RuleTestRunner.run(parsed.file, rules: rules, guides: RuleFixtures.guides)
  }

  @Test func passingTestsAndTheRulesNoTestFires() {
    let report = Self.run(
      """
      guide: jtbd-switch

      test: Anxiety in choosing
        given anxiety: 2
        given anxiety_where: in choosing
        fires: pilot
        proposes: a PILOT
        does not propose: demo

      test: Habit from the guide and from live tags
        given habit: 2
        given habit_quote: I'll just keep it
        given deciding: It felt safer to wait
        tag deciding: #habit
        skip first_use: not reached
        fires: habit
        does not fire: pilot
      """)
    #expect(report.tests == 2)
    #expect(report.unfired == ["never-tested"])
    #expect(
      report.checks.filter { !$0.passed }.map(\.name) == ["rule 'never-tested' fires in some test"])
    #expect(report.passed == 5)
  }

  @Test func aFailingTestShowsTheWhyTree() throws {
    let report = Self.run(
      """
      guide: jtbd-switch

      test: Anxiety in use is not a reason for a pilot
        given anxiety: 2
        given anxiety_where: in_use
        fires: pilot
        proposes: onboarding
      """)
    let failures = report.checks.filter { !$0.passed }
    let fires = try #require(failures.first)
    #expect(fires.name == "Anxiety in use is not a reason for a pilot: fires: pilot")
    #expect(
      fires.detail
        == """
        why 'pilot' did not fire: Anxiety in choosing (do, priority 50)
          false  when anxiety_where is in_choice — anxiety_where = in_use
          => its condition is false

        """)
    #expect(failures[1].detail == "  no proposals\n")
  }

  @Test func aTestWhoseGuideCannotBeFoundFails() {
    let parsed = RuleTestParser.parse(
      path: "small.test", text: "test: Somewhere\n  guide: nowhere\n  fires: pilot\n")
    let report = RuleTestRunner.run(parsed.file, rules: Self.rules, guides: RuleFixtures.guides)
    #expect(report.checks.first?.passed == false)
    #expect(report.checks.first?.name == "Somewhere: cannot run")
  }

  @Test func theRulesFileDefaultsToTheOneOfTheSameName() {
    let parsed = RuleTestParser.parse(path: "scripts/next-steps.test", text: "")
    #expect(parsed.file.rulePaths == ["scripts/next-steps.rules"])
    let named = RuleTestParser.parse(path: "a/t.test", text: "rules: ../b.rules, c.rules\n")
    #expect(named.file.rulePaths == ["b.rules", "a/c.rules"])
  }

  @Test func theDefaultRulesPassTheirTests() {
    let parsed = RuleTestParser.parse(
      path: "next-steps.test", text: RuleFixtures.read("next-steps.test"))
    #expect(parsed.diagnostics.isEmpty)
    let rules = RuleSet([RuleFixtures.defaultRules])
    #expect(RuleTestRunner.check(parsed.file, rules: rules, guides: RuleFixtures.guides).isEmpty)
    let report = RuleTestRunner.run(parsed.file, rules: rules, guides: RuleFixtures.guides)
    let failed = report.checks.filter { !$0.passed }
    #expect(failed.isEmpty, "\(failed.map { "\($0.name)\n\($0.detail ?? "")" })")
    #expect(report.unfired.isEmpty)
    #expect(rules.rules.count >= 17)
    // Every phase, and every kind of act, is covered.
    #expect(Set(rules.rules.compactMap(\.phase)) == Set(Phase.allCases))
    #expect(Set(rules.rules.compactMap(\.act)) == Set(ActKind.allCases))
    // Every rule cites its source in METHOD.md.
    #expect(rules.rules.allSatisfy { $0.source?.contains("METHOD.md") == true })
  }
}
