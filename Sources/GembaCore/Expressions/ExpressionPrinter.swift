/// Prints an ``Expression`` back in the source form of the expression language.
///
/// The result reads like what an author writes, and parses back to the same expression: spaces
/// around operators, parentheses only where precedence needs them, text and regular expressions
/// escaped.
///
///     ExpressionPrinter.print(parsed)  // "not (push >= 2 or pull >= 2) and focus is growth"
public enum ExpressionPrinter {
  /// The source form of `expression`.
  public static func print(_ expression: Expression) -> String {
    text(expression, atLeast: .or)
  }

  /// How tightly a form binds, loosest first, following the parser's grammar.
  private enum Level: Int, Comparable {
    case or
    case and
    case not
    case test
    case sum
    case product
    case unary
    case primary

    static func < (lhs: Level, rhs: Level) -> Bool { lhs.rawValue < rhs.rawValue }
  }

  private static func level(of expression: Expression) -> Level {
    switch expression.kind {
    case .or: .or
    case .and: .and
    case .not: .not
    case .comparison, .state, .isValue, .isOneOf, .includes, .mentions, .contains, .matches: .test
    case .arithmetic(let op, _, _): op == .add || op == .subtract ? .sum : .product
    case .negate: .unary
    case .number(let value): value < 0 ? .unary : .primary
    case .text, .date, .boolean, .list, .regex, .tag, .reference, .word, .dot, .call: .primary
    }
  }

  /// `expression`, in parentheses when it binds more loosely than its place allows.
  private static func text(_ expression: Expression, atLeast minimum: Level) -> String {
    let body = bare(expression)
    return level(of: expression) < minimum ? "(\(body))" : body
  }

  private static func bare(_ expression: Expression) -> String {
    switch expression.kind {
    case .number(let value):
      return number(value)
    case .text(let value):
      return quoted(value)
    case .date(let day):
      return day.description
    case .boolean(let value):
      return value ? "yes" : "no"
    case .list(let items):
      return "[" + items.map(operand).joined(separator: ", ") + "]"
    case .regex(let pattern, let ignoresCase):
      return regex(pattern, ignoresCase: ignoresCase)
    case .tag(let name):
      return "#\(name)"
    case .reference(let name), .word(let name):
      return name
    case .dot:
      return "."
    case .not(let operand):
      // `not a is b` parses as `not (a is b)`, but few readers know that: say it.
      return "not " + text(operand, atLeast: .sum)
    case .and(let a, let b):
      return text(a, atLeast: .and) + " and " + text(b, atLeast: .not)
    case .or(let a, let b):
      return text(a, atLeast: .or) + " or " + text(b, atLeast: .and)
    case .negate(let operand):
      return "-" + text(operand, atLeast: .unary)
    case .arithmetic(let op, let a, let b):
      let own: Level = op == .add || op == .subtract ? .sum : .product
      // Left-associative: a right operand at the same level needs parentheses.
      let right: Level = own == .sum ? .product : .unary
      return text(a, atLeast: own) + " \(op.rawValue) " + text(b, atLeast: right)
    case .comparison(let op, let a, let b):
      return text(a, atLeast: .sum) + " \(op.rawValue) " + text(b, atLeast: .sum)
    case .state(let a, let test, let negated):
      return text(a, atLeast: .sum) + (negated ? " is not " : " is ") + test.rawValue
    case .isValue(let a, let b, let negated):
      return text(a, atLeast: .sum) + (negated ? " is not " : " is ") + operand(b)
    case .isOneOf(let a, let b, let negated):
      return text(a, atLeast: .sum) + (negated ? " is not one of " : " is one of ")
        + text(b, atLeast: .primary)
    case .includes(let a, let b):
      return text(a, atLeast: .sum) + " includes " + operand(b)
    case .mentions(let a, let b, let anyOf):
      return text(a, atLeast: .sum) + (anyOf ? " mentions any of " : " mentions ")
        + text(b, atLeast: anyOf ? .primary : .sum)
    case .contains(let a, let b):
      return text(a, atLeast: .sum) + " contains " + text(b, atLeast: .sum)
    case .matches(let a, let b):
      return text(a, atLeast: .sum) + " matches " + text(b, atLeast: .primary)
    case .call(let name, let arguments):
      return name + "(" + arguments.map { text($0, atLeast: .or) }.joined(separator: ", ") + ")"
    }
  }

  /// A value after `is`, `includes` or in a list, where the parser reads a bare word as an option
  /// value: a reference there keeps its meaning only in parentheses.
  private static func operand(_ expression: Expression) -> String {
    if case .reference(let name) = expression.kind { return "(\(name))" }
    return text(expression, atLeast: .unary)
  }

  private static func quoted(_ value: String) -> String {
    var out = "\""
    for character in value {
      if character == "\"" || character == "\\" { out.append("\\") }
      out.append(character)
    }
    return out + "\""
  }

  /// The lexer keeps `\x` pairs as they are and turns `\/` into `/`, so only a bare slash needs a
  /// backslash to stay inside the pattern.
  private static func regex(_ pattern: String, ignoresCase: Bool) -> String {
    var out = "/"
    var escaped = false
    for character in pattern {
      if escaped {
        out.append(character)
        escaped = false
      } else if character == "\\" {
        out.append(character)
        escaped = true
      } else if character == "/" {
        out += "\\/"
      } else {
        out.append(character)
      }
    }
    return out + "/" + (ignoresCase ? "i" : "")
  }

  /// Numbers in the plain decimal form the lexer reads: never an exponent.
  private static func number(_ value: Double) -> String {
    let plain = format(value)
    guard value.isFinite, let e = plain.firstIndex(where: { $0 == "e" || $0 == "E" }) else {
      return plain
    }
    guard let exponent = Int(plain[plain.index(after: e)...]) else { return plain }
    var mantissa = plain[..<e]
    let negative = mantissa.hasPrefix("-")
    if negative { mantissa = mantissa.dropFirst() }
    let point = mantissa.firstIndex(of: ".").map {
      mantissa.distance(from: mantissa.startIndex, to: $0)
    }
    let digits = Array(mantissa.filter { $0 != "." })
    // Where the decimal point falls among the digits once the exponent is applied.
    let position = (point ?? digits.count) + exponent
    var result: String
    if position <= 0 {
      result = "0." + String(repeating: "0", count: -position) + String(digits)
    } else if position >= digits.count {
      result = String(digits) + String(repeating: "0", count: position - digits.count)
    } else {
      result = String(digits[..<position]) + "." + String(digits[position...])
    }
    if result.contains(".") {
      while result.hasSuffix("0") { result.removeLast() }
      if result.hasSuffix(".") { result.removeLast() }
    }
    return (negative ? "-" : "") + result
  }
}
