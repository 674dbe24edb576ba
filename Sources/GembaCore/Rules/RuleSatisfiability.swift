/// Finds rules that can never fire, where that can be seen from the rule and its guides alone:
/// a scale compared with a number beyond its ends, one question tested for two different options,
/// a question required to be both answered and skipped, or an `unless` that holds whenever the
/// `when` does.
///
/// The analysis only ever says "never" when it is sure: anything it does not understand (text
/// tests, tags, computed values) counts as possibly true and possibly false.
enum RuleSatisfiability {
  /// Why `rule` can never fire, or nil when it may.
  static func neverFires(_ rule: Rule, scope: RuleScope) -> String? {
    guard let when = rule.when else { return nil }
    let builder = FormulaBuilder(scope: scope)
    let whenFormula = builder.formula(when, positive: true)
    guard let whenTerms = Formula.disjunction(of: whenFormula) else { return nil }
    let analyzer = Analyzer(scope: scope)
    if let reason = analyzer.allUnsatisfiable(whenTerms) { return reason }
    guard !rule.unless.isEmpty else { return nil }
    let whole = Formula.and(
      [whenFormula] + rule.unless.map { builder.formula($0, positive: false) })
    guard let terms = Formula.disjunction(of: whole),
      let reason = analyzer.allUnsatisfiable(terms)
    else { return nil }
    return "its 'unless' holds whenever its 'when' does (\(reason))"
  }
}

/// A test of one question that the analysis understands.
private enum Atom {
  case state(String, AnswerStateTest)
  /// `q is VALUE` for a literal of the question's kind.
  case equals(String, Literal)
  case oneOf(String, [Literal])
  /// `q OP number`.
  case compare(String, ComparisonOperator, Double)
  /// True only when the question has a value (any comparison, `includes`).
  case hasValue(String)
  /// True only when the question was answered (text tests read the customer's words).
  case answered(String)
  /// A test over several answers whose possible truth is known (arithmetic comparisons).
  case opaque(canBeTrue: Bool, why: String)

  enum Literal: Equatable {
    case word(String)
    case boolean(Bool)
    case number(Double)
  }
}

/// A condition in negation normal form: `not` pushed down to the atoms.
private indirect enum Formula {
  case and([Formula])
  case or([Formula])
  case atom(Atom, positive: Bool, text: String)
  case constant(Bool)
  /// Anything not understood: it may be true or false.
  case free

  /// A conjunction of atoms: one way for the condition to be true.
  struct Term {
    var atoms: [(atom: Atom, positive: Bool, text: String)] = []
  }

  /// The condition as a list of terms, any of which makes it true; nil when that list would be
  /// too long to look at.
  static func disjunction(of formula: Formula, limit: Int = 512) -> [Term]? {
    switch formula {
    case .constant(let value):
      return value ? [Term()] : []
    case .free:
      return [Term()]
    case .atom(let atom, let positive, let text):
      return [Term(atoms: [(atom, positive, text)])]
    case .or(let items):
      var terms: [Term] = []
      for item in items {
        guard let more = disjunction(of: item, limit: limit) else { return nil }
        terms += more
        if terms.count > limit { return nil }
      }
      return terms
    case .and(let items):
      var terms = [Term()]
      for item in items {
        guard let more = disjunction(of: item, limit: limit) else { return nil }
        var product: [Term] = []
        for left in terms {
          for right in more {
            product.append(Term(atoms: left.atoms + right.atoms))
            if product.count > limit { return nil }
          }
        }
        terms = product
      }
      return terms
    }
  }
}

/// Turns conditions and expressions into formulas.
private struct FormulaBuilder {
  let scope: RuleScope

  func formula(_ condition: Condition, positive: Bool) -> Formula {
    switch condition {
    case .test(let expression):
      return formula(expression, positive: positive)
    case .all(let items, _):
      let parts = items.map { formula($0, positive: positive) }
      return positive ? .and(parts) : .or(parts)
    case .any(let items, _):
      let parts = items.map { formula($0, positive: positive) }
      return positive ? .or(parts) : .and(parts)
    }
  }

  func formula(_ expression: Expression, positive: Bool) -> Formula {
    let text = ExpressionPrinter.print(expression)
    func atom(_ atom: Atom, _ holds: Bool) -> Formula {
      .atom(atom, positive: holds, text: holds ? text : "not (\(text))")
    }
    switch expression.kind {
    case .boolean(let value):
      return .constant(value == positive)
    case .not(let operand):
      return formula(operand, positive: !positive)
    case .and(let a, let b):
      let parts = [formula(a, positive: positive), formula(b, positive: positive)]
      return positive ? .and(parts) : .or(parts)
    case .or(let a, let b):
      let parts = [formula(a, positive: positive), formula(b, positive: positive)]
      return positive ? .or(parts) : .and(parts)
    case .state(let operand, let test, let negated):
      guard case .reference(let name) = operand.kind else { return .constant(negated == positive) }
      guard let id = questionID(name) else { return .free }
      return atom(.state(id, test), positive != negated)
    case .isValue(let a, let b, let negated):
      guard let id = reference(a), let literal = literal(b, for: id) else { return .free }
      return atom(.equals(id, literal), positive != negated)
    case .isOneOf(let a, let list, let negated):
      guard let id = reference(a), case .list(let items) = list.kind else { return .free }
      let literals = items.compactMap { literal($0, for: id) }
      guard literals.count == items.count else { return .free }
      return atom(.oneOf(id, literals), positive != negated)
    case .comparison(let op, let a, let b):
      return comparison(op, a, b, positive: positive, text: text)
    case .reference(let name):
      // A yes/no question on its own means `is yes`.
      guard let id = questionID(name), case .yesNo? = scope.question(id)?.kind else { return .free }
      return atom(.equals(id, .boolean(true)), positive)
    case .includes(let a, _):
      guard let id = reference(a) else { return .free }
      return positive ? atom(.hasValue(id), true) : .free
    case .mentions(let a, _, _), .contains(let a, _), .matches(let a, _):
      guard let id = reference(a) else { return .free }
      return positive ? atom(.answered(id), true) : .free
    default:
      if !references(expression), let value = constantTruth(expression) {
        return .constant(value == positive)
      }
      return .free
    }
  }

  private func comparison(
    _ op: ComparisonOperator, _ a: Expression, _ b: Expression, positive: Bool, text: String
  ) -> Formula {
    if let id = reference(a), case .number(let value) = b.kind, isNumeric(id) {
      return .atom(
        .compare(id, op, value), positive: positive, text: positive ? text : "not (\(text))")
    }
    if let id = reference(b), case .number(let value) = a.kind, isNumeric(id) {
      return .atom(
        .compare(id, op.flipped, value), positive: positive,
        text: positive ? text : "not (\(text))")
    }
    if !references(a), !references(b),
      let value = constantTruth(Expression(.comparison(op, a, b), a.range))
    {
      return .constant(value == positive)
    }
    guard positive else { return .free }
    // A comparison of sums is true only when every question in it has a value, and only when the
    // ranges of the two sides allow it.
    var parts: [Formula] = []
    var ids: [String] = []
    ExpressionWalker.references(in: a) { ids.append($0) }
    ExpressionWalker.references(in: b) { ids.append($0) }
    for name in ids {
      if let id = questionID(name) {
        parts.append(.atom(.hasValue(id), positive: true, text: text))
      }
    }
    if let left = interval(a), let right = interval(b), !left.allows(op, right) {
      var sides: [String] = []
      for (side, range) in [(a, left), (b, right)] {
        if case .number = side.kind { continue }
        sides.append("'\(ExpressionPrinter.print(side))' is \(range.phrase)")
      }
      let why = "'\(text)' is never true: " + sides.joined(separator: " and ")
      parts.append(.atom(.opaque(canBeTrue: false, why: why), positive: true, text: text))
    }
    return .and(parts)
  }

  // MARK: Pieces

  private func questionID(_ name: String) -> String? {
    guard scope.isQuestion(name) else { return nil }
    return scope.canonical(name)
  }

  private func reference(_ expression: Expression) -> String? {
    guard case .reference(let name) = expression.kind else { return nil }
    return questionID(name)
  }

  private func isNumeric(_ id: String) -> Bool {
    guard !scope.mixedKinds.contains(id), let question = scope.question(id) else { return false }
    switch question.kind {
    case .scale, .number: return true
    default: return false
    }
  }

  /// The literal `expression` is, when it is one the question `id` can be tested with.
  private func literal(_ expression: Expression, for id: String) -> Atom.Literal? {
    guard !scope.mixedKinds.contains(id), let question = scope.question(id) else { return nil }
    switch (question.kind, expression.kind) {
    case (.choice, .word(let word)), (.choice, .text(let word)): return .word(word)
    case (.choice, .boolean(let flag)): return .word(flag ? "yes" : "no")
    case (.yesNo, .boolean(let flag)): return .boolean(flag)
    case (.scale, .number(let value)), (.number, .number(let value)): return .number(value)
    default: return nil
    }
  }

  private func references(_ expression: Expression) -> Bool {
    var found = false
    ExpressionWalker.references(in: expression) { _ in found = true }
    return found || ExpressionWalker.usesAnswers(expression)
  }

  private func constantTruth(_ expression: Expression) -> Bool? {
    Evaluator(context: NoAnswersContext()).holds(expression)
  }

  /// The values an arithmetic expression can take, from the bounds of the questions in it.
  private func interval(_ expression: Expression) -> Interval? {
    switch expression.kind {
    case .number(let value):
      return Interval(low: value, high: value)
    case .reference(let name):
      guard let id = questionID(name), isNumeric(id) else { return nil }
      let bounds = scope.bounds[id]
      return Interval(low: bounds?.low ?? -.infinity, high: bounds?.high ?? .infinity)
    case .negate(let operand):
      return interval(operand).map { Interval(low: -$0.high, high: -$0.low) }
    case .arithmetic(let op, let a, let b):
      guard let x = interval(a), let y = interval(b) else { return nil }
      switch op {
      case .add: return Interval(low: x.low + y.low, high: x.high + y.high)
      case .subtract: return Interval(low: x.low - y.high, high: x.high - y.low)
      case .multiply:
        guard x.isFinite, y.isFinite else { return nil }
        let products = [x.low * y.low, x.low * y.high, x.high * y.low, x.high * y.high]
        return Interval(low: products.min() ?? 0, high: products.max() ?? 0)
      case .divide:
        return nil
      }
    default:
      return nil
    }
  }
}

/// A closed range of numbers.
private struct Interval {
  var low: Double
  var high: Double

  var isFinite: Bool { low.isFinite && high.isFinite }

  var phrase: String {
    if low == high { return format(low) }
    switch (low.isFinite, high.isFinite) {
    case (true, true): return "between \(format(low)) and \(format(high))"
    case (true, false): return "at least \(format(low))"
    case (false, true): return "at most \(format(high))"
    default: return "any number"
    }
  }

  /// Whether some value on the left and some on the right can stand in `op`.
  func allows(_ op: ComparisonOperator, _ other: Interval) -> Bool {
    switch op {
    case .greater: return high > other.low
    case .greaterOrEqual: return high >= other.low
    case .less: return low < other.high
    case .lessOrEqual: return low <= other.high
    case .equal: return low <= other.high && other.low <= high
    case .notEqual: return !(low == high && other.low == other.high && low == other.low)
    }
  }
}

extension ComparisonOperator {
  /// The operator with its sides swapped: `3 < x` is `x > 3`.
  var flipped: ComparisonOperator {
    switch self {
    case .less: .greater
    case .lessOrEqual: .greaterOrEqual
    case .greater: .less
    case .greaterOrEqual: .lessOrEqual
    case .equal, .notEqual: self
    }
  }
}

/// What each question of one term may still be.
private struct Analyzer {
  let scope: RuleScope

  /// The states a question can be in, told apart by what tests see.
  private enum State: CaseIterable {
    /// Answered, and understood as the question's kind.
    case valued
    /// Answered, but the words could not be read as the kind (tests of the value are false).
    case unvalued
    case skipped
    case unasked
  }

  private struct Domain {
    var states = Set(State.allCases)
    var low = -Double.infinity
    var lowOpen = false
    var high = Double.infinity
    var highOpen = false
    /// The options still possible, for a choice; nil for any other kind.
    var options: Set<String>?
    var booleans: Set<Bool> = [true, false]
    var tests: [String] = []

    var numbersEmpty: Bool { low > high || (low == high && (lowOpen || highOpen)) }
  }

  /// A reason when every term is impossible; nil when some term may hold.
  func allUnsatisfiable(_ terms: [Formula.Term]) -> String? {
    var first: String?
    for term in terms {
      guard let reason = unsatisfiable(term) else { return nil }
      if first == nil { first = reason }
    }
    return first ?? "its condition is always false"
  }

  private func unsatisfiable(_ term: Formula.Term) -> String? {
    var domains: [String: Domain] = [:]
    for (atom, positive, text) in term.atoms {
      let id: String
      switch atom {
      case .opaque(let canBeTrue, let why):
        if positive && !canBeTrue { return why }
        continue
      case .state(let q, _), .equals(let q, _), .oneOf(let q, _), .compare(let q, _, _),
        .hasValue(let q), .answered(let q):
        id = q
      }
      var domain = domains[id] ?? initialDomain(id)
      domain.tests.append(text)
      apply(atom, positive: positive, to: &domain)
      if domain.states.isEmpty {
        return explain(id, domain)
      }
      domains[id] = domain
    }
    return nil
  }

  private func explain(_ id: String, _ domain: Domain) -> String {
    var tests: [String] = []
    for test in domain.tests where !tests.contains(test) { tests.append(test) }
    if tests.count == 1, let bounds = scope.bounds[id], let low = bounds.low, let high = bounds.high
    {
      return "'\(tests[0])' is never true: '\(id)' runs from \(format(low)) to \(format(high))"
    }
    if tests.count == 1 { return "'\(tests[0])' is never true" }
    let listed = tests.map { "'\($0)'" }.joined(separator: " and ")
    return "no answer to '\(id)' makes \(listed) all true"
  }

  private func initialDomain(_ id: String) -> Domain {
    var domain = Domain()
    if let bounds = scope.bounds[id] {
      domain.low = bounds.low ?? -.infinity
      domain.high = bounds.high ?? .infinity
    }
    if !scope.mixedKinds.contains(id), let question = scope.question(id) {
      switch question.kind {
      case .choice: domain.options = Set(question.options.map(\.value))
      case .text: domain.states.remove(.unvalued)
      default: break
      }
    }
    return domain
  }

  private func apply(_ atom: Atom, positive: Bool, to domain: inout Domain) {
    switch atom {
    case .state(_, let test):
      let answered: Set<State> = [.valued, .unvalued]
      let matching: Set<State>
      switch test {
      case .answered: matching = answered
      case .skipped: matching = [.skipped]
      case .asked: matching = answered.union([.skipped])
      }
      domain.states.formIntersection(
        positive ? matching : Set(State.allCases).subtracting(matching))
    case .hasValue:
      if positive { domain.states.formIntersection([.valued]) }
    case .answered:
      if positive { domain.states.formIntersection([.valued, .unvalued]) }
    case .equals(_, let literal):
      narrow(&domain, positive: positive) { domain in
        switch literal {
        case .word(let word):
          domain.options =
            positive ? domain.options?.intersection([word]) : domain.options?.subtracting([word])
        case .boolean(let flag):
          domain.booleans =
            positive ? domain.booleans.intersection([flag]) : domain.booleans.subtracting([flag])
        case .number(let value):
          if positive { bound(&domain, .equal, value) }
        }
      }
    case .oneOf(_, let literals):
      narrow(&domain, positive: positive) { domain in
        var words: Set<String> = []
        var flags: Set<Bool> = []
        for literal in literals {
          switch literal {
          case .word(let word): words.insert(word)
          case .boolean(let flag): flags.insert(flag)
          case .number: break
          }
        }
        if domain.options != nil {
          domain.options =
            positive ? domain.options?.intersection(words) : domain.options?.subtracting(words)
        } else if !flags.isEmpty || literals.isEmpty {
          domain.booleans =
            positive ? domain.booleans.intersection(flags) : domain.booleans.subtracting(flags)
        }
      }
    case .compare(_, let op, let value):
      narrow(&domain, positive: positive) { domain in
        if positive {
          bound(&domain, op, value)
        } else if let opposite = op.opposite {
          bound(&domain, opposite, value)
        }
      }
    case .opaque:
      break
    }
  }

  /// A positive test of a value needs one; a negative one leaves the other states alone and only
  /// narrows the values a valued answer may have.
  private func narrow(_ domain: inout Domain, positive: Bool, _ change: (inout Domain) -> Void) {
    if positive { domain.states.formIntersection([.valued]) }
    guard domain.states.contains(.valued) else { return }
    change(&domain)
    if domain.numbersEmpty || domain.options?.isEmpty == true || domain.booleans.isEmpty {
      domain.states.remove(.valued)
    }
  }

  private func bound(_ domain: inout Domain, _ op: ComparisonOperator, _ value: Double) {
    switch op {
    case .greater, .greaterOrEqual:
      let open = op == .greater
      if value > domain.low || (value == domain.low && open) {
        domain.low = value
        domain.lowOpen = open
      }
    case .less, .lessOrEqual:
      let open = op == .less
      if value < domain.high || (value == domain.high && open) {
        domain.high = value
        domain.highOpen = open
      }
    case .equal:
      bound(&domain, .greaterOrEqual, value)
      bound(&domain, .lessOrEqual, value)
    case .notEqual:
      break
    }
  }
}

extension ComparisonOperator {
  /// The comparison true exactly when this one is false (between two numbers), when there is one
  /// that is a range.
  fileprivate var opposite: ComparisonOperator? {
    switch self {
    case .less: .greaterOrEqual
    case .lessOrEqual: .greater
    case .greater: .lessOrEqual
    case .greaterOrEqual: .less
    case .notEqual: .equal
    case .equal: nil
    }
  }
}

/// An evaluation context with no answers, for conditions made only of literals.
struct NoAnswersContext: EvaluationContext {
  func state(of id: String) -> QuestionState { .unasked }
  func computed(_ name: String) -> Value? { nil }
  func answers(taggedWith tag: String) -> [RecordedAnswer] { [] }
}
