import Foundation

/// What an expression may refer to: the questions and computed values of a guide.
public protocol ExpressionScope {
  /// The question with `id` (not an earlier `was:` id).
  func question(_ id: String) -> Question?
  /// The current id of a question that once had `id`.
  func renamedQuestion(_ id: String) -> String?
  /// The type of the computed value `name`, if the guide sets one.
  func computedType(_ name: String) -> ValueType?
  /// Every id and computed name, for "did you mean".
  var allNames: [String] { get }
  /// Tags the guide may use.
  var knownTags: Set<String> { get }
}

/// Checks expressions against a scope and reports type errors.
public struct ExpressionChecker {
  /// Where the expression stands: a condition must be a yes-or-no test; a constraint may use `.`.
  public enum Role: Sendable {
    case condition
    case constraint(Question)
    case value
  }

  private let scope: any ExpressionScope
  private let role: Role
  public private(set) var diagnostics: [Diagnostic] = []

  public init(scope: any ExpressionScope, role: Role) {
    self.scope = scope
    self.role = role
  }

  /// Checks `expression` and returns its type; problems land in ``diagnostics``.
  public static func check(
    _ expression: Expression, role: Role, scope: any ExpressionScope
  ) -> (ValueType, [Diagnostic]) {
    var checker = ExpressionChecker(scope: scope, role: role)
    let type = checker.type(of: expression)
    switch role {
    case .condition, .constraint:
      checker.expectBoolean(expression, type)
    case .value:
      break
    }
    return (type, checker.diagnostics)
  }

  // MARK: Types

  private mutating func type(of expression: Expression) -> ValueType {
    switch expression.kind {
    case .number: return .number
    case .text: return .text
    case .date: return .date
    case .boolean: return .boolean
    case .regex: return .regex
    case .tag(let name):
      checkTag(name, expression.range)
      return .tag
    case .list(let items):
      var element: ValueType?
      for item in items {
        if case .word(let word) = item.kind {
          report(.typeMismatch, "put text in quotes: \"\(word)\"", item.range)
          continue
        }
        let itemType = type(of: item)
        if element == nil { element = itemType }
      }
      return .list(element)
    case .word(let word):
      report(
        .typeMismatch, "'\(word)' is not a value here; put text in quotes (\"\(word)\")",
        expression.range)
      return .unknown
    case .dot:
      if case .constraint(let question) = role {
        return ValueType.of(question.kind, question: question.id)
      }
      report(
        .dotOutsideConstraint,
        "'.' stands for the answer being given and works only in 'constraint:'; name the question instead",
        expression.range)
      return .unknown
    case .reference(let name):
      return referenceType(name, expression.range)
    case .not(let operand):
      expectBoolean(operand, type(of: operand))
      return .boolean
    case .and(let a, let b), .or(let a, let b):
      expectBoolean(a, type(of: a))
      expectBoolean(b, type(of: b))
      return .boolean
    case .negate(let operand):
      expect(operand, type(of: operand), .number, "'-' needs a number")
      return .number
    case .arithmetic(let op, let a, let b):
      let left = type(of: a)
      let right = type(of: b)
      expect(a, left, .number, "'\(op.rawValue)' needs numbers")
      expect(b, right, .number, "'\(op.rawValue)' needs numbers")
      return .number
    case .comparison(let op, let a, let b):
      checkComparison(op, a, b)
      return .boolean
    case .state(let operand, let test, _):
      if case .reference(let name) = operand.kind {
        _ = referenceType(name, operand.range)
        if scope.question(name) == nil && scope.renamedQuestion(name) == nil
          && scope.computedType(name) != nil
        {
          report(
            .typeMismatch,
            "'\(name)' is a computed value, not a question; only a question is \(test.rawValue)",
            operand.range)
        }
      } else {
        _ = type(of: operand)
        report(
          .typeMismatch,
          "only a question can be \(test.rawValue); write a question id before 'is \(test.rawValue)'",
          operand.range)
      }
      return .boolean
    case .isValue(let a, let b, _):
      checkIs(a, [b], oneOf: false)
      return .boolean
    case .isOneOf(let a, let list, _):
      if case .list(let items) = list.kind {
        checkIs(a, items, oneOf: true)
      }
      return .boolean
    case .includes(let a, let b):
      let left = type(of: a)
      switch left {
      case .choices(let id):
        checkOptionValue(b, question: id)
      case .choice(let id):
        report(
          .typeMismatch, "'\(id)' is a single choice; write '\(id) is …' instead of 'includes'",
          expression.range)
      case .unknown:
        break
      default:
        report(
          .typeMismatch, "'includes' needs a 'choices' question on its left, not \(left.phrase)",
          a.range)
      }
      return .boolean
    case .mentions(let a, let b, let anyOf):
      checkTextSource(a)
      if anyOf {
        if case .list(let items) = b.kind {
          for item in items {
            if case .word(let word) = item.kind {
              report(.typeMismatch, "put the word in quotes: \"\(word)\"", item.range)
            } else {
              expect(item, type(of: item), .text, "'mentions any of' needs a list of text")
            }
          }
        }
      } else {
        expect(b, type(of: b), .text, "'mentions' needs text in quotes on its right")
      }
      return .boolean
    case .contains(let a, let b):
      checkTextSource(a)
      expect(b, type(of: b), .text, "'contains' needs text in quotes on its right")
      return .boolean
    case .matches(let a, let regex):
      checkTextSource(a)
      if case .regex(let pattern, let ignoresCase) = regex.kind {
        if let problem = RegexSupport.problem(pattern: pattern, ignoresCase: ignoresCase) {
          report(.invalidRegex, "regular expression does not compile: \(problem)", regex.range)
        }
      }
      return .boolean
    case .call(let name, let arguments):
      return checkCall(name, arguments, expression)
    }
  }

  private mutating func referenceType(_ name: String, _ range: SourceRange) -> ValueType {
    if let question = scope.question(name) {
      return ValueType.of(question.kind, question: question.id)
    }
    if let type = scope.computedType(name) { return type }
    if let renamed = scope.renamedQuestion(name) {
      report(
        .unknownQuestion, "'\(name)' was renamed to '\(renamed)'; use the new id", range,
        fixIt: renamed)
      if let question = scope.question(renamed) {
        return ValueType.of(question.kind, question: question.id)
      }
      return .unknown
    }
    if ["answered", "skipped", "asked", "one", "any", "of"].contains(name) {
      report(.expressionSyntax, "'\(name)' is a word of a test; write 'QUESTION is \(name)'", range)
      return .unknown
    }
    report(
      .unknownQuestion,
      "unknown question or value '\(name)'\(Suggestion.didYouMean(name, in: scope.allNames))",
      range, fixIt: Suggestion.closest(to: name, in: scope.allNames))
    return .unknown
  }

  private mutating func checkComparison(_ op: ComparisonOperator, _ a: Expression, _ b: Expression)
  {
    let left = type(of: a)
    let right = type(of: b)
    if left == .unknown || right == .unknown { return }
    switch (left, right) {
    case (.number, .number), (.date, .date):
      return
    case (.text, .text), (.boolean, .boolean):
      if op == .equal || op == .notEqual { return }
      report(
        .typeMismatch, "'\(op.rawValue)' cannot order \(left.phrase); use '=' or '!='", a.range)
    case (.choice(let id), .text), (.choice(let id), .choice):
      report(.typeMismatch, "compare a choice with 'is': '\(id) is VALUE'", a.range)
    default:
      report(
        .typeMismatch,
        "cannot compare \(describe(a, left)) with \(describe(b, right))",
        SourceRange(
          a.range.start, length: b.range.start.column + b.range.length - a.range.start.column))
    }
  }

  private mutating func checkIs(_ a: Expression, _ values: [Expression], oneOf: Bool) {
    let left = type(of: a)
    let phrase = oneOf ? "is one of" : "is"
    for value in values {
      switch left {
      case .unknown:
        if case .word = value.kind { continue }
        _ = type(of: value)
      case .choice(let id):
        checkOptionValue(value, question: id)
      case .choices(let id):
        report(.typeMismatch, "'\(id)' takes several options; write '\(id) includes …'", a.range)
        return
      case .boolean:
        if case .boolean = value.kind { continue }
        report(
          .typeMismatch, "\(describe(a, left)) is tested with 'is yes' or 'is no'", value.range)
      case .text:
        if case .word(let word) = value.kind {
          report(.typeMismatch, "compare text with text in quotes: \"\(word)\"", value.range)
        } else {
          expect(value, type(of: value), .text, "'\(phrase)' on text needs text in quotes")
        }
      case .number, .date:
        if case .word(let word) = value.kind {
          report(.typeMismatch, "'\(word)' is not \(left.phrase)", value.range)
        } else {
          expect(value, type(of: value), left, "'\(phrase)' needs \(left.phrase) here")
        }
      default:
        report(.typeMismatch, "'\(phrase)' cannot test \(left.phrase)", a.range)
        return
      }
    }
  }

  private mutating func checkOptionValue(_ value: Expression, question id: String) {
    guard let question = scope.question(id) else { return }
    let word: String
    switch value.kind {
    case .word(let name): word = name
    case .text(let text): word = text
    case .boolean(let flag): word = flag ? "yes" : "no"
    default:
      report(.typeMismatch, "expected one of the options of '\(id)'", value.range)
      return
    }
    let values = question.options.map(\.value)
    if !values.contains(word) {
      let listed = values.map { "'\($0)'" }.joined(separator: ", ")
      report(
        .unknownChoiceValue,
        "'\(id)' has no option '\(word)'\(Suggestion.didYouMean(word, in: values)) (its options: \(listed))",
        value.range, fixIt: Suggestion.closest(to: word, in: values))
    }
  }

  private mutating func checkTextSource(_ a: Expression) {
    if case .reference(let name) = a.kind {
      _ = referenceType(name, a.range)
      return
    }
    if case .dot = a.kind {
      _ = type(of: a)
      return
    }
    let left = type(of: a)
    expect(a, left, .text, "text tests need a question or text on their left")
  }

  private mutating func checkCall(_ name: String, _ arguments: [Expression], _ call: Expression)
    -> ValueType
  {
    func tagArgument(_ result: ValueType) -> ValueType {
      guard arguments.count == 1, case .tag(let tag) = arguments[0].kind else {
        report(.unknownFunction, "'\(name)' takes one tag, like \(name)(#push)", call.range)
        return result
      }
      checkTag(tag, arguments[0].range)
      return result
    }
    func questionArgument(_ result: ValueType) -> ValueType {
      guard arguments.count == 1, case .reference(let id) = arguments[0].kind else {
        report(
          .unknownFunction, "'\(name)' takes one question id, like \(name)(purpose)", call.range)
        return result
      }
      _ = referenceType(id, arguments[0].range)
      return result
    }
    switch name {
    case "tagged":
      return tagArgument(.boolean)
    case "sum", "avg":
      return tagArgument(.number)
    case "count":
      if arguments.count == 1, case .reference(let id) = arguments[0].kind {
        let argumentType = referenceType(id, arguments[0].range)
        switch argumentType {
        case .choices, .unknown: break
        default:
          report(
            .unknownFunction,
            "'count' takes a tag (#name) or a 'choices' question, not \(argumentType.phrase)",
            arguments[0].range)
        }
        return .number
      }
      return tagArgument(.number)
    case "length", "words", "probes":
      return questionArgument(.number)
    case "asked_before":
      return questionArgument(.text)
    case "asked":
      if !arguments.isEmpty {
        report(
          .unknownFunction,
          "'asked' takes nothing: asked() is every question of your own; "
            + "asked_before(ID) those before ID", call.range)
      }
      return .text
    default:
      let known = [
        "tagged", "count", "sum", "avg", "length", "words", "probes", "asked", "asked_before",
      ]
      report(
        .unknownFunction, "unknown function '\(name)'\(Suggestion.didYouMean(name, in: known))",
        call.range)
      return .unknown
    }
  }

  private mutating func checkTag(_ name: String, _ range: SourceRange) {
    guard !scope.knownTags.contains(name) else { return }
    report(
      .unknownTag,
      "unknown tag '#\(name)'\(Suggestion.didYouMean(name, in: scope.knownTags.sorted())) (a new tag is declared in the header's 'tags:' line)",
      range)
  }

  // MARK: Helpers

  private mutating func expectBoolean(_ expression: Expression, _ type: ValueType) {
    switch type {
    case .boolean, .unknown: return
    case .tag:
      if case .tag(let name) = expression.kind {
        report(
          .notACondition, "a tag alone is not a test; write 'tagged(#\(name))'", expression.range)
        return
      }
    case .choice(let id):
      report(
        .notACondition,
        "\(describe(expression, type)) is not a yes-or-no test; write '\(id) is VALUE' or '\(id) is answered'",
        expression.range)
      return
    default:
      break
    }
    report(
      .notACondition,
      "\(describe(expression, type)) is not a yes-or-no test; compare it, or test it with 'is answered'",
      expression.range)
  }

  private mutating func expect(
    _ expression: Expression, _ type: ValueType, _ wanted: ValueType, _ message: String
  ) {
    if type == wanted || type == .unknown { return }
    report(
      .typeMismatch, "\(message), but \(describe(expression, type)) is \(type.phrase)",
      expression.range)
  }

  private func describe(_ expression: Expression, _ type: ValueType) -> String {
    if case .reference(let name) = expression.kind, let question = scope.question(name) {
      return "\(question.kind.name) '\(name)'"
    }
    if case .reference(let name) = expression.kind { return "'\(name)'" }
    return type.phrase
  }

  private mutating func report(
    _ code: DiagnosticCode, _ message: String, _ range: SourceRange, fixIt: String? = nil
  ) {
    diagnostics.append(Diagnostic(code, message, at: range, fixIt: fixIt))
  }
}

/// Compiles the regular expressions of the language.
public enum RegexSupport {
  /// Why `pattern` does not compile, or nil when it does.
  public static func problem(pattern: String, ignoresCase: Bool) -> String? {
    // ICU takes some 30 µs to compile a pattern, and a guide tests the same few patterns in many
    // conditions: remember the outcome of each.
    let key = RegexProblems.Key(pattern: pattern, ignoresCase: ignoresCase)
    if let known = compiled.outcome(key) { return known }
    let problem: String?
    do {
      _ = try NSRegularExpression(pattern: pattern, options: ignoresCase ? [.caseInsensitive] : [])
      problem = nil
    } catch {
      problem = "'\(pattern)' is not a valid pattern"
    }
    compiled.remember(problem, for: key)
    return problem
  }

  private static let compiled = RegexProblems()

  /// Whether `pattern` matches anywhere in `text`.
  public static func matches(_ text: String, pattern: String, ignoresCase: Bool) -> Bool {
    guard
      let regex = try? NSRegularExpression(
        pattern: pattern, options: ignoresCase ? [.caseInsensitive] : [])
    else { return false }
    let range = NSRange(text.startIndex..<text.endIndex, in: text)
    return regex.firstMatch(in: text, options: [], range: range) != nil
  }
}

/// The outcome of compiling each pattern seen, shared by every check in the process.
private final class RegexProblems: @unchecked Sendable {
  struct Key: Hashable {
    var pattern: String
    var ignoresCase: Bool
  }

  // `outcomes` is read and written only while `lock` is held.
  private let lock = NSLock()
  private var outcomes: [Key: String?] = [:]
  /// A long-running process may see many patterns; past this many, start again.
  private let capacity = 512

  /// `.some(nil)` when the pattern compiles, `.some(problem)` when not, nil when never seen.
  func outcome(_ key: Key) -> String?? {
    lock.withLock { outcomes[key] }
  }

  func remember(_ problem: String?, for key: Key) {
    lock.withLock {
      if outcomes.count >= capacity { outcomes.removeAll() }
      outcomes[key] = .some(problem)
    }
  }
}
