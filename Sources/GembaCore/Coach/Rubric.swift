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

/// Something wrong in a rubric file, with where it is.
public struct RubricProblem: Sendable, Equatable, CustomStringConvertible {
  public var line: Int
  public var column: Int
  public var message: String

  public var description: String { "\(line):\(column): error: \(message)" }
}

/// Reads rubric files. Every problem is reported in one pass, each with its line and column.
public enum RubricParser {
  /// The rubric in `text`, and what is wrong with it (an empty list when nothing is).
  public static func parse(_ text: String) -> (Rubric, [RubricProblem]) {
    var rubric = Rubric()
    var problems: [RubricProblem] = []
    var current: Rubric.Criterion?
    var sawScale = false
    func report(_ line: Int, _ column: Int, _ message: String) {
      problems.append(RubricProblem(line: line, column: column, message: message))
    }
    func finish() {
      guard let criterion = current else { return }
      current = nil
      rubric.criteria.append(criterion)
    }
    let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
    for (offset, rawLine) in lines.enumerated() {
      let number = offset + 1
      let line = rawLine.hasSuffix("\r") ? rawLine.dropLast() : rawLine
      let content = line.drop { $0 == " " }
      let indent = line.count - content.count
      if content.isEmpty || content.hasPrefix("//") { continue }
      if line.hasPrefix("\t") {
        report(number, 1, "indent with spaces, not tabs")
        continue
      }
      guard let colon = content.firstIndex(of: ":") else {
        report(
          number, indent + 1,
          "unrecognised line; expected 'key: value', 'criterion ID: title' or, under a "
            + "criterion, 'N: what level N looks like'")
        continue
      }
      let key = content[..<colon].trimmingCharacters(in: .whitespaces)
      let value = content[content.index(after: colon)...].trimmingCharacters(in: .whitespaces)
      let valueColumn =
        indent + content.distance(from: content.startIndex, to: colon) + 2
        + (content[content.index(after: colon)...].prefix { $0 == " " }.count)
      if indent == 0 {
        if key.hasPrefix("criterion ") {
          finish()
          let id = key.dropFirst("criterion ".count).trimmingCharacters(in: .whitespaces)
          if !isIdentifier(id) {
            report(
              number, 11,
              "'\(id)' is not a criterion id; use letters, digits, '-' and '_', starting with a letter"
            )
          } else if rubric.criterion(id) != nil {
            report(number, 11, "criterion '\(id)' is defined twice")
          }
          if value.isEmpty { report(number, valueColumn, "criterion '\(id)' has no title") }
          current = Rubric.Criterion(id: id, title: value, source: nil, levels: [], line: number)
          continue
        }
        if current != nil {
          report(number, 1, "'\(key):' after the first criterion; header fields come first")
          continue
        }
        switch key {
        case "title": rubric.title = value
        case "version": rubric.version = value
        case "description": rubric.description = value
        case "scale":
          sawScale = true
          if let range = scale(value) {
            rubric.scale = range
          } else {
            report(number, valueColumn, "'scale:' needs two whole numbers like 0-3 or 1-5")
          }
        default:
          report(
            number, 1,
            "unknown header field '\(key)'; expected 'title', 'version', 'description' or 'scale'")
        }
        continue
      }
      guard current != nil else {
        report(number, indent + 1, "indented line outside a criterion")
        continue
      }
      if key == "source" {
        current?.source = value
      } else if let level = Int(key) {
        if !rubric.scale.contains(level) {
          report(
            number, indent + 1,
            "level \(level) is outside the scale \(rubric.scale.lowerBound)-\(rubric.scale.upperBound)"
          )
        } else if current?.text(of: level) != nil {
          report(number, indent + 1, "level \(level) is described twice")
        } else if value.isEmpty {
          report(number, valueColumn, "level \(level) says nothing about what it looks like")
        } else {
          current?.levels.append((level, value))
        }
      } else {
        report(
          number, indent + 1,
          "unknown criterion field '\(key)'; expected 'source' or a level of the scale")
      }
    }
    finish()
    if rubric.title.isEmpty { report(1, 1, "the rubric has no 'title:'") }
    if !sawScale {
      report(1, 1, "the rubric has no 'scale:'; say which levels a score may take, like 0-3")
    }
    if rubric.criteria.isEmpty { report(1, 1, "the rubric has no criteria") }
    for index in rubric.criteria.indices {
      rubric.criteria[index].levels.sort { $0.level < $1.level }
      let criterion = rubric.criteria[index]
      let missing = rubric.scale.filter { criterion.text(of: $0) == nil }
      if !missing.isEmpty {
        report(
          criterion.line, 1,
          "criterion '\(criterion.id)' does not say what level"
            + "\(missing.count == 1 ? "" : "s") \(missing.map(String.init).joined(separator: ", ")) "
            + "look\(missing.count == 1 ? "s" : "") like")
      }
    }
    return (rubric, problems.sorted { ($0.line, $0.column) < ($1.line, $1.column) })
  }

  private static func scale(_ text: String) -> ClosedRange<Int>? {
    let parts = text.split(separator: "-", omittingEmptySubsequences: true).map {
      $0.trimmingCharacters(in: .whitespaces)
    }
    guard parts.count == 2, let low = Int(parts[0]), let high = Int(parts[1]), low < high,
      high - low <= 10
    else { return nil }
    return low...high
  }

  private static func isIdentifier(_ text: String) -> Bool {
    guard let first = text.unicodeScalars.first, first.properties.isAlphabetic else { return false }
    return text.unicodeScalars.allSatisfy {
      $0.properties.isAlphabetic || ("0"..."9").contains($0) || $0 == "-" || $0 == "_"
    }
  }
}
