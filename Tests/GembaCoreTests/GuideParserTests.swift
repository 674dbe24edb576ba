import Testing

@testable import GembaCore

@Suite("Guide parser")
struct GuideParserTests {
  private func parse(_ text: String, files: [String: String] = [:]) -> GuideParseResult {
    GuideParser.parse(path: "test.guide", text: text, loader: InMemorySourceLoader(files))
  }

  @Test func headerFieldsAndTags() {
    let result = parse(
      """
      title: Customer purpose
      version: 1.2
      method: lean-customer-purpose
      school: Parry
      language: en
      author: Coaching team
      description: A first meeting.
      tags: champion, budget-owner

      # A
      ? a: A?
      """)
    let header = result.guide.header
    #expect(result.diagnostics.isEmpty)
    #expect(header.title == "Customer purpose")
    #expect(header.version == "1.2")
    #expect(header.method == "lean-customer-purpose")
    #expect(header.school == "Parry")
    #expect(header.language == "en")
    #expect(header.author == "Coaching team")
    #expect(header.description == "A first meeting.")
    #expect(header.declaredTags == ["champion", "budget-owner"])
  }

  @Test func sectionsWithPartsBudgetsConditionsAndIntros() {
    let result = parse(
      """
      title: T
      # Before the call (before, 5 min)
      ? expect: What do I expect?
      # The struggle (15 min)
      if: expect is answered
      intro: Stay with one real event.
      ? last: Tell me about the last time.
      # Debrief (10 minutes, after)
      ? push (assess 0...3): Push?
      """)
    #expect(result.diagnostics.isEmpty)
    let sections = result.guide.sections
    #expect(sections.map(\.title) == ["Before the call", "The struggle", "Debrief"])
    #expect(sections.map(\.slug) == ["before-the-call", "the-struggle", "debrief"])
    #expect(sections.map(\.part) == [.before, .customer, .after])
    #expect(sections.map(\.budgetMinutes) == [5, 15, 10])
    #expect(sections[1].condition != nil)
    #expect(sections[1].intro?.text == "Stay with one real event.")
    #expect(sections[2].questions.first?.part == .after)
  }

  @Test func everyAnswerKind() {
    let result = parse(
      """
      title: T
      # A
      ? t: Text?
      ? t2 (text): Text?
      ? c (choice): One?
        - a: A
        - b
      ? m (choices): Many?
        - x: X
      ? s (scale 1...5): Scale?
        labels: not at all ... completely
      ? n (number 0... EUR per month): Number?
      ? n2 (number): Number?
      ? y (yesno): Yes or no?
      ? d (date, required): When?
      ? p (assess 0...3): Push?
      ? v (assess, choice): Verdict?
        - go: Go
      """)
    #expect(result.diagnostics.isEmpty, "\(result.diagnostics.map(\.message))")
    let questions = Dictionary(uniqueKeysWithValues: result.guide.questions.map { ($0.id, $0) })
    #expect(questions["t"]?.kind == .text)
    #expect(questions["t2"]?.kind == .text)
    #expect(questions["c"]?.kind == .choice)
    #expect(questions["c"]?.options.map(\.label) == ["A", "b"])
    #expect(questions["m"]?.kind == .choices)
    #expect(questions["s"]?.kind == .scale(Bounds(low: 1, high: 5)))
    #expect(questions["s"]?.labels?.low == "not at all")
    #expect(questions["s"]?.labels?.high == "completely")
    #expect(questions["n"]?.kind == .number(Bounds(low: 0, high: nil), unit: "EUR per month"))
    #expect(questions["n2"]?.kind == .number(Bounds(), unit: nil))
    #expect(questions["y"]?.kind == .yesNo)
    #expect(questions["d"]?.kind == .date)
    #expect(questions["d"]?.isRequired == true)
    #expect(questions["p"]?.isAssessment == true)
    #expect(questions["p"]?.kind == .scale(Bounds(low: 0, high: 3)))
    #expect(questions["v"]?.isAssessment == true)
    #expect(questions["v"]?.kind == .choice)
  }

  @Test func questionFieldsInOrder() {
    let result = parse(
      """
      title: T
      # A
      ? staff (number 0...): How many?
        hint: Ask for a count, not a guess.
        probe: Who counts them?
        probe: Since when?
        tags: demand, workaround
        constraint: . < 10000
        message: check the unit
        was: people, headcount
        required
      """)
    #expect(result.diagnostics.isEmpty)
    let question = result.guide.questions[0]
    #expect(question.hint?.text == "Ask for a count, not a guess.")
    #expect(question.probes.map(\.text) == ["Who counts them?", "Since when?"])
    #expect(question.tags.map(\.name) == ["demand", "workaround"])
    #expect(question.constraint != nil)
    #expect(question.constraintMessage == "check the unit")
    #expect(question.was.map(\.id) == ["people", "headcount"])
    #expect(question.isRequired)
  }

  @Test func jumpsOfEveryKind() {
    let result = parse(
      """
      title: T
      # A
      ? stage (choice): Where?
        - active: Actively looking -> Active buyers
        - passive: Passively
      ? pilot (yesno): Pilot?
        -> Lessons learned if pilot is no
      -> end
      # Active buyers
      ? x: X?
      # Lessons learned
      ? y: Y?
      """)
    #expect(result.diagnostics.isEmpty)
    let items = result.guide.sections[0].items
    guard case .question(let stage) = items[0], case .question(let pilot) = items[1],
      case .jump(let flowJump) = items[2]
    else {
      Issue.record("unexpected items: \(items)")
      return
    }
    #expect(stage.options[0].jump?.target == "Active buyers")
    #expect(stage.options[0].label == "Actively looking")
    #expect(stage.options[1].jump == nil)
    #expect(pilot.jumps.first?.target == "Lessons learned")
    #expect(pilot.jumps.first?.condition != nil)
    #expect(flowJump.isEnd)
  }

  @Test func interpolationsAndBraces() {
    let source = MarkedText("title: T\n# A\n? a: A?\n? b: You said \"{1️⃣a}\". {{literal}} ok\n")
    let result = parse(source.text)
    #expect(result.diagnostics.isEmpty)
    let prompt = result.guide.questions[1].prompt
    #expect(prompt.references.map(\.id) == ["a"])
    #expect(prompt.references.first?.range.start == source.location("1️⃣"))
    #expect(prompt.render { "<\($0)>" } == "You said \"<a>\". {literal} ok")
  }

  @Test func includesAreReadInPlaceRelativeToTheIncludingFile() {
    let result = parse(
      "title: T\n# A\n? a: A?\ninclude: parts/debrief.guide\n",
      files: [
        "parts/debrief.guide":
          "# Debrief (after)\n? push (assess 0...3): Push?\ninclude: quotes.guide\n",
        "parts/quotes.guide": "? quote: Quote them.\n",
      ])
    #expect(result.diagnostics.isEmpty, "\(result.diagnostics.map(\.message))")
    #expect(result.guide.sections.map(\.title) == ["A", "Debrief"])
    #expect(result.guide.sections[1].questions.map(\.id) == ["push", "quote"])
    #expect(
      result.guide.files.map(\.path) == ["test.guide", "parts/debrief.guide", "parts/quotes.guide"])
  }

  @Test func commentsAndTodos() {
    let source = MarkedText("title: T\n// a comment\n# A\n? a: A?\n  // 1️⃣TODO: more probes\n")
    let result = parse(source.text)
    #expect(result.diagnostics.map(\.code) == [.todoNote])
    #expect(result.diagnostics.first?.range.start == source.location("1️⃣"))
    #expect(result.guide.questions.count == 1)
  }

  @Test(arguments: [
    ("title: T\n# A\n? a: A?\n  1️⃣prbe: x\n", DiagnosticCode.unknownField),
    ("title: T\n# A\n? a (1️⃣scal 1...5): A?\n", .unknownAttribute),
    ("title: T\n# A\n? 1️⃣a-b: A?\n", .invalidIdentifier),
    ("title: T\n# A\n? a: A?\n  if: a >1️⃣\n", .expressionSyntax),
    ("title: T\n# A\n? a: 1️⃣{b c}\n", .malformedInterpolation),
    ("title: T\n# A (1️⃣later)\n? a: A?\n", .malformedSection),
    ("title: T\n# A\n? n (1️⃣number x...3): A?\n", .badBounds),
    ("title: T\n# A\n? a: A?\n1️⃣include: nowhere.guide\n", .missingInclude),
  ])
  func errorsPointAtTheirPlace(marked: String, code: DiagnosticCode) {
    let source = MarkedText(marked)
    let found = diagnose(source.text)
    #expect(found.contains { $0.code == code }, "got \(found.map(\.code))")
    let diagnostic = found.first { $0.code == code }
    var expected = source.location("1️⃣")
    if code == .missingInclude { expected?.column += "include: ".utf8.count }
    #expect(diagnostic?.range.start == expected)
  }

  @Test func everyProblemIsReportedInOnePass() {
    let found = diagnose(
      """
      title: T
      # A
      ? a (scal): A?
        prbe: x
      ? a: again
      ? b: {nope}
        if: a >
      -> Nowhere
      """)
    let codes = Set(found.map(\.code))
    #expect(
      codes.isSuperset(of: [
        .unknownAttribute, .unknownField, .duplicateQuestion, .unknownQuestion, .expressionSyntax,
        .unknownSection,
      ]))
  }
}

@Suite("Guide parser, section headings")
struct SectionHeadingTests {
  @Test func trailingSpacesAfterTheAttributesAreIgnored() {
    let result = GuideParser.parse(
      path: "t", text: "title: T\n# Debrief (after, 5 min)   \n? a: A?\n")
    #expect(result.diagnostics.isEmpty)
    #expect(result.guide.sections.first?.title == "Debrief")
    #expect(result.guide.sections.first?.part == .after)
    #expect(result.guide.sections.first?.budgetMinutes == 5)
  }
}
