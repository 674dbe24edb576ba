import Foundation
import Testing

@testable import GembaCore

/// Drives a session the way the runner does: show, answer, store, show again.
struct SessionDriver {
  var session: InterviewSession
  var events: [TranscriptEvent] = []
  var shown: [String] = []
  var messages: [SessionMessage] = []
  private var clock = 0

  init(_ text: String) {
    let parsed = GuideParser.parse(path: "t.guide", text: text)
    session = InterviewSession(
      guide: parsed.guide, today: Day(checkedYear: 2026, month: 11, day: 26))
    show()
  }

  private mutating func moment() -> Moment {
    clock += 1000
    return Moment(t: "2026-11-26T14:00:00.000Z", ms: clock)
  }

  mutating func show() {
    let now = moment()
    if let (event, view) = session.presentNext(at: now) {
      events.append(event)
      shown.append(view.id)
    }
  }

  @discardableResult
  mutating func say(_ line: String) -> InterviewSession.Step {
    let step = session.handle(line, at: moment())
    events += step.events
    messages += step.messages
    show()
    return step
  }

  var current: String? { session.current }

  func answer(_ id: String) -> InterviewState.Answer? { session.state.answers[id] }
}

@Suite("Interview session")
struct InterviewSessionTests {
  static let guide = """
    title: T
    # Before (before)
    ? expect (required): What do I expect?
    # Purpose (customer, 10 min)
    ? purpose: What is your business for?
      probe: How would your customers put it?
      probe: Tell me about the last time.
      hint: Outcomes, not products.
      tags: purpose
    ? focus (choice): What matters more?
      - growth: Winning new customers -> Growth
      - service: Keeping the ones you have
    ? service_q: How do you keep them?
    -> Debrief
    # Growth (customer)
    ? growth_q: You said {purpose}. How would you know you are winning?
    ? staff (number 0... people): How many people?
      constraint: . < 1000
      message: that is a lot; check the unit
    # Debrief (after)
    ? push (assess 0...3): Push?
    ? pilot (yesno): Pilot?
      if: push >= 2
    ? when (date): When?
    """

  @Test func aWholeInterviewFollowsTheFlow() {
    var driver = SessionDriver(Self.guide)
    #expect(driver.current == "expect")
    driver.say("learn their purpose")
    driver.say("We keep fridges running")
    driver.say("1")
    #expect(driver.current == "growth_q")
    driver.say("more stores")
    driver.say("about 40")
    driver.say("3")
    driver.say("yes")
    driver.say("today")
    #expect(driver.session.isFinished)
    #expect(
      driver.shown == ["expect", "purpose", "focus", "growth_q", "staff", "push", "pilot", "when"])
    #expect(driver.answer("focus")?.value == .choice("growth"))
    #expect(driver.answer("staff")?.value == .number(40))
    #expect(driver.answer("push")?.value == .number(3))
    #expect(driver.answer("pilot")?.value == .boolean(true))
    #expect(driver.answer("when")?.value == Day(iso: "2026-11-26").map(Value.date))
    let growth = driver.events.first { $0.type == .shown && $0.q == "growth_q" }
    #expect(
      growth?.prompt == "You said We keep fridges running. How would you know you are winning?")
    #expect(driver.events.last?.type == .end)
  }

  @Test func theOtherBranchAndAConditionThatFails() {
    var driver = SessionDriver(Self.guide)
    driver.say("x")
    driver.say("y")
    driver.say("keeping")
    #expect(driver.current == "service_q")
    driver.say("calls")
    #expect(driver.current == "push")
    driver.say("1")
    #expect(driver.current == "when", "pilot is passed over when push < 2")
  }

  @Test func nothingSaidIsRefused() {
    var driver = SessionDriver(Self.guide)
    driver.say("x")
    driver.say("y")
    driver.say("growth")
    driver.say("z")
    driver.say("about half the team")
    let staff = driver.events.first { $0.type == .answer && $0.q == "staff" }
    #expect(staff?.raw == "about half the team")
    #expect(staff?.understood == false)
    #expect(staff?.value == nil)
    #expect(driver.current == "push", "the salesperson moves on")
    driver.say(":goto staff")
    driver.say("5000")
    #expect(driver.messages.contains(.warning("that is a lot; check the unit")))
    #expect(driver.answer("staff")?.value == .number(5000))
  }

  @Test func backSkipAndEmptyLines() {
    var driver = SessionDriver(Self.guide)
    driver.say("x")
    driver.say("")
    #expect(driver.current == "purpose", "an empty line is not an answer")
    driver.say(":skip they would not say")
    #expect(driver.current == "focus")
    driver.say(":back")
    #expect(driver.current == "purpose")
    driver.say(":back")
    #expect(driver.current == "expect")
    driver.say("")
    #expect(driver.current == "purpose", "Enter keeps an earlier answer and moves on")
    #expect(driver.session.state.skipped["purpose"] != nil)
  }

  @Test func editThatChangesAJumpKeepsTheOldBranchAndListsIt() {
    var driver = SessionDriver(Self.guide)
    driver.say("x")
    driver.say("y")
    driver.say("growth")
    driver.say("stores")
    #expect(driver.current == "staff")
    driver.say(":edit focus service")
    let edit = driver.events.last { $0.type == .edit }
    #expect(edit?.q == "focus")
    #expect(edit?.offPath == ["growth_q"])
    #expect(driver.answer("focus")?.revisions == ["growth"])
    #expect(driver.answer("growth_q")?.raw == "stores", "answers off the path are kept")
    #expect(driver.current == "service_q", "the flow follows the new answer")
    #expect(driver.session.offPath() == ["growth_q"])
  }

  @Test func editOnTheNextLine() {
    var driver = SessionDriver(Self.guide)
    driver.say("x")
    driver.say(":edit expect")
    #expect(driver.current == "purpose")
    driver.say("learn about demand")
    #expect(driver.answer("expect")?.raw == "learn about demand")
    #expect(driver.answer("expect")?.revisions == ["x"])
    #expect(driver.current == "purpose")
  }

  @Test func coveredQuestionsAreNotAskedAgain() {
    var driver = SessionDriver(Self.guide)
    driver.say(":covered focus growth")
    driver.say("x")
    driver.say("y")
    #expect(driver.current == "growth_q", "focus was covered as growth, so its jump applies")
    #expect(!driver.shown.contains("focus"))
  }

  @Test func notesProbesHintsTagsAskedAndSpeaker() {
    var driver = SessionDriver(Self.guide)
    driver.say("x")
    driver.say(":note they mentioned a spreadsheet")
    driver.say(":probe")
    driver.say(":probe")
    driver.say(":probe")
    driver.say(":hint")
    driver.say(":tag workaround")
    driver.say(":asked what does the spreadsheet do?")
    driver.say(":who Anna")
    driver.say("fridges")
    driver.say(":file 1 purpose")
    let kinds = driver.events.map(\.type)
    #expect(kinds.filter { $0 == .probe }.count == 2)
    #expect(driver.messages.contains(.probe("How would your customers put it?")))
    #expect(driver.messages.contains(.info("no more probes for this question")))
    #expect(driver.messages.contains(.hint("Outcomes, not products.")))
    #expect(driver.session.state.liveTags["purpose"] == ["workaround"])
    #expect(driver.session.state.notes.first?.filedUnder == "purpose")
    #expect(driver.answer("purpose")?.by == "Anna")
    #expect(kinds.contains(.asked))
  }

  @Test func endGoesToTheDebriefFirstThenListsOpenRequiredQuestions() {
    var driver = SessionDriver(Self.guide)
    driver.say(":skip")
    driver.say("we keep fridges running")
    driver.say(":end")
    #expect(!driver.session.isFinished)
    #expect(driver.current == "push", "the debrief comes before the end")
    driver.say("2")
    driver.say(":end")
    #expect(!driver.session.isFinished)
    #expect(
      driver.messages.contains {
        if case .warning(let text) = $0 { return text.contains("expect") } else { return false }
      })
    driver.say(":end")
    #expect(driver.session.isFinished)
    #expect(driver.events.last?.openRequired == ["expect"])
  }

  @Test func answersStartingWithAColonAndUnknownCommands() {
    var driver = SessionDriver(Self.guide)
    driver.say("::)")
    #expect(driver.answer("expect")?.raw == ":)")
    driver.say(":bakc")
    #expect(
      driver.messages.contains {
        if case .warning(let text) = $0 {
          return text.contains("did you mean 'back'")
        } else {
          return false
        }
      })
  }

  @Test func restoringFromEventsContinuesAtTheFirstOpenQuestion() {
    var driver = SessionDriver(Self.guide)
    driver.say("x")
    driver.say("y")
    driver.say("growth")
    let parsed = GuideParser.parse(path: "t.guide", text: Self.guide)
    var resumed = InterviewSession(
      guide: parsed.guide, today: Day(checkedYear: 2026, month: 11, day: 26))
    resumed.restore(driver.events)
    #expect(resumed.current == "growth_q")
    #expect(resumed.state.answers == driver.session.state.answers)
  }

  @Test func whereShowsTheOutline() {
    var driver = SessionDriver(Self.guide)
    driver.say("x")
    driver.say(":skip")
    driver.say(":where")
    guard case .outline(let lines)? = driver.messages.last else {
      Issue.record("no outline")
      return
    }
    #expect(lines.first == OutlineLine(status: .section, text: "Before (before)"))
    #expect(lines.contains(OutlineLine(status: .answered, text: "expect: x")))
    #expect(lines.contains(OutlineLine(status: .skipped, text: "purpose")))
    #expect(lines.contains(OutlineLine(status: .current, text: "focus")))
    #expect(lines.contains(OutlineLine(status: .toCome, text: "service_q")))
  }
}

/// The prompt's counts of what is left in each section come from the flow's walk; they must say
/// what the outline shows as current or to come, also when the flow jumps back.
@Suite("Open questions by section")
struct OpenQuestionsBySectionTests {
  static let loopingGuide = """
    title: Loop
    # First (customer)
    ? a: A?
    ? b (yesno): Again?
      -> First if b is yes
    # Second (customer)
    ? c: C?
    -> First if c mentions back
    # Third (after)
    ? d: D?
    """

  /// What the outline says is current or to come, section by section.
  private static func fromOutline(_ session: InterviewSession) -> [(String, Int)] {
    var counts: [(String, Int)] = []
    for line in session.outline() {
      if line.status == .section {
        let title = line.text.prefix { $0 != "(" }.trimmingCharacters(in: .whitespaces)
        counts.append((title, 0))
      } else if line.status == .current || line.status == .toCome, !counts.isEmpty {
        counts[counts.count - 1].1 += 1
      }
    }
    return counts
  }

  private static func check(_ driver: SessionDriver, _ comment: Comment) {
    let counts = driver.session.openQuestionsBySection()
    let expected = fromOutline(driver.session)
    #expect(counts.map(\.title) == expected.map(\.0), comment)
    #expect(counts.map(\.open) == expected.map(\.1), comment)
  }

  @Test(
    "Counts match the outline at every step",
    arguments: [
      (InterviewSessionTests.guide, ["x", ":skip", "growth", "g", "12", ":back", "3", "yes"]),
      (loopingGuide, ["a", "yes", "a again", "no", "go back", "a3", "no", "fine", "d"]),
    ])
  func countsMatchTheOutline(guide: String, lines: [String]) {
    var driver = SessionDriver(guide)
    Self.check(driver, "at the start")
    for line in lines {
      driver.say(line)
      Self.check(driver, "after \(line)")
    }
  }
}

@Suite("Answer parser")
struct AnswerParserTests {
  let parser = AnswerParser(today: Day(checkedYear: 2026, month: 11, day: 26))

  private func question(_ line: String) -> Question {
    let parsed = GuideParser.parse(path: "t", text: "title: T\n# A\n" + line)
    return parsed.guide.questions[0]
  }

  @Test(arguments: [
    ("12", 12.0), ("-3", -3), ("0.5", 0.5), ("1,200", 1200), ("1 200", 1200), ("40%", 40),
    ("12 days", 12),
  ])
  func numbers(text: String, value: Double) {
    #expect(AnswerParser.number(text) == value)
  }

  @Test(arguments: ["about half", "12 or 13", "", "twelve"])
  func notNumbers(text: String) {
    #expect(AnswerParser.number(text) == nil)
  }

  @Test func choicesByNumberValueLabelOrPrefix() {
    let q = question(
      "? f (choice): F?\n  - growth: Winning new customers\n  - service: Keeping them\n")
    #expect(parser.read("2", for: q).value == .choice("service"))
    #expect(parser.read("growth", for: q).value == .choice("growth"))
    #expect(parser.read("WINNING new customers", for: q).value == .choice("growth"))
    #expect(parser.read("keep", for: q).value == .choice("service"))
    #expect(parser.read("both really", for: q).value == nil)
    let many = question("? c (choices): C?\n  - email\n  - phone\n  - post\n")
    #expect(parser.read("1, 3", for: many).value == .choices(["email", "post"]))
    #expect(parser.read("1 2", for: many).value == .choices(["email", "phone"]))
    #expect(parser.read("phone, fax", for: many).warnings.count == 1)
  }

  @Test func scalesYesNoAndDates() {
    let scale = question("? s (scale 1...5): S?\n")
    #expect(parser.read("4", for: scale).value == .number(4))
    #expect(parser.read("7", for: scale).warnings == ["7 is outside 1...5; kept as said"])
    #expect(parser.read("2.5", for: scale).value == nil)
    let yes = question("? y (yesno): Y?\n")
    #expect(parser.read("Yes", for: yes).value == .boolean(true))
    #expect(parser.read("n", for: yes).value == .boolean(false))
    #expect(parser.read("maybe", for: yes).value == nil)
    let date = question("? d (date): D?\n")
    #expect(parser.read("yesterday", for: date).value == Day(iso: "2026-11-25").map(Value.date))
    #expect(parser.read("2026-03-01", for: date).value == Day(iso: "2026-03-01").map(Value.date))
    #expect(parser.read("after last spring's audit", for: date).understood == false)
  }
}
