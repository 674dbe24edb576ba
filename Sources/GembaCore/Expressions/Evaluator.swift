/// A value an answer or an expression can have.
public enum Value: Sendable, Hashable, Codable {
  case text(String)
  case number(Double)
  case date(Day)
  case boolean(Bool)
  case choice(String)
  case choices([String])
}

/// One answer as the expression language sees it: the customer's words, the value understood
/// from them (nil when they could not be understood as the question's kind), and its tags.
public struct RecordedAnswer: Sendable, Hashable {
  public var raw: String
  public var value: Value?
  public var tags: Set<String>

  public init(raw: String, value: Value?, tags: Set<String> = []) {
    self.raw = raw
    self.value = value
    self.tags = tags
  }
}

/// Where a question stands in an interview.
public enum QuestionState: Sendable, Hashable {
  case answered(RecordedAnswer)
  case skipped(reason: String?)
  case unasked
}

/// The answers an expression is evaluated against.
public protocol EvaluationContext {
  /// The state of the question `id` (already following `was:` renames).
  func state(of id: String) -> QuestionState
  /// The value of the computed value `name`, if it was set.
  func computed(_ name: String) -> Value?
  /// Every answer that carries `tag`.
  func answers(taggedWith tag: String) -> [RecordedAnswer]
  /// The answer being given, for `.` in a constraint.
  var currentAnswer: RecordedAnswer? { get }
  /// How many probes were pulled on question `id`, for `probes(id)`.
  func probesPulled(_ id: String) -> Int
  /// The salesperson's own questions (`:asked`), oldest first: all of them when `id` is nil,
  /// else those asked before `id` was first answered or skipped; for `asked()` and
  /// `asked_before(id)`.
  func ownQuestions(before id: String?) -> [String]
}

extension EvaluationContext {
  public var currentAnswer: RecordedAnswer? { nil }
  public func probesPulled(_ id: String) -> Int { 0 }
  public func ownQuestions(before id: String?) -> [String] { [] }
}

/// Evaluates expressions. A test of a question that has no answer (skipped, never asked, or not
/// understood) is false, whatever the test; `not` makes it true. Nothing ever throws.
public struct Evaluator {
  private let context: any EvaluationContext

  public init(context: any EvaluationContext) {
    self.context = context
  }

  /// Whether `expression` holds.
  public func holds(_ expression: Expression) -> Bool {
    truth(expression)
  }

  /// The value of `expression`, or nil when it has none (a missing answer, a division by zero).
  public func value(of expression: Expression) -> Value? {
    switch evaluate(expression) {
    case .value(let value): return value
    default: return nil
    }
  }

  private indirect enum Result {
    case value(Value)
    case list([Result])
    case tag(String)
    case word(String)
    case missing

    var number: Double? {
      if case .value(.number(let n)) = self { return n }
      return nil
    }
  }

  private func truth(_ expression: Expression) -> Bool {
    switch expression.kind {
    case .not(let operand):
      return !truth(operand)
    case .and(let a, let b):
      return truth(a) && truth(b)
    case .or(let a, let b):
      return truth(a) || truth(b)
    case .state(let operand, let test, let negated):
      guard case .reference(let id) = operand.kind else { return negated }
      let state = context.state(of: id)
      let result: Bool
      switch (test, state) {
      case (.answered, .answered), (.skipped, .skipped), (.asked, .answered), (.asked, .skipped):
        result = true
      default:
        result = false
      }
      return negated ? !result : result
    case .isValue(let a, let b, let negated):
      let result = equals(evaluate(a), evaluate(b))
      return negated ? !result : result
    case .isOneOf(let a, let list, let negated):
      let left = evaluate(a)
      var result = false
      if case .list(let items) = evaluate(list) {
        result = items.contains { equals(left, $0) }
      }
      return negated ? !result : result
    case .includes(let a, let b):
      guard case .value(.choices(let selected)) = evaluate(a) else { return false }
      switch evaluate(b) {
      case .word(let word), .value(.text(let word)), .value(.choice(let word)):
        return selected.contains(word)
      default:
        return false
      }
    case .mentions(let a, let b, let anyOf):
      guard let text = rawText(a) else { return false }
      if anyOf {
        guard case .list(let items) = evaluate(b) else { return false }
        return items.contains { item in
          if case .value(.text(let phrase)) = item { return TextFolding.mentions(text, phrase) }
          return false
        }
      }
      guard case .value(.text(let phrase)) = evaluate(b) else { return false }
      return TextFolding.mentions(text, phrase)
    case .contains(let a, let b):
      guard let text = rawText(a), case .value(.text(let fragment)) = evaluate(b) else {
        return false
      }
      return TextFolding.contains(text, fragment)
    case .matches(let a, let regex):
      guard let text = rawText(a), case .regex(let pattern, let ignoresCase) = regex.kind else {
        return false
      }
      return RegexSupport.matches(text, pattern: pattern, ignoresCase: ignoresCase)
    case .comparison(let op, let a, let b):
      return compare(op, evaluate(a), evaluate(b))
    default:
      if case .value(.boolean(let flag)) = evaluate(expression) { return flag }
      return false
    }
  }

  private func evaluate(_ expression: Expression) -> Result {
    switch expression.kind {
    case .number(let n): return .value(.number(n))
    case .text(let t): return .value(.text(t))
    case .date(let d): return .value(.date(d))
    case .boolean(let b): return .value(.boolean(b))
    case .tag(let t): return .tag(t)
    case .word(let w): return .word(w)
    case .regex: return .missing
    case .list(let items): return .list(items.map(evaluate))
    case .dot:
      return context.currentAnswer?.value.map(Result.value) ?? .missing
    case .reference(let name):
      switch context.state(of: name) {
      case .answered(let answer):
        return answer.value.map(Result.value) ?? .missing
      case .skipped:
        return .missing
      case .unasked:
        return context.computed(name).map(Result.value) ?? .missing
      }
    case .negate(let operand):
      guard let n = evaluate(operand).number else { return .missing }
      return .value(.number(-n))
    case .arithmetic(let op, let a, let b):
      guard let x = evaluate(a).number, let y = evaluate(b).number else { return .missing }
      switch op {
      case .add: return .value(.number(x + y))
      case .subtract: return .value(.number(x - y))
      case .multiply: return .value(.number(x * y))
      case .divide: return y == 0 ? .missing : .value(.number(x / y))
      }
    case .call(let name, let arguments):
      return call(name, arguments)
    case .not, .and, .or, .state, .isValue, .isOneOf, .includes, .mentions, .contains, .matches,
      .comparison:
      return .value(.boolean(truth(expression)))
    }
  }

  private func call(_ name: String, _ arguments: [Expression]) -> Result {
    if name == "asked", arguments.isEmpty {
      return Self.ownQuestionsText(context.ownQuestions(before: nil))
    }
    guard arguments.count == 1 else { return .missing }
    let argument = arguments[0]
    if case .tag(let tag) = argument.kind {
      let answers = context.answers(taggedWith: tag)
      let numbers = answers.compactMap { answer -> Double? in
        if case .number(let n) = answer.value { return n }
        return nil
      }
      switch name {
      case "tagged": return .value(.boolean(!answers.isEmpty))
      case "count": return .value(.number(Double(answers.count)))
      case "sum": return .value(.number(numbers.reduce(0, +)))
      case "avg":
        return numbers.isEmpty
          ? .missing : .value(.number(numbers.reduce(0, +) / Double(numbers.count)))
      default: return .missing
      }
    }
    switch name {
    case "probes":
      guard case .reference(let id) = argument.kind else { return .missing }
      return .value(.number(Double(context.probesPulled(id))))
    case "asked_before":
      guard case .reference(let id) = argument.kind else { return .missing }
      return Self.ownQuestionsText(context.ownQuestions(before: id))
    case "count":
      if case .value(.choices(let selected)) = evaluate(argument) {
        return .value(.number(Double(selected.count)))
      }
      return .missing
    case "length":
      return rawText(argument).map { .value(.number(Double($0.count))) } ?? .missing
    case "words":
      return rawText(argument).map { .value(.number(Double(TextFolding.words($0).count))) }
        ?? .missing
    default:
      return .missing
    }
  }

  /// The salesperson's own questions as one text, one a line; no value when there are none, so
  /// every test of it is false.
  private static func ownQuestionsText(_ questions: [String]) -> Result {
    questions.isEmpty ? .missing : .value(.text(questions.joined(separator: "\n")))
  }

  /// The customer's own words for a question, the answer being given, or a text value.
  private func rawText(_ expression: Expression) -> String? {
    switch expression.kind {
    case .reference(let name):
      if case .answered(let answer) = context.state(of: name) { return answer.raw }
      if case .text(let text)? = context.computed(name) { return text }
      return nil
    case .dot:
      return context.currentAnswer?.raw
    default:
      if case .value(.text(let text)) = evaluate(expression) { return text }
      return nil
    }
  }

  private func equals(_ a: Result, _ b: Result) -> Bool {
    switch (a, b) {
    case (.value(.choice(let x)), .word(let y)), (.value(.choice(let x)), .value(.text(let y))):
      return x == y
    case (.value(.choice(let x)), .value(.boolean(let y))):
      return x == (y ? "yes" : "no")
    case (.value(.text(let x)), .value(.text(let y))):
      return TextFolding.fold(x.trimmingSpaces()) == TextFolding.fold(y.trimmingSpaces())
    case (.value(let x), .value(let y)):
      return x == y
    default:
      return false
    }
  }

  private func compare(_ op: ComparisonOperator, _ a: Result, _ b: Result) -> Bool {
    let order: Int
    switch (a, b) {
    case (.value(.number(let x)), .value(.number(let y))):
      order = x < y ? -1 : (x > y ? 1 : 0)
    case (.value(.date(let x)), .value(.date(let y))):
      order = x < y ? -1 : (x > y ? 1 : 0)
    case (.missing, _), (_, .missing):
      return false
    default:
      guard op == .equal || op == .notEqual else { return false }
      let same = equals(a, b)
      return op == .equal ? same : !same
    }
    switch op {
    case .equal: return order == 0
    case .notEqual: return order != 0
    case .less: return order < 0
    case .lessOrEqual: return order <= 0
    case .greater: return order > 0
    case .greaterOrEqual: return order >= 0
    }
  }
}
