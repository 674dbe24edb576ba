/// A rule test file (`*.test`, beside the rules it tests): interviews made up of a few answers,
/// and what the rules should make of them.
///
///     rules: next-steps.rules
///     guide: customer-purpose
///
///     test: A struggle told only in general terms asks for the last time
///       given struggle_found: general
///       skip failure_example
///       fires: anchor-last-time
///       does not fire: trial
///       proposes: the last time it happened
public struct RuleTestFile: Sendable {
  public var source: SourceFile
  /// The rule files tested, relative to this file (default: the `.rules` file of the same name).
  public var rules: [GuideSelector]
  /// The guide of every test that names none.
  public var guide: GuideSelector?
  /// The interview's day, for answers such as "today" and for due dates (default 2026-11-26).
  public var today: Day?
  public var tests: [RuleTest]

  public var path: String { source.path }

  /// The rule files this file tests, as paths.
  public var rulePaths: [String] {
    if rules.isEmpty {
      let name = Path.lastComponent(path)
      let stem = name.hasSuffix(".test") ? String(name.dropLast(5)) : name
      return [Path.resolve(stem + ".rules", relativeTo: path)]
    }
    return rules.map { Path.resolve($0.name, relativeTo: path) }
  }
}

/// One made-up interview and what is expected of the rules.
public struct RuleTest: Sendable {
  public enum Step: Sendable {
    /// `given id: words` — an answer, in the customer's (or the interviewer's) words.
    case answer(question: String, raw: String, range: SourceRange)
    /// `skip id` or `skip id: reason`.
    case skip(question: String, reason: String?, range: SourceRange)
    /// `tag id: #habit` — tags put on an answer during the interview.
    case tag(question: String, tags: [String], range: SourceRange)
    /// `asked: words` — a question of the salesperson's own (`:asked`), at this point of the
    /// interview.
    case asked(text: String, range: SourceRange)
    /// `probes id: 2` — how many of the question's probes were pulled.
    case probes(question: String, count: Int, range: SourceRange)
  }

  public enum Expectation: Sendable {
    case fires(rule: String, range: SourceRange)
    case doesNotFire(rule: String, range: SourceRange)
    /// A proposal whose text holds these words (ignoring case and accents).
    case proposes(text: String, range: SourceRange)
    case doesNotPropose(text: String, range: SourceRange)

    public var range: SourceRange {
      switch self {
      case .fires(_, let range), .doesNotFire(_, let range), .proposes(_, let range),
        .doesNotPropose(_, let range):
        range
      }
    }

    /// `fires: trial`, as written.
    public var description: String {
      switch self {
      case .fires(let rule, _): "fires: \(rule)"
      case .doesNotFire(let rule, _): "does not fire: \(rule)"
      case .proposes(let text, _): "proposes: \(text)"
      case .doesNotPropose(let text, _): "does not propose: \(text)"
      }
    }
  }

  public var title: String
  public var range: SourceRange
  public var guide: GuideSelector?
  public var today: Day?
  public var steps: [Step] = []
  public var expectations: [Expectation] = []

  public init(title: String, range: SourceRange) {
    self.title = title
    self.range = range
  }
}

/// Parses rule test files, reporting every line it cannot read.
public enum RuleTestParser {
  public static func parse(path: String, text: String) -> (
    file: RuleTestFile, diagnostics: [Diagnostic]
  ) {
    let source = SourceFile(path: path, text: text)
    var file = RuleTestFile(source: source, rules: [], guide: nil, today: nil, tests: [])
    var diagnostics: [Diagnostic] = []
    var current: RuleTest?
    func report(_ code: DiagnosticCode, _ message: String, _ range: SourceRange) {
      diagnostics.append(Diagnostic(code, message, at: range))
    }
    func finish() {
      guard let test = current else { return }
      if test.expectations.isEmpty {
        report(
          .testExpectsNothing,
          "test '\(test.title)' expects nothing; add 'fires:', 'does not fire:' or 'proposes:'",
          test.range)
      }
      file.tests.append(test)
      current = nil
    }
    for number in 1...source.lineStarts.count {
      let text = source.lineText(number)
      if number == source.lineStarts.count, text.isEmpty { break }
      let line = RuleLine(text: text, number: number, path: path)
      guard let start = text.firstIndex(where: { $0 != " " && $0 != "\t" }) else { continue }
      var content = text[start...]
      while let last = content.last, last == " " || last == "\t" || last == "\r" {
        content.removeLast()
      }
      if content.isEmpty { continue }
      if text[..<start].contains("\t") {
        report(.tabIndentation, "indent with spaces, not tabs", line.range(text[..<start]))
      }
      if content.hasPrefix("//") {
        if let marker = ["TODO", "FIXME"].compactMap({ content.range(of: $0) }).first {
          report(
            .todoNote, "note left in the tests: \(content[marker.lowerBound...])",
            line.range(content[marker]))
        }
        continue
      }
      guard let colon = content.firstIndex(of: ":") else {
        if start != text.startIndex, current != nil, content.hasPrefix("skip ") {
          let id = content.dropFirst(5).trimmedSlice()
          current?.steps.append(.skip(question: String(id), reason: nil, range: line.range(id)))
          continue
        }
        report(
          .unrecognizedTestLine,
          "unrecognised line; expected 'test: title', a header field, or under a test 'given', "
            + "'skip', 'tag', 'fires:', 'does not fire:', 'proposes:' or 'does not propose:'",
          line.range(content))
        continue
      }
      let keyText = content[..<colon].trimmedSlice()
      let key = keyText.split(separator: " ").joined(separator: " ").lowercased()
      let value = content[content.index(after: colon)...].trimmedSlice()
      let indented = start != text.startIndex
      if !indented {
        switch key {
        case "test":
          finish()
          if value.isEmpty {
            report(.emptyValue, "'test:' has no title", line.range(keyText))
          }
          current = RuleTest(title: String(value), range: line.range(content))
        case "rules" where current == nil:
          for piece in value.split(separator: ",") {
            let name = piece.trimmedSlice()
            if !name.isEmpty {
              file.rules.append(GuideSelector(name: String(name), range: line.range(name)))
            }
          }
        case "guide" where current == nil:
          file.guide = GuideSelector(name: String(value), range: line.range(value))
        case "today" where current == nil:
          if let day = Day(iso: value) {
            file.today = day
          } else {
            report(
              .unrecognizedTestLine, "'today:' needs a date like 2026-11-26", line.range(value))
          }
        default:
          report(
            .unrecognizedTestLine,
            current == nil
              ? "unknown header field '\(key)'; expected 'rules:', 'guide:', 'today:' or 'test:'"
              : "'\(key):' must be indented under its test", line.range(keyText))
        }
        continue
      }
      guard current != nil else {
        report(
          .unrecognizedTestLine, "indented line outside a test; start one with 'test: title'",
          line.range(content))
        continue
      }
      let words = key.split(separator: " ")
      switch words.first {
      case "given" where words.count == 2, "skip" where words.count == 2,
        "tag" where words.count == 2:
        let idSlice = keyText.split(separator: " ").last ?? keyText
        let id = String(idSlice)
        let range = line.range(idSlice)
        if words[0] == "given" {
          current?.steps.append(.answer(question: id, raw: String(value), range: range))
        } else if words[0] == "skip" {
          current?.steps.append(
            .skip(question: id, reason: value.isEmpty ? nil : String(value), range: range))
        } else {
          let tags = value.split(separator: ",").map {
            String($0.trimmedSlice().drop(while: { $0 == "#" }))
          }.filter { !$0.isEmpty }
          if tags.isEmpty { report(.emptyValue, "'tag \(id):' names no tag", range) }
          current?.steps.append(.tag(question: id, tags: tags, range: range))
        }
      case "asked" where words.count == 1:
        guard !value.isEmpty else {
          report(.emptyValue, "'asked:' has no question", line.range(keyText))
          continue
        }
        current?.steps.append(.asked(text: String(value), range: line.range(value)))
      case "probes" where words.count == 2:
        let idSlice = keyText.split(separator: " ").last ?? keyText
        guard let count = Int(value), count >= 0 else {
          report(
            .unrecognizedTestLine, "'probes \(idSlice):' needs how many were pulled, like 2",
            line.range(value.isEmpty ? keyText : value))
          continue
        }
        current?.steps.append(
          .probes(question: String(idSlice), count: count, range: line.range(idSlice)))
      case _ where ["fires", "does not fire", "proposes", "does not propose"].contains(key):
        guard !value.isEmpty else {
          report(.emptyValue, "'\(key):' has no value", line.range(keyText))
          continue
        }
        let range = line.range(value)
        let expectation: RuleTest.Expectation
        switch key {
        case "fires": expectation = .fires(rule: String(value), range: range)
        case "does not fire": expectation = .doesNotFire(rule: String(value), range: range)
        case "proposes": expectation = .proposes(text: String(value), range: range)
        default: expectation = .doesNotPropose(text: String(value), range: range)
        }
        current?.expectations.append(expectation)
      case _ where key == "guide":
        current?.guide = GuideSelector(name: String(value), range: line.range(value))
      case _ where key == "today":
        if let day = Day(iso: value) {
          current?.today = day
        } else {
          report(.unrecognizedTestLine, "'today:' needs a date like 2026-11-26", line.range(value))
        }
      default:
        let known = [
          "given", "skip", "tag", "asked", "probes", "fires", "does not fire", "proposes",
          "does not propose", "guide", "today",
        ]
        report(
          .unrecognizedTestLine,
          "unknown test line '\(key):'\(Suggestion.didYouMean(key, in: known)); write "
            + "'given ID: answer', 'skip ID', 'tag ID: #tag', 'fires: RULE', 'does not fire: RULE' "
            + "or 'proposes: words'", line.range(keyText))
      }
    }
    finish()
    return (file, diagnostics)
  }
}
