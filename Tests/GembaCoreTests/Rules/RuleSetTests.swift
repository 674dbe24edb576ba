import Foundation
import Testing

@testable import GembaCore

@Suite("Rules, proposals")
struct RuleSetTests {
  static let cp = RuleFixtures.guide("customer-purpose")
  static let sw = RuleFixtures.guide("jtbd-switch")

  static func propose(
    _ rules: RuleSet, _ guide: Guide, answers: [(String, String)] = [], skips: [String] = [],
    tags: [(String, String)] = []
  ) -> [Proposal] {
    let state = RuleFixtures.interview(guide, answers: answers, skips: skips, tags: tags)
    return rules.propose(state: state, index: GuideIndex(guide, today: RuleTestRunner.defaultToday))
  }

  static let small = RuleFixtures.rules(
    """
    title: Small
    applies to: customer-purpose, jtbd-switch

    rule forces: Forces favour it
      phase: do
      priority: 40
      when: push + pull >= anxiety + habit + 2
      propose: Propose a trial
      because: push and pull outweigh the rest
      source: METHOD.md §2
      owner: us
      due: +7d

    rule visit: Go and see
      phase: check
      priority: 90
      when: hierarchy_step is not_started
      propose: Ask to go and see
      because: trust comes first
      source: METHOD.md §3
      due: next meeting

    rule also-visit: Not now
      phase: do
      priority: 95
      when: go_and_see is not_now
      propose: ask to GO and  see
      because: a visit builds trust
      source: METHOD.md §3
      owner: customer

    rule plan-it: Plan the next step
      phase: plan
      priority: 10
      when: hypothesis_check is one of [supported, contradicted]
      propose: Plan the next experiment after "{hypothesis}"
      because: a cycle is one hypothesis
      source: METHOD.md §3
      due: {customer_step_date}

    rule adapt-it: Adapt
      phase: act adapt
      priority: 60
      when: hypothesis_check is contradicted
      propose: Adapt the approach
      because: it did not work
      source: METHOD.md §3

    rule only-switch: Switch interviews only
      phase: check
      applies to: jtbd-switch
      when: hierarchy_step is not_started
      propose: Only in a switch interview
      because: the switch interview asks it
      source: METHOD.md §2
    """)

  @Test func aSkippedOrUnaskedQuestionNeverRaisesAndOnlyStateTestsAreTrueForIt() {
    let rules = RuleFixtures.rules(
      """
      rule a: A
        phase: check
        when: not (push > 1)
        propose: not above one
        because: b
        source: s
      rule b: B
        phase: check
        when: push > 1
        propose: above one
        because: b
        source: s
      rule c: C
        phase: check
        when: push is skipped
        propose: skipped
        because: b
        source: s
      rule d: D
        phase: check
        when: push + pull < 100
        propose: sum
        because: b
        source: s
      rule e: E
        phase: check
        when: habit_quote mentions "just" or habit_quote matches /x/ or length(habit_quote) >= 0
        propose: text
        because: b
        source: s
      rule f: F
        phase: check
        when: focus_that_does_not_exist is not answered
        propose: unknown
        because: b
        source: s
      """)
    let proposals = Self.propose(rules, Self.cp, answers: [("pull", "2")], skips: ["push"])
    #expect(proposals.map(\.text).sorted() == ["not above one", "skipped", "unknown"])
  }

  @Test func proposalsAreGroupedByPhaseInPDCAOrderHighestPriorityFirst() {
    let proposals = Self.propose(
      Self.small, Self.cp,
      answers: [
        ("push", "3"), ("pull", "3"), ("anxiety", "0"), ("habit", "1"),
        ("hierarchy_step", "not_started"), ("go_and_see", "not_now"),
        ("hypothesis", "Late vans"), ("hypothesis_check", "contradicted"),
        ("customer_owns_step", "yes"), ("customer_step_date", "2026-12-09"),
      ])
    #expect(proposals.map(\.phase) == [.plan, .do, .do, .act])
    #expect(
      proposals.map(\.text) == [
        "Plan the next experiment after \"Late vans\"", "ask to GO and  see", "Propose a trial",
        "Adapt the approach",
      ])
    // The same action from two rules is one proposal, with both reasons, strongest first.
    let visit = proposals[1]
    #expect(visit.rules == ["also-visit", "visit"])
    #expect(visit.priority == 95)
    #expect(visit.owner == "customer")
    #expect(visit.due == "next meeting")
    #expect(proposals[2].due == "2026-12-03 (+7d)")
    #expect(proposals[0].due == "2026-12-09")
    #expect(proposals[3].act == .adapt)
    #expect(proposals[3].phaseLabel == "act (adapt)")
    // A rule for the switch interview only does not apply to a customer-purpose interview.
    #expect(!proposals.contains { $0.rules.contains("only-switch") })
  }

  @Test func evidenceQuotesTheAnswersThatMadeEachConditionTrue() throws {
    let rules = RuleFixtures.rules(
      """
      rule workaround: A workaround
        phase: check
        when any:
          edges mentions any of ["spreadsheet", "by hand", "fax"]
          chase_us mentions "chase"
          all:
            push >= 2
            not (habit is answered)
        propose: Map the steps
        because: edges of use
        source: METHOD.md §2
      """)
    let proposals = Self.propose(
      rules, Self.cp,
      answers: [
        ("edges", "They copy it by hand into a spreadsheet"), ("chase_us", "never"), ("push", "2"),
      ])
    let reason = try #require(proposals.first?.reasons.first)
    #expect(
      reason.evidence.map(\.condition) == [
        "edges mentions \"spreadsheet\" and \"by hand\"", "push >= 2", "not (habit is answered)",
      ])
    #expect(
      reason.evidence.map { $0.answers.map(\.summary) } == [
        ["edges: \"They copy it by hand into a spreadsheet\""], ["push = 2"], ["habit: not asked"],
      ])
  }

  @Test func tagsFromTheGuideAndFromTheInterviewBothCount() {
    let rules = RuleFixtures.rules(
      """
      rule habit-heard: Habit heard
        phase: check
        when: count(#habit) >= 2
        propose: Probe the habit
        because: habit is strong
        source: METHOD.md §2
      rule live: Live tag
        phase: check
        when: tagged(#competitor)
        propose: Ask about the competitor
        because: named
        source: METHOD.md §6
      """)
    let plain = Self.propose(rules, Self.cp, answers: [("habit", "2")])
    #expect(plain.isEmpty)
    let tagged = Self.propose(
      rules, Self.cp, answers: [("habit", "2"), ("edges", "They use Acme")],
      tags: [("edges", "habit"), ("edges", "competitor")])
    #expect(tagged.map(\.text) == ["Probe the habit", "Ask about the competitor"])
    let evidence = tagged[1].reasons[0].evidence[0].answers.map(\.summary)
    #expect(evidence == ["#competitor edges: \"They use Acme\""])
  }

  @Test func aRuleWrittenBeforeARenameStillFires() {
    let guide = GuideParser.parse(
      path: "follow-up.guide", text: RuleCases.followUp
    ).guide
    let rules = RuleFixtures.rules(
      """
      rule old: Old id
        phase: do
        when: pull_score >= 2
        propose: Next step of the trial ({pull_score} of 3)
        because: the pull grew
        source: METHOD.md §2
      """)
    let state = RuleFixtures.interview(guide, answers: [("pull_now", "3")])
    let proposals = rules.propose(
      state: state, index: GuideIndex(guide, today: RuleTestRunner.defaultToday))
    #expect(proposals.map(\.text) == ["Next step of the trial (3 of 3)"])
  }

  @Test func interpolationShowsLabelsUnitsAndMissingAnswers() {
    let rules = RuleFixtures.rules(
      """
      rule r: R
        phase: plan
        when: relationship is answered
        propose: {relationship}; {hypothesis}; {push}
        because: b
        source: s
      """)
    let proposals = Self.propose(rules, Self.cp, answers: [("relationship", "existing")])
    #expect(proposals.first?.text == "An existing customer of ours; <hypothesis>; <push>")
  }

  @Test func theWhyTreeShowsWhatEachConditionSaw() throws {
    let state = RuleFixtures.interview(
      Self.cp, answers: [("push", "3"), ("pull", "1"), ("anxiety", "about half"), ("habit", "0")])
    let index = GuideIndex(Self.cp, today: RuleTestRunner.defaultToday)
    let explanation = try #require(Self.small.explain("forces", state: state, index: index))
    #expect(!explanation.fired)
    #expect(explanation.applies)
    let when = try #require(explanation.when)
    #expect(!when.value)
    #expect(
      when.seen == [
        "push = 3", "pull = 1", "anxiety: \"about half\" (not understood)", "habit = 0",
        "push + pull = 4", "anxiety + habit + 2 = no value",
      ])
    let other = try #require(Self.small.explain("only-switch", state: state, index: index))
    #expect(!other.applies)
    #expect(other.appliesTo == ["jtbd-switch"])
  }

  @Test func theTranscriptEventRecordsASuggestionWithTheRulesHash() throws {
    let proposals = Self.propose(
      Self.small, Self.cp, answers: [("hierarchy_step", "not_started"), ("go_and_see", "not_now")])
    let proposal = try #require(proposals.first)
    let event = proposal.event(
      at: Moment(t: "2026-11-26T10:00:00.000Z", ms: 5), rulesHash: Self.small.hash)
    #expect(event.type == .proposal)
    #expect(event.rule == "also-visit,visit")
    #expect(event.phase == "do")
    #expect(event.rulesHash == Self.small.hash)
    #expect(Self.small.hash.count == 64)
  }

  /// The live interview may ask after every answer: one interview against the default rules
  /// takes well under a millisecond in a release build. A debug build is far slower, so this
  /// only guards against something an order of magnitude off.
  @Test func oneInterviewIsQuick() {
    let rules = RuleSet([RuleFixtures.defaultRules])
    var answers: [(String, String)] = []
    for question in Self.sw.questions {
      switch question.kind {
      case .text: answers.append((question.id, "I'll just re-key it in a spreadsheet, usually"))
      case .choice: answers.append((question.id, question.options.last?.value ?? ""))
      case .scale: answers.append((question.id, "2"))
      default: answers.append((question.id, "no"))
      }
    }
    let state = RuleFixtures.interview(Self.sw, answers: answers)
    let index = GuideIndex(Self.sw, today: RuleTestRunner.defaultToday)
    let prepared = rules.prepared(for: index)
    _ = prepared.propose(state: state)
    let clock = ContinuousClock()
    let elapsed = clock.measure {
      for _ in 0..<20 { _ = prepared.propose(state: state) }
    }
    #expect(elapsed / 20 < .milliseconds(25), "\(elapsed / 20) per interview")
  }
}

@Suite("Rules, the API for the live interview")
struct RuleSessionTests {
  @Test func aSessionsProposalsSoFar() {
    let guide = RuleFixtures.guide("customer-purpose")
    var session = InterviewSession(guide: guide, today: RuleTestRunner.defaultToday)
    let rules = RuleSet([RuleFixtures.defaultRules])
    let moment = Moment(t: "2026-11-26T10:00:00.000Z", ms: 0)
    _ = session.presentNext(at: moment)
    _ = session.handle("I expect to hear about late deliveries", at: moment)
    let proposals = rules.propose(for: session)
    let same = rules.propose(
      state: session.state, guide: guide, today: RuleTestRunner.defaultToday)
    #expect(proposals.map(\.rules) == same.map(\.rules))
    // Nothing is known yet about performance: the rules already say to check first.
    #expect(proposals.contains { $0.rules.contains("check-first") })
  }
}
