import Testing

@testable import GembaCore

@Suite("Rules, parser")
struct RuleParserTests {
  static func parse(_ text: String) -> RuleParseResult {
    RuleParser.parse(path: "t.rules", text: text)
  }

  @Test func aRuleWithEveryField() throws {
    let result = Self.parse(
      """
      // A comment before the header.
      title: Follow-ups
      version: 2.1
      author: Coaching team
      description: What to do next.
      applies to: jtbd-switch, customer-purpose.guide

      rule adopt-it: The pilot worked
        phase: act adopt
        priority: 65
        when all:
          hypothesis_check is supported
          any:
            push >= 2
            pull >= 2
        unless: struggle_found is none
        unless any:
          hypothesis is skipped
          tagged(#habit)
        propose: Standardise "{hypothesis}" {{as agreed}}
        because: It worked.
        source: METHOD.md §3
        owner: {next_step_1}
        due: +2w
        applies to: jtbd-switch
      """)
    #expect(result.diagnostics.isEmpty, "\(result.diagnostics.map(\.message))")
    let file = result.file
    #expect(file.title == "Follow-ups")
    #expect(file.version == "2.1")
    #expect(file.author == "Coaching team")
    #expect(file.description == "What to do next.")
    #expect(file.appliesTo.map(\.name) == ["jtbd-switch", "customer-purpose.guide"])
    let rule = try #require(file.rules.first)
    #expect(rule.id == "adopt-it")
    #expect(rule.title == "The pilot worked")
    #expect(rule.phase == .act)
    #expect(rule.act == .adopt)
    #expect(rule.phaseLabel == "act (adopt)")
    #expect(rule.priority == 65)
    guard case .all(let items, _)? = rule.when, items.count == 2, case .any(let inner, _) = items[1]
    else {
      Issue.record("expected 'all' with a nested 'any': \(String(describing: rule.when))")
      return
    }
    #expect(inner.count == 2)
    #expect(rule.unless.count == 2)
    if case .any(let blockers, _) = rule.unless[1] { #expect(blockers.count == 2) }
    #expect(rule.action?.references.map(\.id) == ["hypothesis"])
    #expect(
      rule.action?.render { "<\($0)>" } == "Standardise \"<hypothesis>\" {as agreed}")
    #expect(rule.because == "It worked.")
    #expect(rule.source == "METHOD.md §3")
    #expect(rule.owner?.references.map(\.id) == ["next_step_1"])
    #expect(rule.due?.due == .days(14))
    #expect(rule.appliesTo?.map(\.name) == ["jtbd-switch"])
  }

  @Test(arguments: [
    ("next meeting", Due.nextMeeting), ("Next  Meeting", .nextMeeting),
    ("this meeting", .thisMeeting), ("before leaving", .thisMeeting), ("+7d", .days(7)),
    ("+1 day", .days(1)), ("+3 weeks", .days(21)), ("+2w", .days(14)),
    ("2026-12-01", .date(Day(checkedYear: 2026, month: 12, day: 1))),
    ("{customer_step_date}", .answer("customer_step_date")),
  ])
  func dueForms(text: String, due: Due) {
    let result = Self.parse(
      "rule r: R\n  phase: do\n  when: push > 1\n  propose: P\n  because: B\n  source: S\n"
        + "  due: \(text)\n")
    #expect(result.diagnostics.isEmpty, "\(result.diagnostics.map(\.message))")
    #expect(result.file.rules.first?.due?.due == due)
  }

  /// Found by the rules fuzzer: a non-ASCII character inside `{…}` trapped converting it to a
  /// byte, instead of being reported as an unknown due.
  @Test(arguments: ["{é}", "{step_😀}", "{\u{FFFF}}"])
  func aDueNamingANonASCIIAnswerIsReported(text: String) {
    let result = Self.parse(
      "rule r: R\n  phase: do\n  when: push > 1\n  propose: P\n  because: B\n  source: S\n"
        + "  due: \(text)\n")
    #expect(result.diagnostics.map(\.code) == [.badDue])
    #expect(result.file.rules.first?.due == nil)
  }

  @Test func everyProblemIsReportedInOnePass() {
    let result = Self.parse(
      """
      title: Broken
      colour: blue

      rule 1st: First
        phase: later
        priority: 200
        when: push >>= 2
        propose: Unclosed {brace
        becuase: typo
        due: whenever

      rule second
        phase: act
        when all:
        propose: Something

      stray line
      \tphase: do
      """)
    let codes = result.diagnostics.map(\.code.rawValue)
    #expect(
      codes == [
        "G606", "G003", "G603", "G604", "G011", "G012", "G606", "G607", "G602", "G601", "G603",
        "G611", "G601", "G013", "G606", "G602",
      ], "\(result.diagnostics.map { "\($0.code.rawValue) \($0.message)" })")
    // Each in its place; a rule's missing fields are reported at its id once it is complete.
    let lines = result.diagnostics.map(\.range.start.line)
    #expect(lines == [2, 4, 5, 6, 7, 8, 9, 10, 4, 12, 13, 14, 17, 18, 18, 12])
  }

  @Test func groupsCloseAtTheirIndentation() throws {
    let result = Self.parse(
      """
      rule r: R
        phase: check
        when any:
          a is answered
          all:
            b is answered
            c is answered
          d is answered
        propose: P
        because: B
        source: S
      """)
    #expect(result.diagnostics.isEmpty)
    guard case .any(let items, _)? = result.file.rules.first?.when else {
      Issue.record("expected 'any'")
      return
    }
    #expect(items.count == 3)
    if case .all(let inner, _) = items[1] { #expect(inner.count == 2) }
  }

  @Test func aFieldIndentedUnderAGroupIsNamedAsSuch() {
    let result = Self.parse(
      """
      rule r: R
        phase: check
        when all:
          a is answered
          propose: P
        because: B
      """)
    #expect(result.diagnostics.contains { $0.message.contains("'propose:' is indented") })
  }

  @Test func theActKindsAreChecked() {
    for (phase, code) in [
      ("adopt", "G603"), ("act maybe", "G603"), ("plan adopt", "G603"), ("do extra", "G603"),
    ] {
      let result = Self.parse(
        "rule r: R\n  phase: \(phase)\n  when: a is answered\n  propose: P\n  because: B\n"
          + "  source: S\n")
      #expect(result.diagnostics.map(\.code.rawValue) == [code], "\(phase)")
    }
  }

  @Test func positionsPointAtTheProblem() throws {
    let result = Self.parse("rule r: R\n  phase: do\n  when: push >= 2 && pull > 1\n")
    let syntax = try #require(result.diagnostics.first { $0.code == .expressionSyntax })
    #expect(syntax.range.start.line == 3)
    #expect(syntax.range.start.column == 19)
    #expect(syntax.message == "write 'and' instead of '&'")
  }
}
