import Testing

@testable import GembaCore

@Suite("Expression parser")
struct ExpressionParserTests {
  private func parse(_ text: String) -> ExpressionParser.Result {
    ExpressionParser.parse(Substring(text), at: SourceLocation(path: "t", line: 1, column: 1))
  }

  private func expression(_ text: String) throws -> Expression {
    switch parse(text) {
    case .success(let expression): return expression
    case .failure(let diagnostic):
      Issue.record("unexpected diagnostic: \(diagnostic.message)")
      throw CancellationError()
    }
  }

  @Test func precedenceOfAndOverOr() throws {
    let parsed = try expression("a is answered or b > 2 and not c")
    guard case .or(let left, let right) = parsed.kind else {
      Issue.record("expected 'or' at the top, got \(parsed.kind)")
      return
    }
    guard case .state(let subject, .answered, negated: false) = left.kind,
      subject.kind == .reference("a")
    else {
      Issue.record("expected 'a is answered' on the left, got \(left.kind)")
      return
    }
    guard case .and(let comparison, let negation) = right.kind else {
      Issue.record("expected 'and' on the right, got \(right.kind)")
      return
    }
    guard case .comparison(.greater, _, _) = comparison.kind, case .not = negation.kind else {
      Issue.record("expected 'b > 2' and 'not c', got \(comparison.kind) and \(negation.kind)")
      return
    }
  }

  @Test func arithmeticBindsTighterThanComparison() throws {
    let parsed = try expression("push + pull * 2 > anxiety - 1")
    guard case .comparison(.greater, let left, let right) = parsed.kind,
      case .arithmetic(.add, _, let product) = left.kind,
      case .arithmetic(.multiply, _, _) = product.kind,
      case .arithmetic(.subtract, _, _) = right.kind
    else {
      Issue.record("wrong tree: \(parsed.kind)")
      return
    }
  }

  @Test(arguments: [
    ("focus is growth", "isValue"),
    ("focus is not growth", "isValue"),
    ("focus is one of [growth, service]", "isOneOf"),
    ("channels includes email", "includes"),
    ("purpose mentions \"lead time\"", "mentions"),
    ("purpose mentions any of [\"excel\", \"sheet\"]", "mentions"),
    ("purpose contains \"spread\"", "contains"),
    ("purpose matches /\\d+ days/i", "matches"),
    ("purpose is skipped", "state"),
    ("purpose is not asked", "state"),
    ("decided < 2026-01-01", "comparison"),
    ("tagged(#failure-demand)", "call"),
    ("count(#habit) >= 2", "comparison"),
    ("pilot", "reference"),
    ("-3 < x", "comparison"),
  ])
  func everyFormParses(source: String, shape: String) throws {
    let parsed = try expression(source)
    let name = String(describing: parsed.kind).prefix(while: { $0 != "(" })
    #expect(name == shape)
  }

  @Test func regexKeepsPatternAndFlag() throws {
    let parsed = try expression(#"x matches /a\/b \d/i"#)
    guard case .matches(_, let regex) = parsed.kind,
      case .regex(let pattern, let ignoresCase) = regex.kind
    else {
      Issue.record("expected a regex")
      return
    }
    #expect(pattern == #"a/b \d"#)
    #expect(ignoresCase)
  }

  @Test func wordsAfterIsAreOptionValues() throws {
    let parsed = try expression("focus is one of [growth, \"service\"]")
    guard case .isOneOf(_, let list, negated: false) = parsed.kind,
      case .list(let items) = list.kind
    else {
      Issue.record("expected a list")
      return
    }
    #expect(items.map(\.kind) == [.word("growth"), .text("service")])
  }

  @Test func datesAndNumbers() throws {
    let day = try #require(Day(year: 2026, month: 2, day: 28))
    #expect(try expression("2026-02-28").kind == .date(day))
    #expect(Day(year: 2026, month: 2, day: 29) == nil)
    #expect(Day(year: 2024, month: 2, day: 29) != nil)
    #expect(try expression("0.5").kind == .number(0.5))
    #expect(try expression("-2").kind == .number(-2))
  }

  @Test(arguments: [
    ("1️⃣", "expected an expression"),
    ("a and 1️⃣", "expression ends too early"),
    ("(a is answered 1️⃣", "expected ')'"),
    ("a 1️⃣b", "unexpected 'b' after the end of the expression"),
    ("a 1️⃣&& b", "write 'and' instead of '&'"),
    ("a 1️⃣! b", "'!' is not an operator"),
    ("x matches 1️⃣abc", "expected a regular expression"),
    ("x matches 1️⃣/abc", "no closing '/'"),
    ("x mentions 1️⃣\"abc", "no closing"),
    ("x is one 1️⃣[a]", "expected 'of'"),
    ("x is one of [a 1️⃣b]", "expected ',' or ']'"),
    ("x > 1️⃣and", "expected a value, found 'and'"),
    ("1️⃣#", "expected a tag name"),
    ("x matches /a/1️⃣g", "unknown regular expression flag"),
  ])
  func syntaxErrorsPointAtTheProblem(marked: String, message: String) {
    let source = MarkedText(marked)
    guard case .failure(let diagnostic) = parse(source.text) else {
      Issue.record("expected a syntax error for \(source.text)")
      return
    }
    #expect(diagnostic.code == .expressionSyntax)
    #expect(diagnostic.message.contains(message), "got: \(diagnostic.message)")
    let expected = source.positions["1️⃣"]
    #expect(diagnostic.range.start.column == expected?.column, "for \(source.text)")
  }
}
