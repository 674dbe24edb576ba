import Foundation

/// A coach's rubric: criteria, a scale, and what each level of each criterion looks like.
///
/// ```
/// title: Coaching an interview
/// version: 1.0
/// scale: 0-3
///
/// criterion next-steps: Next steps owned and dated
///   source: METHOD.md §5
///   0: No next step
///   1: Next steps without owners or dates
///   2: Owned and dated next steps, none by the customer
///   3: One to three steps, owned and dated, at least one by the customer
/// ```
public struct Rubric: Sendable, Equatable {
  /// One thing a coach scores.
  public struct Criterion: Sendable, Equatable {
    public var id: String
    public var title: String
    public var source: String?
    /// What each level looks like, lowest first; one for every level of the scale.
    public var levels: [(level: Int, text: String)]
    public var line: Int

    public static func == (lhs: Criterion, rhs: Criterion) -> Bool {
      lhs.id == rhs.id && lhs.title == rhs.title && lhs.source == rhs.source
        && lhs.levels.map(\.level) == rhs.levels.map(\.level)
        && lhs.levels.map(\.text) == rhs.levels.map(\.text)
    }

    /// What `level` looks like.
    public func text(of level: Int) -> String? {
      levels.first { $0.level == level }?.text
    }
  }

  public var title = ""
  public var version: String?
  public var description: String?
  public var scale: ClosedRange<Int> = 0...3
  public var criteria: [Criterion] = []

  /// The reference a score records, so a later reader knows what a level meant.
  public var reference: RubricReference { RubricReference(title: title, version: version) }

  /// The criterion `id`.
  public func criterion(_ id: String) -> Criterion? {
    criteria.first { $0.id == id }
  }
}

/// Reads rubric files. Every problem is reported in one pass, each with its line and column and
/// a `G7xx` code (`docs/diagnostics.md`).
public enum RubricParser {
  /// The most levels a scale may have: 0-10 or 1-11 still let a coach tell the levels apart.
  public static let maximumLevels = 11

  /// The rubric in `text` (the file at `path`), and what is wrong with it (an empty list when
  /// nothing is).
  public static func parse(path: String, text: String) -> (Rubric, [Diagnostic]) {
    var reader = RubricReader(path: path)
    let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
    for (offset, rawLine) in lines.enumerated() {
      let line = rawLine.hasSuffix("\r") ? rawLine.dropLast() : rawLine
      reader.read(line, number: offset + 1)
    }
    return reader.finish()
  }

  /// The scale `text` names, or what is wrong with it.
  static func scale(_ text: String) -> Result<ClosedRange<Int>, ScaleProblem> {
    let parts = text.split(separator: "-", omittingEmptySubsequences: false).map {
      $0.trimmingCharacters(in: .whitespaces)
    }
    guard parts.count == 2, let low = Int(parts[0]), let high = Int(parts[1]) else {
      return .failure(.notTwoNumbers)
    }
    guard low < high else { return .failure(.notRising(low, high)) }
    guard high - low < maximumLevels else { return .failure(.tooManyLevels(high - low + 1)) }
    return .success(low...high)
  }

  enum ScaleProblem: Error {
    case notTwoNumbers
    case notRising(Int, Int)
    case tooManyLevels(Int)

    var message: String {
      switch self {
      case .notTwoNumbers:
        "'scale:' needs two whole numbers, lowest first, like 0-3 or 1-5"
      case .notRising(let low, let high):
        "the scale \(low)-\(high) does not rise; write the lowest level first, like 0-3"
      case .tooManyLevels(let count):
        "a scale of \(count) levels is more than a coach can tell apart; use at most "
          + "\(RubricParser.maximumLevels), like 0-3 or 1-5"
      }
    }
  }

  static func isIdentifier(_ text: String) -> Bool {
    guard let first = text.unicodeScalars.first, first.properties.isAlphabetic else { return false }
    return text.unicodeScalars.allSatisfy {
      $0.properties.isAlphabetic || ("0"..."9").contains($0) || $0 == "-" || $0 == "_"
    }
  }
}

/// The state of reading one rubric file, line by line.
private struct RubricReader {
  let path: String
  var rubric = Rubric()
  var diagnostics: [Diagnostic] = []
  var current: Rubric.Criterion?
  /// Where the `scale:` line is, when there is one.
  var scaleLine: Int?
  /// Whether the scale is one the author wrote and it could be read: levels are only judged
  /// against a scale the author wrote.
  var scaleKnown = false

  init(path: String) { self.path = path }

  mutating func report(
    _ code: DiagnosticCode, _ message: String, line: Int, column: Int, length: Int = 1
  ) {
    diagnostics.append(
      Diagnostic(
        code, message,
        at: SourceRange(path: path, line: line, column: column, length: max(length, 1))))
  }

  /// Reports `message` at `piece` of `line`.
  mutating func report(
    _ code: DiagnosticCode, _ message: String, _ piece: Substring, of line: Substring, number: Int
  ) {
    let column = line.utf8.distance(from: line.startIndex, to: piece.startIndex) + 1
    report(code, message, line: number, column: column, length: piece.utf8.count)
  }

  mutating func read(_ line: Substring, number: Int) {
    let content = line.drop { $0 == " " }
    if content.isEmpty || content.hasPrefix("//") { return }
    if line.hasPrefix("\t") {
      report(
        .tabIndentation, "indent with spaces, not tabs", line.prefix { $0 == "\t" }, of: line,
        number: number)
      return
    }
    let indented = content.startIndex != line.startIndex
    guard let colon = content.firstIndex(of: ":") else {
      report(
        .unrecognizedRubricLine,
        "unrecognised line; expected 'key: value', 'criterion ID: title' or, under a "
          + "criterion, 'N: what level N looks like'", content, of: line, number: number)
      return
    }
    let keyText = content[..<colon]
    let key = keyText.trimmingCharacters(in: .whitespaces)
    let afterColon = content[content.index(after: colon)...]
    let valueText = afterColon.drop { $0 == " " }
    let value = valueText.trimmingCharacters(in: .whitespaces)
    if !indented {
      readHeaderOrCriterion(
        key: key, keyText: keyText, value: value, valueText: valueText, line: line, number: number)
      return
    }
    guard current != nil else {
      report(
        .unrecognizedRubricLine,
        "indented line outside a criterion; criteria start with 'criterion ID: title'", content,
        of: line, number: number)
      return
    }
    if key == "source" {
      current?.source = value
    } else if let level = Int(key) {
      readLevel(level, text: value, keyText: keyText, line: line, number: number)
    } else {
      report(
        .unknownRubricField,
        "unknown criterion field '\(key)'; expected 'source' or a level of the scale",
        keyText, of: line, number: number)
    }
  }

  mutating func readHeaderOrCriterion(
    key: String, keyText: Substring, value: String, valueText: Substring, line: Substring,
    number: Int
  ) {
    if key.hasPrefix("criterion ") {
      finishCriterion()
      let idText = keyText.dropFirst("criterion ".count).drop { $0 == " " }
      let id = idText.trimmingCharacters(in: .whitespaces)
      if !RubricParser.isIdentifier(id) {
        report(
          .badCriterion,
          "'\(id)' is not a criterion id; use letters, digits, '-' and '_', starting with a letter",
          idText, of: line, number: number)
      } else if rubric.criterion(id) != nil {
        report(
          .badCriterion, "criterion '\(id)' is defined twice", idText, of: line, number: number)
      }
      if value.isEmpty {
        report(
          .badCriterion, "criterion '\(id)' has no title; say what it looks at after the ':'",
          keyText, of: line, number: number)
      }
      current = Rubric.Criterion(id: id, title: value, source: nil, levels: [], line: number)
      return
    }
    if current != nil {
      report(
        .unknownRubricField, "'\(key):' after the first criterion; header fields come first",
        keyText, of: line, number: number)
      return
    }
    switch key {
    case "title": rubric.title = value
    case "version": rubric.version = value
    case "description": rubric.description = value
    case "scale":
      scaleLine = number
      switch RubricParser.scale(value) {
      case .success(let range):
        rubric.scale = range
        scaleKnown = true
      case .failure(let problem):
        report(
          .badScale, problem.message, valueText.isEmpty ? keyText : valueText, of: line,
          number: number)
      }
    default:
      report(
        .unknownRubricField,
        "unknown header field '\(key)'; expected 'title', 'version', 'description' or 'scale'",
        keyText, of: line, number: number)
    }
  }

  mutating func readLevel(
    _ level: Int, text: String, keyText: Substring, line: Substring, number: Int
  ) {
    let scale = rubric.scale
    if scaleKnown, !scale.contains(level) {
      report(
        .badLevel, "level \(level) is outside the scale \(scale.lowerBound)-\(scale.upperBound)",
        keyText, of: line, number: number)
    } else if current?.text(of: level) != nil {
      report(.badLevel, "level \(level) is described twice", keyText, of: line, number: number)
    } else if text.isEmpty {
      report(
        .badLevel, "level \(level) says nothing about what it looks like", keyText, of: line,
        number: number)
    } else {
      current?.levels.append((level, text))
    }
  }

  mutating func finishCriterion() {
    guard let criterion = current else { return }
    current = nil
    rubric.criteria.append(criterion)
  }

  mutating func finish() -> (Rubric, [Diagnostic]) {
    finishCriterion()
    if rubric.title.isEmpty {
      report(.incompleteRubric, "the rubric has no 'title:'; scores record it", line: 1, column: 1)
    }
    if scaleLine == nil {
      report(
        .incompleteRubric,
        "the rubric has no 'scale:'; say which levels a score may take, like 0-3", line: 1,
        column: 1)
    }
    if rubric.criteria.isEmpty {
      report(
        .incompleteRubric, "the rubric has no criteria; add one with 'criterion ID: title'",
        line: 1, column: 1)
    }
    for index in rubric.criteria.indices {
      rubric.criteria[index].levels.sort { $0.level < $1.level }
      // Without a scale the author wrote, which levels are missing is not known.
      guard scaleKnown else { continue }
      let criterion = rubric.criteria[index]
      let missing = rubric.scale.filter { criterion.text(of: $0) == nil }
      if !missing.isEmpty {
        report(
          .missingLevel,
          "criterion '\(criterion.id)' does not say what level"
            + "\(missing.count == 1 ? "" : "s") \(missing.map(String.init).joined(separator: ", ")) "
            + "look\(missing.count == 1 ? "s" : "") like",
          line: criterion.line, column: 1, length: "criterion".utf8.count)
      }
    }
    return (rubric, diagnostics.sortedByLocation())
  }
}
