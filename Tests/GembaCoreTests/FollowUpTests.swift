import GembaCore
import Testing

@Suite("Promises and the follow-up Check part")
struct PromiseDraftTests {
  static let today = Day(iso: "2026-11-26") ?? Day.fromOrdinal(0)

  @Test(arguments: [
    ("Anna (customer) sends a week of call logs by Friday 4 December", "customer", "2026-12-04"),
    ("We (Dana) visit the Hamburg site on 9 December", "us", "2026-12-09"),
    ("Both of us run a pilot from 2027-01-15", "both", "2027-01-15"),
    ("They call back in March 3rd", "customer", "2027-03-03"),
    ("A workshop, date to be agreed", "us", "next meeting"),
  ])
  func aNextStepGuessesItsOwnerAndDateFromItsWords(text: String, owner: String, due: String) {
    let draft = PromiseDraft.nextStep(text, question: "next_step_1", today: Self.today)
    #expect(draft.owner.rawValue == owner)
    #expect(draft.due == due)
    #expect(draft.answer == .yes)
  }

  @Test func aReplyChangesAnyTermInAnyOrder() {
    var draft = PromiseDraft.nextStep("We visit", question: "next_step_1", today: Self.today)
    #expect(draft.apply(reply: "", today: Self.today) == nil)
    #expect(draft.terms == "us · by next meeting · yes")
    #expect(draft.apply(reply: "+2w customer", today: Self.today) == nil)
    #expect(draft.terms == "customer · by 2026-12-10 · yes")
    #expect(draft.apply(reply: "both, yes if the owner agrees", today: Self.today) == nil)
    #expect(draft.terms == "both · by 2026-12-10 · yes-if the owner agrees")
    #expect(draft.apply(reply: "no next meeting", today: Self.today) == nil)
    #expect(draft.terms == "both · by next meeting · no")
    #expect(
      draft.apply(reply: "if", today: Self.today)?.contains("what the yes depends on") == true)
    #expect(draft.apply(reply: "soonish", today: Self.today)?.contains("soonish") == true)
  }

  @Test func spansAndWeekdaysCountFromTheMeetingsDay() {
    // 2026-11-26, the meeting's day, is a Thursday.
    let within = PromiseDraft.nextStep(
      "We send the plan within two weeks", question: "next_step_1", today: Self.today)
    #expect(within.due == "2026-12-10")
    let tuesday = PromiseDraft.nextStep(
      "Anna (customer) calls us next Tuesday", question: "next_step_1", today: Self.today)
    #expect(tuesday.due == "2026-12-01")
    let thursday = PromiseDraft.nextStep(
      "We visit on Thursday", question: "next_step_1", today: Self.today)
    #expect(thursday.due == "2026-12-03", "a weekday named on that day is a week on")
    var draft = PromiseDraft.nextStep("We visit", question: "next_step_1", today: Self.today)
    #expect(draft.apply(reply: "by friday", today: Self.today) == nil)
    #expect(draft.due == "2026-11-27")
    #expect(draft.apply(reply: "next tue customer", today: Self.today) == nil)
    #expect(draft.terms == "customer · by 2026-12-01 · yes")
    #expect(draft.apply(reply: "within 10 days", today: Self.today) == nil)
    #expect(draft.due == "2026-12-06")
    let maybe = draft.apply(reply: "by friday maybe", today: Self.today)
    #expect(maybe?.contains("'maybe' is not an answer") == true)
    #expect(maybe?.contains("if the budget is approved") == true)
    #expect(draft.apply(reply: "soonish", today: Self.today)?.contains("2026-12-03") == true)
  }

  @Test func aPromiseEventReadsBackAsTheSamePromise() {
    var draft = PromiseDraft.nextStep("We visit {site}", question: "next_step_2", today: Self.today)
    draft.replaces = "abc#3"
    let promise = draft.record(interview: "xyz", number: 2, made: "2026-11-26")
    let event = promise.event(at: Moment(t: "2026-11-26T10:00:00.000Z", ms: 5))
    #expect(PromiseRecord(event: event, interview: "xyz", made: "2026-11-26") == promise)
    #expect(promise.ref == "xyz#2")
  }

  @Test func theCheckPartGoesBeforeTheFirstCustomerSectionAndChecksClean() throws {
    let source = """
      title: Tiny
      # Before (before)
      ? expect: What do I expect?
      # Talk (customer)
      ? goal: What is the goal?
      # After (after)
      ? lesson: What did I learn?
      """
    let promise = PromiseRecord(
      interview: "abc", number: 1, made: "2026-11-26", text: "Send {the} logs\nsoon",
      owner: .customer, due: "2026-12-04", answer: .yesIf, conditions: "they are anonymised")
    let followUp = FollowUp(asOf: "2026-12-10", promises: [promise])
    let text = FollowUpCheck.insert(followUp, into: source, path: "tiny.guide")
    let (guide, diagnostics) = GuideChecker.parseAndCheck(path: "tiny.guide", text: text)
    #expect(!diagnostics.hasErrors, "\(diagnostics.map(\.message))")
    #expect(guide.sections.map(\.title) == ["Before", FollowUpCheck.sectionTitle, "Talk", "After"])
    let first = try #require(guide.question("check_1_expected"))
    let prompt = first.prompt.render { "<\($0)>" }
    #expect(prompt.contains("\"Send {the} logs soon\" (by 2026-12-04, 6 days overdue; yes if"))

    // The facts read the Check part's answers.
    var state = InterviewState(guide: guide)
    var status = TranscriptEvent(.answer, t: "", ms: 1, q: "check_1_status")
    status.raw = "not_done"
    status.value = .choice("not_done")
    status.understood = true
    state.apply(status)
    let computed: [String: Value] = ["check_1_due": .date(Day(iso: "2026-12-04") ?? Self.today)]
    let facts = FollowUpFacts.values(
      slots: FollowUpFacts.slots(in: guide), state: state, computed: computed,
      today: Day(iso: "2026-12-10") ?? Self.today)
    #expect(facts["promises_checked"] == .number(1))
    #expect(facts["promises_not_done"] == .number(1))
    #expect(facts["promises_overdue"] == .number(1))
    #expect(facts["promises_done"] == .number(0))
  }

  @Test func accentsCaseAndSpacingMakeOneCustomer() {
    #expect(CustomerKey.make("Ação Müller & Söhne") == CustomerKey.make("acao muller & sohne"))
    #expect(CustomerKey.make("Ação Müller & Söhne") == CustomerKey.make("  ACAO  Muller Sohne"))
  }
}
