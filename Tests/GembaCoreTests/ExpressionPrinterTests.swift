import Testing

@testable import GembaCore

@Suite("Expression printer")
struct ExpressionPrinterTests {
  private func parse(_ text: String) throws -> Expression {
    switch ExpressionParser.parse(
      Substring(text), at: SourceLocation(path: "t", line: 1, column: 1))
    {
    case .success(let expression): return expression
    case .failure(let diagnostic):
      Issue.record("'\(text)' does not parse: \(diagnostic.message)")
      throw CancellationError()
    }
  }

  /// Printing is a normal form: the printed text parses back to something that prints the same,
  /// so nothing was lost or regrouped on the way.
  private func roundTrip(_ text: String) throws -> String {
    let printed = ExpressionPrinter.print(try parse(text))
    #expect(ExpressionPrinter.print(try parse(printed)) == printed, "'\(printed)' is not stable")
    return printed
  }

  @Test(arguments: [
    "purpose is answered",
    "purpose is not skipped",
    "focus is growth",
    "focus is not growth",
    "focus is one of [growth, service]",
    "focus is not one of [growth, service]",
    "channels includes email",
    "count(channels) >= 2",
    "staff > 20 and staff <= 200",
    "push + pull > anxiety + habit",
    "pilot is yes",
    "pilot",
    "decided < 2026-01-01",
    "purpose mentions \"lead time\"",
    "purpose contains \"spread\"",
    "purpose mentions any of [\"excel\", \"spreadsheet\"]",
    "length(purpose) > 40",
    "words(purpose) < 5",
    "tagged(#habit)",
    "count(#failure-demand) != 0",
    "avg(#push) = 1.5",
    ". < 10000",
    "a or b or c",
    "a and b and c",
    "-2 < x",
    "x * -1 > 0",
  ])
  func printsWhatAnAuthorWrites(source: String) throws {
    #expect(try roundTrip(source) == source)
  }

  @Test(arguments: [
    (
      "(push >= 2 or pull >= 2) and not tagged(#habit)",
      "(push >= 2 or pull >= 2) and not tagged(#habit)"
    ),
    ("not a is answered", "not (a is answered)"),
    ("not (a and b)", "not (a and b)"),
    ("not not a", "not (not a)"),
    ("a or (b and c)", "a or b and c"),
    ("(a or b) and c", "(a or b) and c"),
    ("a and (b and c)", "a and (b and c)"),
    ("a - (b - c) > 0", "a - (b - c) > 0"),
    ("(a - b) - c > 0", "a - b - c > 0"),
    ("a * (b + c) > 0", "a * (b + c) > 0"),
    ("a / (b * c) > 0", "a / (b * c) > 0"),
    ("-(a + b) < 0", "-(a + b) < 0"),
    ("((a)) > ((1))", "a > 1"),
    ("x == 3", "x = 3"),
    ("x is true", "x is yes"),
    ("x is false", "x is no"),
    ("count( [ 1,2 ,3 ] ) > 0", "count([1, 2, 3]) > 0"),
  ])
  func normalizesSpacingAndParentheses(source: String, expected: String) throws {
    #expect(try roundTrip(source) == expected)
  }

  @Test func escapesText() throws {
    let printed = try roundTrip(#"purpose contains "say \"hi\" \\ now""#)
    #expect(printed == #"purpose contains "say \"hi\" \\ now""#)
    guard case .contains(_, let text) = try parse(printed).kind else {
      Issue.record("expected 'contains'")
      return
    }
    #expect(text.kind == .text(#"say "hi" \ now"#))
  }

  @Test func escapesTheSlashInARegularExpression() throws {
    let printed = try roundTrip(#"purpose matches /\d+ ?(days|weeks)\/month/i"#)
    #expect(printed == #"purpose matches /\d+ ?(days|weeks)\/month/i"#)
    guard case .matches(_, let regex) = try parse(printed).kind else {
      Issue.record("expected 'matches'")
      return
    }
    #expect(regex.kind == .regex(pattern: #"\d+ ?(days|weeks)/month"#, ignoresCase: true))
  }

  @Test func keepsAReferenceAfterIsAReference() throws {
    let at = SourceRange(path: "t", line: 1, column: 1)
    let expression = Expression(
      .isValue(Expression(.reference("a"), at), Expression(.reference("b"), at), negated: false),
      at)
    let printed = ExpressionPrinter.print(expression)
    #expect(printed == "a is (b)")
    guard case .isValue(_, let value, _) = try parse(printed).kind else {
      Issue.record("expected 'is'")
      return
    }
    #expect(value.kind == .reference("b"))
  }

  @Test(arguments: [
    (0.5, "0.5"), (3, "3"), (-2, "-2"), (1e-7, "0.0000001"), (1.5e-7, "0.00000015"),
    (1e16, "10000000000000000"), (-2.5e20, "-250000000000000000000"),
  ])
  func printsNumbersWithoutAnExponent(value: Double, expected: String) throws {
    let at = SourceRange(path: "t", line: 1, column: 1)
    let printed = ExpressionPrinter.print(Expression(.number(value), at))
    #expect(printed == expected)
    #expect(try parse("x = " + printed).kind == parse("x = \(expected)").kind)
  }
}
