import Testing

@testable import GembaCore

/// Answers held in memory, keyed by question id.
struct FakeAnswers: EvaluationContext {
  var states: [String: QuestionState] = [:]
  var values: [String: Value] = [:]
  var current: RecordedAnswer?

  func state(of id: String) -> QuestionState { states[id] ?? .unasked }
  func computed(_ name: String) -> Value? { values[name] }
  func answers(taggedWith tag: String) -> [RecordedAnswer] {
    states.keys.sorted().compactMap { id in
      if case .answered(let answer) = states[id], answer.tags.contains(tag) { return answer }
      return nil
    }
  }
  var currentAnswer: RecordedAnswer? { current }

  static func answered(_ raw: String, _ value: Value?, tags: Set<String> = []) -> QuestionState {
    .answered(RecordedAnswer(raw: raw, value: value, tags: tags))
  }
}

@Suite("Evaluator")
struct EvaluatorTests {
  let answers = FakeAnswers(states: [
    "purpose": FakeAnswers.answered("We keep Café owners' fridges running, priceless", .text("")),
    "focus": FakeAnswers.answered("growth", .choice("growth")),
    "channels": FakeAnswers.answered("email, phone", .choices(["email", "phone"])),
    "push": FakeAnswers.answered("3", .number(3), tags: ["push"]),
    "pull": FakeAnswers.answered("2", .number(2), tags: ["pull", "push"]),
    "anxiety": FakeAnswers.answered("about half", nil, tags: ["anxiety"]),
    "budget": .skipped(reason: "customer would not say"),
    "pilot": FakeAnswers.answered("no", .boolean(false)),
    "decided": FakeAnswers.answered("2026-03-01", Day(iso: "2026-03-01").map(Value.date)),
  ])

  private func holds(_ source: String, in context: FakeAnswers? = nil) -> Bool {
    guard
      case .success(let expression) = ExpressionParser.parse(
        Substring(source), at: SourceLocation(path: "t", line: 1, column: 1))
    else {
      Issue.record("did not parse: \(source)")
      return false
    }
    return Evaluator(context: context ?? answers).holds(expression)
  }

  @Test(arguments: [
    // The three states.
    ("purpose is answered", true),
    ("budget is skipped", true),
    ("budget is answered", false),
    ("budget is asked", true),
    ("never is asked", false),
    ("never is not asked", true),
    ("budget is not answered", true),
    // A test of a missing answer is false, whatever it is; not inverts it.
    ("budget > 1000", false),
    ("budget <= 1000", false),
    ("not (budget > 1000)", true),
    ("never = 0", false),
    ("never mentions \"x\"", false),
    ("not never mentions \"x\"", true),
    ("budget is one of [1, 2]", false),
    ("anxiety > 1", false),
    ("anxiety mentions \"half\"", true),
    // Text.
    ("purpose mentions \"price\"", false),
    ("purpose mentions \"priceless\"", true),
    ("purpose mentions \"cafe owners\"", true),
    ("purpose mentions \"fridges running\"", true),
    ("purpose mentions \"fridge\"", false),
    ("purpose contains \"fridge\"", true),
    ("purpose contains \"CAFÉ\"", true),
    ("purpose mentions any of [\"price\", \"fridges\"]", true),
    ("purpose matches /f[a-z]+s running/", true),
    ("purpose matches /CAFÉ/", false),
    ("purpose matches /CAFÉ/i", true),
    ("length(purpose) > 20", true),
    ("words(purpose) = 7", true),
    // Choices.
    ("focus is growth", true),
    ("focus is service", false),
    ("focus is not service", true),
    ("focus is one of [service, growth]", true),
    ("focus is not one of [service]", true),
    ("channels includes email", true),
    ("channels includes post", false),
    ("count(channels) = 2", true),
    // Numbers, yes/no, dates.
    ("push + pull > 4", true),
    ("push + pull >= 6", false),
    ("push / 0 > 1", false),
    ("pilot is no", true),
    ("pilot", false),
    ("not pilot", true),
    ("decided < 2026-04-01", true),
    ("decided = 2026-03-01", true),
    // Tags.
    ("tagged(#push)", true),
    ("tagged(#habit)", false),
    ("count(#push) = 2", true),
    ("sum(#push) = 5", true),
    ("avg(#push) = 2.5", true),
    ("avg(#habit) >= 0", false),
    ("not (avg(#habit) >= 0)", true),
    ("count(#anxiety) = 1", true),
    ("sum(#anxiety) = 0", true),
  ])
  func semantics(source: String, expected: Bool) {
    #expect(holds(source) == expected, "\(source)")
  }

  @Test func computedValuesAndDot() {
    var context = answers
    context.values["forces_for"] = .number(5)
    context.current = RecordedAnswer(raw: "12", value: .number(12))
    #expect(holds("forces_for = 5", in: context))
    #expect(holds(". > 10", in: context))
    context.current = RecordedAnswer(raw: "lots", value: nil)
    #expect(!holds(". > 10", in: context))
    #expect(holds(". mentions \"lots\"", in: context))
  }

  @Test func valuesOfComputations() throws {
    guard
      case .success(let expression) = ExpressionParser.parse(
        "push * 2 - pull", at: SourceLocation(path: "t", line: 1, column: 1))
    else { throw CancellationError() }
    #expect(Evaluator(context: answers).value(of: expression) == .number(4))
  }
}
