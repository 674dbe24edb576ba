import Testing

@testable import GembaCore

@Suite("Rules, checks against the guides")
struct RuleCheckerTests {
  static func check(_ text: String, guides: [RuleGuide] = RuleCases.guides) -> [Diagnostic] {
    RuleChecker.parseAndCheck(path: "t.rules", text: text, guides: guides).diagnostics
  }

  static func rule(_ when: String, appliesTo: String? = nil, extra: String = "") -> String {
    """
    \(appliesTo.map { "applies to: \($0)\n" } ?? "")
    rule r: R
      phase: check
      when: \(when)
      propose: P
      because: B
      source: S
    \(extra)
    """
  }

  @Test func theDefaultRulesAreClean() {
    let diagnostics = RuleChecker.check([RuleFixtures.defaultRules], guides: RuleFixtures.guides)
    #expect(diagnostics.isEmpty, "\(diagnostics.map(\.message))")
  }

  @Test func aQuestionOfEitherGuideMayBeNamedWhenTheRuleAppliesToBoth() {
    #expect(
      Self.check(Self.rule("anxiety_where is in_choice and measures_kind is purpose")).isEmpty)
    let one = Self.check(Self.rule("anxiety_where is in_choice", appliesTo: "customer-purpose"))
    #expect(one.map(\.code) == [.unknownQuestion])
    #expect(one.first?.message.hasPrefix("unknown question or value 'anxiety_where'") == true)
  }

  @Test func unknownIdsAreNamedWithTheClosestOne() throws {
    let found = try #require(Self.check(Self.rule("hierarchy_stpe is not_started")).first)
    #expect(found.code == .unknownQuestion)
    #expect(found.message.contains("did you mean 'hierarchy_step'?"))
    #expect(found.fixIt == "hierarchy_step")
  }

  @Test func choiceValuesTheQuestionLacksAreReported() throws {
    let found = try #require(Self.check(Self.rule("struggle_found is datd")).first)
    #expect(found.code == .unknownChoiceValue)
    #expect(found.message.contains("did you mean 'dated'?"))
  }

  @Test func regularExpressionsThatDoNotCompileAreReported() {
    #expect(Self.check(Self.rule("edges matches /spread(sheet/")).map(\.code) == [.invalidRegex])
  }

  @Test func typesAreCheckedAsInGuides() {
    #expect(Self.check(Self.rule("push > \"high\"")).map(\.code) == [.typeMismatch])
    #expect(Self.check(Self.rule("struggle_found")).map(\.code) == [.notACondition])
    #expect(Self.check(Self.rule("tagged(#hobbit)")).map(\.code) == [.unknownTag])
  }

  @Test func interpolationsAndDueAnswersAreChecked() {
    let text = """
      rule r: R
        phase: check
        when: push >= 2
        propose: Quote {push_qoute} and {pull_quote}
        because: B
        source: S
        owner: {nobody}
        due: {customer_step_date}
      """
    let found = Self.check(text)
    #expect(found.map(\.code) == [.unknownQuestion, .unknownQuestion])
    #expect(found.first?.message.contains("did you mean 'push_quote'?") == true)
  }

  @Test func renamesAreFollowedWithAWarning() {
    let found = Self.check(Self.rule("pull_score >= 2", appliesTo: "follow-up"))
    #expect(found.map(\.code) == [.renamedQuestion])
    #expect(found.first?.severity == .warning)
  }

  @Test func duplicateIdsAcrossFilesAreReported() {
    let one = RuleParser.parse(path: "one.rules", text: Self.rule("push >= 2")).file
    let two = RuleParser.parse(path: "two.rules", text: Self.rule("pull >= 2")).file
    let found = RuleChecker.check([one, two], guides: RuleCases.guides)
    #expect(found.map(\.code) == [.duplicateRule])
    #expect(found.first?.range.start.path == "two.rules")
    #expect(found.first?.notes.first?.range?.start.path == "one.rules")
  }

  @Test func guidesAreNamedByMethodFileOrPath() {
    for name in ["jtbd-switch", "JTBD-Switch", "jtbd-switch.guide", "./jtbd-switch.guide"] {
      #expect(Self.check(Self.rule("anxiety_where is both", appliesTo: name)).isEmpty, "\(name)")
    }
    let unknown = Self.check(Self.rule("push >= 2", appliesTo: "jtbd"))
    #expect(unknown.map(\.code) == [.unknownGuide])
  }

  @Test(arguments: [
    "push > 3", "push >= 4", "push < 0", "3 < push", "push + pull > 6", "push - pull > 3",
    "push is answered and push is skipped", "push is skipped and push >= 1",
    "struggle_found is dated and struggle_found is none",
    "struggle_found is one of [dated, general] and struggle_found is none",
    "customer_owns_step and customer_owns_step is no", "push > 2 and push < 3 and push != 2.5",
    "edges mentions \"x\" and edges is not answered", "not (push is answered) and push = 2",
    "1 > 2", "no",
  ])
  func conditionsThatCanNeverBeTrueAreReported(condition: String) {
    let found = Self.check(Self.rule(condition))
    if condition == "push > 2 and push < 3 and push != 2.5" {
      // Between 2 and 3 there are numbers, even if a scale only takes whole ones: not reported.
      #expect(found.isEmpty)
      return
    }
    #expect(found.map(\.code) == [.ruleNeverFires], "\(found.map(\.message))")
  }

  @Test(arguments: [
    "push >= 3", "push + pull >= 6", "push is not skipped and push >= 1",
    "struggle_found is not dated and struggle_found is answered",
    "not (push >= 2) and push is answered", "push is skipped or push >= 2",
    "not (struggle_found is dated) and not (struggle_found is general)",
    "hierarchy_step is not answered", "push >= 2 and pull <= 1 and anxiety = 0",
    "pull >= 0",
  ])
  func conditionsThatCanBeTrueAreNotReported(condition: String) {
    let found = Self.check(Self.rule(condition)).filter { $0.code == .ruleNeverFires }
    #expect(found.isEmpty, "\(found.map(\.message))")
  }

  @Test func anUnlessThatAlwaysHoldsIsReported() {
    let text = Self.rule("struggle_found is none", extra: "  unless: struggle_found is answered")
    let found = Self.check(text)
    #expect(found.map(\.code) == [.ruleNeverFires])
    #expect(found.first?.message.contains("its 'unless' holds whenever its 'when' does") == true)
    let fine = Self.check(Self.rule("push >= 2", extra: "  unless: pull >= 2"))
    #expect(fine.isEmpty)
  }
}
