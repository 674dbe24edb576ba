import Foundation
import GembaTestSupport
import Testing

/// `gemba propose`, `gemba check` on rules and `gemba test` on rule tests, through the binary.
@Suite("gemba propose and rule tests, end to end")
struct ProposeCommandTests {
  static let cases = casesFolder("propose", target: "GembaCommandsTests")
  static let transcripts = "Tests/GembaCommandsTests/Cases/transcripts"

  static func golden(_ name: String, _ arguments: [String]) throws {
    let result = try BinaryRunner.run(arguments)
    #expect(result.status == 0, "\(result.stderr)")
    #expect(result.stderr.isEmpty, "\(result.stderr)")
    assertSnapshot(result.stdout, at: cases.appendingPathComponent(name))
  }

  @Test func proposalsForTheGoldenInterviewsAsText() throws {
    try Self.golden(
      "customer-purpose.txt", ["propose", "\(Self.transcripts)/customer-purpose.jsonl"])
    try Self.golden("jtbd-switch.txt", ["propose", "\(Self.transcripts)/jtbd-switch.jsonl"])
  }

  @Test func proposalsAsMarkdownAndJSON() throws {
    try Self.golden(
      "both.md",
      [
        "propose", "--format", "markdown", "\(Self.transcripts)/customer-purpose.jsonl",
        "\(Self.transcripts)/jtbd-switch.jsonl",
      ])
    let result = try BinaryRunner.run(
      ["propose", "--format", "json", "\(Self.transcripts)/jtbd-switch.jsonl"])
    #expect(result.status == 0)
    let reports = try #require(
      try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [[String: Any]])
    #expect(reports.count == 1)
    let proposals = try #require(reports.first?["proposals"] as? [[String: Any]])
    #expect(
      proposals.map { $0["phase"] as? String } == ["plan", "plan", "do", "check", "check", "act"])
    let reasons = try #require(proposals.first?["reasons"] as? [[String: Any]])
    #expect(reasons.first?["rule"] as? String == "onboarding")
    #expect((reasons.first?["evidence"] as? [[String: Any]])?.isEmpty == false)
  }

  @Test func whyAndWhyNotPrintTheEvaluationTree() throws {
    try Self.golden(
      "why-not-trial.txt",
      ["propose", "--why-not", "trial", "\(Self.transcripts)/jtbd-switch.jsonl"])
    try Self.golden(
      "why-demand-study.txt",
      ["propose", "--why", "demand-study", "\(Self.transcripts)/customer-purpose.jsonl"])
    try Self.golden(
      "why-demand-study-switch.txt",
      ["propose", "--why", "demand-study", "\(Self.transcripts)/jtbd-switch.jsonl"])
  }

  @Test func anUnknownRuleIsNamedWithTheClosestOne() throws {
    let result = try BinaryRunner.run(
      ["propose", "--why", "trail", "\(Self.transcripts)/jtbd-switch.jsonl"])
    #expect(result.status == 1)
    #expect(result.stderr.contains("no rule 'trail' in the rules; did you mean 'trial'?"))
  }

  @Test func proposalsAreNeverWrittenToTheTranscript() throws {
    let folder = try BinaryRunner.temporaryFolder()
    let source = BinaryRunner.repositoryRoot.appendingPathComponent(
      "\(Self.transcripts)/customer-purpose.jsonl")
    let copy = folder.appendingPathComponent("interview.jsonl")
    try FileManager.default.copyItem(at: source, to: copy)
    let before = try Data(contentsOf: copy)
    let result = try BinaryRunner.run(["propose", copy.path])
    #expect(result.status == 0)
    #expect(try Data(contentsOf: copy) == before)
  }

  @Test func ownRulesFromAFolder() throws {
    let folder = try BinaryRunner.temporaryFolder()
    try """
    title: Mine
    applies to: customer-purpose

    rule visit: Go and see
      phase: check
      when: go_and_see is answered
      propose: Confirm the visit: {go_and_see}
      because: a first meeting ends by going to see
      source: METHOD.md §3
    """.write(to: folder.appendingPathComponent("mine.rules"), atomically: true, encoding: .utf8)
    let transcript = BinaryRunner.repositoryRoot.appendingPathComponent(
      "\(Self.transcripts)/customer-purpose.jsonl"
    ).path
    let result = try BinaryRunner.run(["propose", "--rules", folder.path, transcript])
    #expect(result.status == 0, "\(result.stderr)")
    #expect(result.stdout.contains("1 proposal from 1 rules"))
    #expect(result.stdout.contains("Confirm the visit: "))
  }

  @Test func rulesWithErrorsProposeNothing() throws {
    let folder = try BinaryRunner.temporaryFolder()
    try "rule visit: Go\n  phase: check\n  when: go_and_se is answered\n  propose: P\n"
      .write(to: folder.appendingPathComponent("broken.rules"), atomically: true, encoding: .utf8)
    let result = try BinaryRunner.run(
      [
        "propose", "--rules", "broken.rules",
        BinaryRunner.repositoryRoot.appendingPathComponent(
          "\(Self.transcripts)/customer-purpose.jsonl"
        ).path,
      ], in: folder)
    #expect(result.status == 1)
    #expect(result.stdout.isEmpty)
    #expect(
      result.stderr.contains("broken.rules:3:9: error: unknown question or value 'go_and_se'"))
    #expect(result.stderr.contains("the rules have errors, so nothing is proposed"))
  }

  @Test func checkReportsRuleProblemsWithTheirPlace() throws {
    let folder = try BinaryRunner.temporaryFolder()
    try """
    rule trial: Trial
      phase: doo
      when: struggle_found is datd
      propose: P
      because: B
      source: S
    """.write(to: folder.appendingPathComponent("x.rules"), atomically: true, encoding: .utf8)
    let result = try BinaryRunner.run(["check", "--brief", "x.rules"], in: folder)
    #expect(result.status == 1)
    #expect(
      result.stdout
        == """
        x.rules:2:10: error: unknown phase 'doo' (the phases: plan, do, check, act adopt, act \
        adapt, act abandon); did you mean 'do'? [G603]
        x.rules:3:27: error: 'struggle_found' has no option 'datd'; did you mean 'dated'? (its \
        options: 'dated', 'general', 'none') [G202]
        1 file checked, 2 errors

        """)
  }

  @Test func aFailingRuleTestPrintsTheWhyTreeAndFails() throws {
    let folder = try BinaryRunner.temporaryFolder()
    try """
    title: Mine

    rule pilot: Anxiety in choosing
      phase: do
      when: anxiety_where is in_choice
      propose: Propose a pilot
      because: a pilot makes the choice small
      source: METHOD.md §2

    rule untested: Never tested
      phase: plan
      when: push >= 3
      propose: Plan
      because: b
      source: s
    """.write(to: folder.appendingPathComponent("mine.rules"), atomically: true, encoding: .utf8)
    try """
    guide: jtbd-switch

    test: Anxiety in use
      given anxiety: 2
      given anxiety_where: in_use
      fires: pilot

    test: Anxiety in choosing
      given anxiety: 2
      given anxiety_where: in_choice
      fires: pilot
    """.write(to: folder.appendingPathComponent("mine.test"), atomically: true, encoding: .utf8)
    let result = try BinaryRunner.run(["test", "mine.test", "mine.rules"], in: folder)
    #expect(result.status == 1)
    assertSnapshot(result.stdout, at: Self.cases.appendingPathComponent("failing-test.txt"))
  }

  @Test func theShippedRuleTestsPass() throws {
    let result = try BinaryRunner.run(["test", "scripts"])
    #expect(result.status == 0, "\(result.stdout)")
    #expect(result.stdout.contains("scripts/next-steps.test: "))
    #expect(result.stdout.hasSuffix(" passed, 0 failed\n"))
  }

  @Test func withNoScriptsFolderTheBuiltInRulesAreTested() throws {
    let folder = try BinaryRunner.temporaryFolder()
    let result = try BinaryRunner.run(["test"], in: folder)
    #expect(result.status == 0, "\(result.stdout)")
    #expect(result.stdout.contains("<built-in>/next-steps.test: "))
  }
}
