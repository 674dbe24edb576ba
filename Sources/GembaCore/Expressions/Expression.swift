/// A parsed expression: a condition, a constraint, a computed value or a rule's condition.
public struct Expression: Sendable, Hashable {
  public indirect enum Kind: Sendable, Hashable {
    /// A number literal: `3`, `-2`, `0.5`.
    case number(Double)
    /// A text literal: `"lead time"`.
    case text(String)
    /// A date literal: `2026-11-26`.
    case date(Day)
    /// `yes` / `no` (also `true` / `false`).
    case boolean(Bool)
    /// `[a, b, "c"]`.
    case list([Expression])
    /// `/pattern/i`, only after `matches`.
    case regex(pattern: String, ignoresCase: Bool)
    /// `#failure-demand`.
    case tag(String)
    /// A question id or computed value.
    case reference(String)
    /// A bare word after `is`, `includes` or inside `is one of [...]`: an option value.
    case word(String)
    /// `.`, the answer being given, inside a constraint.
    case dot
    case not(Expression)
    case and(Expression, Expression)
    case or(Expression, Expression)
    case negate(Expression)
    case arithmetic(ArithmeticOperator, Expression, Expression)
    case comparison(ComparisonOperator, Expression, Expression)
    /// `x is answered`, `x is not skipped`.
    case state(Expression, AnswerStateTest, negated: Bool)
    /// `x is VALUE`, `x is not VALUE`.
    case isValue(Expression, Expression, negated: Bool)
    /// `x is one of [...]`, `x is not one of [...]`.
    case isOneOf(Expression, Expression, negated: Bool)
    /// `x includes VALUE` for a `choices` question.
    case includes(Expression, Expression)
    /// `x mentions "w"`, `x mentions any of [...]`.
    case mentions(Expression, Expression, anyOf: Bool)
    /// `x contains "t"`.
    case contains(Expression, Expression)
    /// `x matches /re/`.
    case matches(Expression, Expression)
    /// `count(#habit)`, `length(purpose)`.
    case call(String, [Expression])
  }

  public var kind: Kind
  public var range: SourceRange

  public init(_ kind: Kind, _ range: SourceRange) {
    self.kind = kind
    self.range = range
  }
}

public enum ArithmeticOperator: String, Sendable, Hashable {
  case add = "+"
  case subtract = "-"
  case multiply = "*"
  case divide = "/"
}

public enum ComparisonOperator: String, Sendable, Hashable {
  case equal = "="
  case notEqual = "!="
  case less = "<"
  case lessOrEqual = "<="
  case greater = ">"
  case greaterOrEqual = ">="
}

/// The three states of a question, as tested by `is answered`, `is skipped` and `is asked`.
public enum AnswerStateTest: String, Sendable, Hashable {
  case answered
  case skipped
  /// Answered or skipped.
  case asked
}

/// A calendar day, with no time zone: what a customer means by "the 3rd of March".
public struct Day: Sendable, Hashable, Comparable, Codable, CustomStringConvertible {
  public var year: Int
  public var month: Int
  public var day: Int

  public init?(year: Int, month: Int, day: Int) {
    guard (1...9999).contains(year), (1...12).contains(month) else { return nil }
    let lengths = [31, Day.isLeap(year) ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]
    guard (1...lengths[month - 1]).contains(day) else { return nil }
    self.year = year
    self.month = month
    self.day = day
  }

  /// A day already known to be valid (computed, not typed).
  init(checkedYear year: Int, month: Int, day: Int) {
    self.year = year
    self.month = month
    self.day = day
  }

  /// Parses `YYYY-MM-DD`.
  public init?(iso text: some StringProtocol) {
    let parts = text.split(separator: "-", omittingEmptySubsequences: false)
    guard parts.count == 3, parts[0].count == 4, parts[1].count == 2, parts[2].count == 2,
      let year = Int(parts[0]), let month = Int(parts[1]), let day = Int(parts[2])
    else { return nil }
    self.init(year: year, month: month, day: day)
  }

  /// Days since 1970-01-01, so days can be subtracted and compared.
  public var ordinal: Int {
    // Howard Hinnant's days_from_civil.
    let y = month <= 2 ? year - 1 : year
    let era = (y >= 0 ? y : y - 399) / 400
    let yoe = y - era * 400
    let m = month
    let doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + day - 1
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
    return era * 146_097 + doe - 719_468
  }

  public var description: String {
    func pad(_ n: Int, _ width: Int) -> String {
      let s = String(n)
      return String(repeating: "0", count: max(0, width - s.count)) + s
    }
    return "\(pad(year, 4))-\(pad(month, 2))-\(pad(day, 2))"
  }

  public static func < (lhs: Day, rhs: Day) -> Bool { lhs.ordinal < rhs.ordinal }

  static func isLeap(_ year: Int) -> Bool {
    (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
  }
}
