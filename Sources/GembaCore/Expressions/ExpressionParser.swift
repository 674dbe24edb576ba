/// Parses the expression language into an ``Expression``.
///
/// The parser reads one expression from a piece of a line. Positions in the result and in its
/// diagnostics are real places in the source file: `start` is where the expression text begins.
///
///     let result = ExpressionParser.parse("push + pull > 4", at: start)
public struct ExpressionParser {
  private var lexer: ExpressionLexer
  private var current: ExpressionToken
  private var previousEnd = 0
  private let start: SourceLocation

  /// The result of parsing: the expression, or the diagnostic that stopped it.
  public enum Result: Sendable {
    case success(Expression)
    case failure(Diagnostic)
  }

  private struct Failure: Error {
    var diagnostic: Diagnostic
  }

  /// Parses the whole of `text`, which starts at `start` in its file.
  public static func parse(_ text: Substring, at start: SourceLocation) -> Result {
    var parser = ExpressionParser(text: text, start: start)
    do throws(Failure) {
      try parser.advance()
      if parser.current.kind == .end {
        throw parser.failure("expected an expression", at: parser.current)
      }
      let expression = try parser.parseOr()
      guard parser.current.kind == .end else {
        throw parser.failure(
          "unexpected \(parser.describe(parser.current)) after the end of the expression; "
            + "join tests with 'and' or 'or'", at: parser.current)
      }
      return .success(expression)
    } catch {
      return .failure(error.diagnostic)
    }
  }

  private init(text: Substring, start: SourceLocation) {
    self.lexer = ExpressionLexer(text)
    self.current = ExpressionToken(kind: .end, offset: 0, length: 0)
    self.start = start
  }

  // MARK: Grammar

  private mutating func parseOr() throws(Failure) -> Expression {
    var left = try parseAnd()
    while isKeyword("or") {
      try advance()
      let right = try parseAnd()
      left = Expression(.or(left, right), span(left, right))
    }
    return left
  }

  private mutating func parseAnd() throws(Failure) -> Expression {
    var left = try parseNot()
    while isKeyword("and") {
      try advance()
      let right = try parseNot()
      left = Expression(.and(left, right), span(left, right))
    }
    return left
  }

  private mutating func parseNot() throws(Failure) -> Expression {
    if isKeyword("not") {
      let token = current
      try advance()
      let operand = try parseNot()
      return Expression(.not(operand), span(from: token, to: operand))
    }
    return try parseTest()
  }

  private mutating func parseTest() throws(Failure) -> Expression {
    let left = try parseArithmetic()
    if case .symbol(let symbol) = current.kind,
      let op = ComparisonOperator(rawValue: symbol)
    {
      try advance()
      let right = try parseArithmetic()
      return Expression(.comparison(op, left, right), span(left, right))
    }
    if isKeyword("is") {
      try advance()
      var negated = false
      if isKeyword("not") {
        negated = true
        try advance()
      }
      for test in [AnswerStateTest.answered, .skipped, .asked] where isKeyword(test.rawValue) {
        let token = current
        try advance()
        return Expression(.state(left, test, negated: negated), span(from: left, to: token))
      }
      if isKeyword("one") {
        try advance()
        try expectKeyword("of", after: "'is one'")
        let list = try parseList()
        return Expression(.isOneOf(left, list, negated: negated), span(left, list))
      }
      let right = try parseOperand()
      return Expression(.isValue(left, right, negated: negated), span(left, right))
    }
    if isKeyword("includes") {
      try advance()
      let right = try parseOperand()
      return Expression(.includes(left, right), span(left, right))
    }
    if isKeyword("mentions") {
      try advance()
      if isKeyword("any") {
        try advance()
        try expectKeyword("of", after: "'mentions any'")
        let list = try parseList()
        return Expression(.mentions(left, list, anyOf: true), span(left, list))
      }
      let right = try parseArithmetic()
      return Expression(.mentions(left, right, anyOf: false), span(left, right))
    }
    if isKeyword("contains") {
      try advance()
      let right = try parseArithmetic()
      return Expression(.contains(left, right), span(left, right))
    }
    if isKeyword("matches") {
      let token: ExpressionToken
      do {
        token = try lexer.nextRegex()
      } catch {
        throw lexFailure(error)
      }
      guard case .regex(let pattern, let ignoresCase) = token.kind else {
        throw failure("expected a regular expression", at: token)
      }
      let regex = Expression(.regex(pattern: pattern, ignoresCase: ignoresCase), range(of: token))
      previousEnd = token.offset + token.length
      try advance()
      return Expression(.matches(left, regex), span(left, regex))
    }
    return left
  }

  private mutating func parseArithmetic() throws(Failure) -> Expression {
    var left = try parseTerm()
    while case .symbol(let symbol) = current.kind, symbol == "+" || symbol == "-",
      let op = ArithmeticOperator(rawValue: symbol)
    {
      try advance()
      let right = try parseTerm()
      left = Expression(.arithmetic(op, left, right), span(left, right))
    }
    return left
  }

  private mutating func parseTerm() throws(Failure) -> Expression {
    var left = try parseUnary()
    while case .symbol(let symbol) = current.kind, symbol == "*" || symbol == "/",
      let op = ArithmeticOperator(rawValue: symbol)
    {
      try advance()
      let right = try parseUnary()
      left = Expression(.arithmetic(op, left, right), span(left, right))
    }
    return left
  }

  private mutating func parseUnary() throws(Failure) -> Expression {
    if current.kind == .symbol("-") {
      let token = current
      try advance()
      let operand = try parseUnary()
      if case .number(let value) = operand.kind {
        return Expression(.number(-value), span(from: token, to: operand))
      }
      return Expression(.negate(operand), span(from: token, to: operand))
    }
    return try parsePrimary()
  }

  private mutating func parsePrimary() throws(Failure) -> Expression {
    let token = current
    switch token.kind {
    case .number(let value):
      try advance()
      return Expression(.number(value), range(of: token))
    case .text(let value):
      try advance()
      return Expression(.text(value), range(of: token))
    case .date(let value):
      try advance()
      return Expression(.date(value), range(of: token))
    case .tag(let value):
      try advance()
      return Expression(.tag(value), range(of: token))
    case .symbol("("):
      try advance()
      let inner = try parseOr()
      guard current.kind == .symbol(")") else {
        throw failure(
          "expected ')' to close the '(' at column \(range(of: token).start.column)", at: current)
      }
      let close = current
      try advance()
      var result = inner
      result.range = span(from: token, toToken: close)
      return result
    case .symbol("["):
      return try parseList()
    case .symbol("."):
      try advance()
      return Expression(.dot, range(of: token))
    case .identifier(let name):
      if let literal = booleanLiteral(name) {
        try advance()
        return Expression(.boolean(literal), range(of: token))
      }
      if Self.keywords.contains(name) {
        throw failure("expected a value, found '\(name)'", at: token)
      }
      try advance()
      if current.kind == .symbol("(") {
        try advance()
        var arguments: [Expression] = []
        if current.kind != .symbol(")") {
          arguments.append(try parseOr())
          while current.kind == .symbol(",") {
            try advance()
            arguments.append(try parseOr())
          }
        }
        guard current.kind == .symbol(")") else {
          throw failure("expected ')' after the arguments of '\(name)'", at: current)
        }
        let close = current
        try advance()
        return Expression(.call(name, arguments), span(from: token, toToken: close))
      }
      return Expression(.reference(name), range(of: token))
    case .end:
      throw failure("expression ends too early; expected a value", at: token)
    default:
      throw failure("expected a value, found \(describe(token))", at: token)
    }
  }

  /// After `is` or `includes`: a bare word is an option value, anything else a value.
  private mutating func parseOperand() throws(Failure) -> Expression {
    if case .identifier(let name) = current.kind, booleanLiteral(name) == nil,
      !Self.keywords.contains(name)
    {
      let token = current
      try advance()
      return Expression(.word(name), range(of: token))
    }
    return try parseUnary()
  }

  private mutating func parseList() throws(Failure) -> Expression {
    guard current.kind == .symbol("[") else {
      throw failure("expected a list like [a, b]", at: current)
    }
    let open = current
    try advance()
    var items: [Expression] = []
    if current.kind != .symbol("]") {
      items.append(try parseOperand())
      while current.kind == .symbol(",") {
        try advance()
        items.append(try parseOperand())
      }
    }
    guard current.kind == .symbol("]") else {
      throw failure("expected ',' or ']' in the list", at: current)
    }
    let close = current
    try advance()
    return Expression(.list(items), span(from: open, toToken: close))
  }

  // MARK: Tokens

  static let keywords: Set<String> = [
    "and", "or", "not", "is", "includes", "mentions", "contains", "matches",
  ]

  private func booleanLiteral(_ name: String) -> Bool? {
    switch name {
    case "yes", "true": true
    case "no", "false": false
    default: nil
    }
  }

  private func isKeyword(_ word: String) -> Bool {
    current.kind == .identifier(word)
  }

  private mutating func expectKeyword(_ word: String, after context: String) throws(Failure) {
    guard isKeyword(word) else {
      throw failure("expected '\(word)' after \(context)", at: current)
    }
    try advance()
  }

  private mutating func advance() throws(Failure) {
    previousEnd = current.offset + current.length
    do {
      current = try lexer.next()
    } catch {
      throw lexFailure(error)
    }
  }

  private func lexFailure(_ error: ExpressionLexer.LexError) -> Failure {
    switch error {
    case .unexpected(let message, let offset, let length):
      return Failure(
        diagnostic: Diagnostic(
          .expressionSyntax, message,
          at: SourceRange(location(offset), length: max(length, 1))))
    }
  }

  private func failure(_ message: String, at token: ExpressionToken) -> Failure {
    Failure(diagnostic: Diagnostic(.expressionSyntax, message, at: range(of: token)))
  }

  private func describe(_ token: ExpressionToken) -> String {
    switch token.kind {
    case .identifier(let name): "'\(name)'"
    case .number(let value): "number '\(format(value))'"
    case .text(let value): "text \"\(value)\""
    case .date(let value): "date '\(value)'"
    case .tag(let value): "tag '#\(value)'"
    case .regex: "regular expression"
    case .symbol(let symbol): "'\(symbol)'"
    case .end: "end of line"
    }
  }

  private func location(_ offset: Int) -> SourceLocation {
    SourceLocation(path: start.path, line: start.line, column: start.column + offset)
  }

  private func range(of token: ExpressionToken) -> SourceRange {
    SourceRange(location(token.offset), length: max(token.length, 1))
  }

  private func span(_ a: Expression, _ b: Expression) -> SourceRange {
    let length = b.range.start.column + b.range.length - a.range.start.column
    return SourceRange(a.range.start, length: max(length, 1))
  }

  private func span(from token: ExpressionToken, to b: Expression) -> SourceRange {
    let first = range(of: token)
    let length = b.range.start.column + b.range.length - first.start.column
    return SourceRange(first.start, length: max(length, 1))
  }

  private func span(from a: Expression, to token: ExpressionToken) -> SourceRange {
    let last = range(of: token)
    let length = last.start.column + last.length - a.range.start.column
    return SourceRange(a.range.start, length: max(length, 1))
  }

  private func span(from open: ExpressionToken, toToken close: ExpressionToken) -> SourceRange {
    SourceRange(location(open.offset), length: close.offset + close.length - open.offset)
  }
}

/// Formats a number the way a person writes it: `3`, not `3.0`.
public func format(_ value: Double) -> String {
  if value.isFinite, value == value.rounded(), abs(value) < 1e15 {
    return String(Int(value))
  }
  return String(value)
}
