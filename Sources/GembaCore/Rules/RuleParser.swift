/// The result of parsing a rule file: the file as far as it could be read, and every problem.
public struct RuleParseResult: Sendable {
  public var file: RuleFile
  public var diagnostics: [Diagnostic]
}

/// Parses a `.rules` file into a ``RuleFile``.
///
/// Like the guide parser it never stops at the first problem: each line that cannot be read is
/// reported and the next line is read, so an author sees every problem in one pass.
///
///     rule trial: Forces favour a switch
///       phase: do
///       when: push + pull >= anxiety + habit + 2
///       propose: Offer a small trial with a check date
///       because: push and pull outweigh anxiety and habit
///       source: Moesta, Demand-Side Sales (METHOD.md §2)
public struct RuleParser {
  private var file: RuleFile
  private var diagnostics: [Diagnostic] = []
  private var rule: Rule?
  private var seenRule = false
  /// Fields the current rule already has, so a repeated one is reported.
  private var fieldsSeen: Set<String> = []
  /// Open `all:` / `any:` groups, innermost last.
  private var groups: [OpenGroup] = []

  private struct OpenGroup {
    enum Target {
      case when
      case unless
      case nested
    }

    var indent: Int
    var isAll: Bool
    var range: SourceRange
    var items: [Condition] = []
    var target: Target
  }

  /// The fields a rule may have, for messages and "did you mean".
  static let ruleFields = [
    "phase", "priority", "when", "when all", "when any", "unless", "unless all", "unless any",
    "propose", "because", "source", "owner", "due", "applies to",
  ]

  /// The fields of the file's header.
  static let headerFields = ["title", "version", "author", "description", "applies to"]

  /// Parses the rule file at `path` whose text is `text`.
  public static func parse(path: String, text: String) -> RuleParseResult {
    var parser = RuleParser(source: SourceFile(path: path, text: text))
    parser.run()
    return RuleParseResult(file: parser.file, diagnostics: parser.diagnostics)
  }

  private init(source: SourceFile) {
    self.file = RuleFile(source: source)
  }

  private mutating func run() {
    let source = file.source
    for number in 1...source.lineStarts.count {
      let line = source.lineText(number)
      if number == source.lineStarts.count, line.isEmpty { break }
      parseLine(RuleLine(text: line, number: number, path: source.path))
    }
    finishRule()
  }

  // MARK: Lines

  private mutating func parseLine(_ line: RuleLine) {
    let text = line.text
    guard let contentStart = text.firstIndex(where: { $0 != " " && $0 != "\t" }) else { return }
    var content = text[contentStart...]
    while let last = content.last, last == " " || last == "\t" || last == "\r" {
      content.removeLast()
    }
    if content.isEmpty { return }
    let leading = text[..<contentStart]
    if leading.contains("\t") {
      report(.tabIndentation, "indent with spaces, not tabs", line.range(leading))
    }
    if content.hasPrefix("//") {
      parseComment(content, line)
      return
    }
    let indent = leading.utf8.count
    if indent == 0 {
      closeGroups(atOrAbove: 0)
      if content.hasPrefix("rule ") || content == "rule" {
        parseRuleLine(content, line)
      } else if let (key, value) = splitField(content) {
        parseHeaderField(key: key, value: value, line)
      } else {
        report(
          .unrecognizedRuleLine,
          "unrecognised line; expected a rule ('rule id: Title'), a header field such as "
            + "'title:' or a comment ('//')", line.range(content))
      }
      return
    }
    guard rule != nil else {
      report(
        .unrecognizedRuleLine,
        "indented line outside a rule; indented lines add to the 'rule' above them",
        line.range(content))
      return
    }
    closeGroups(atOrAbove: indent)
    if !groups.isEmpty {
      parseGroupItem(content, indent: indent, line)
    } else {
      parseRuleField(content, indent: indent, line)
    }
  }

  private mutating func parseComment(_ content: Substring, _ line: RuleLine) {
    let text = content.dropFirst(2)
    for marker in ["TODO", "FIXME"] {
      if let range = text.range(of: marker) {
        let note = text[range.lowerBound...].trimmingSpaces()
        report(.todoNote, "note left in the rules: \(note)", line.range(text[range]))
        return
      }
    }
  }

  private mutating func parseHeaderField(key: Substring, value: Substring, _ line: RuleLine) {
    let name = normalizedKey(key)
    let trimmed = value.trimmedSlice()
    if name == "rule" {
      report(
        .unrecognizedRuleLine, "write a rule as 'rule id: Title', without a ':' after 'rule'",
        line.range(key))
      return
    }
    if seenRule {
      if Self.headerFields.contains(name) {
        report(
          .unrecognizedRuleLine,
          "header field '\(name)' after the first rule; move it to the top of the file",
          line.range(key))
      } else {
        report(
          .unrecognizedRuleLine,
          "unrecognised line '\(name): …'; to add a field to a rule, indent it under the rule",
          line.range(key))
      }
      return
    }
    guard Self.headerFields.contains(name) else {
      report(
        .unknownRuleField,
        "unknown header field '\(name)'\(Suggestion.didYouMean(name, in: Self.headerFields))",
        line.range(key), fixIt: Suggestion.closest(to: name, in: Self.headerFields))
      return
    }
    if trimmed.isEmpty {
      report(.emptyValue, "header field '\(name)' has no value", line.range(key))
      return
    }
    let text = String(trimmed)
    switch name {
    case "title": file.title = text
    case "version": file.version = text
    case "author": file.author = text
    case "description": file.description = text
    default: file.appliesTo += parseSelectors(trimmed, line)
    }
  }

  // MARK: Rules

  private mutating func parseRuleLine(_ content: Substring, _ line: RuleLine) {
    finishRule()
    seenRule = true
    let body = content.dropFirst(4).drop(while: { $0 == " " })
    let idText = body.prefix(while: { $0 != ":" && $0 != " " })
    guard !idText.isEmpty else {
      report(
        .unrecognizedRuleLine, "expected a rule id after 'rule'; write 'rule id: Title'",
        line.range(content.prefix(4)))
      return
    }
    checkIdentifier(idText, line, what: "rule id")
    let rest = body[idText.endIndex...].drop(while: { $0 == " " })
    var title = ""
    if rest.first == ":" {
      title = rest.dropFirst().trimmingSpaces()
      if title.isEmpty {
        report(
          .missingRuleField, "rule '\(idText)' has no title; write 'rule \(idText): Title'",
          line.range(idText))
      }
    } else {
      let place = rest.isEmpty ? line.endRange : line.range(rest.prefix(1))
      report(
        .unrecognizedRuleLine,
        "expected ':' and a title after the rule id; write 'rule \(idText): Title'", place)
    }
    rule = Rule(
      id: String(idText), idRange: line.range(idText), title: title, range: line.range(content))
    fieldsSeen = []
  }

  private mutating func parseRuleField(_ content: Substring, indent: Int, _ line: RuleLine) {
    guard var current = rule else { return }
    defer { rule = current }
    guard let (key, value) = splitField(content) else {
      report(
        .unrecognizedRuleLine,
        "unrecognised line under rule '\(current.id)'; expected a field such as 'when:', "
          + "'propose:' or 'because:'", line.range(content))
      return
    }
    let name = normalizedKey(key)
    let trimmed = value.trimmedSlice()
    let keyRange = line.range(key)
    guard Self.ruleFields.contains(name) else {
      report(
        .unknownRuleField,
        "unknown field '\(name)' under rule '\(current.id)'\(Suggestion.didYouMean(name, in: Self.ruleFields))",
        keyRange, fixIt: Suggestion.closest(to: name, in: Self.ruleFields))
      return
    }
    let isGroup = name.hasSuffix(" all") || name.hasSuffix(" any")
    let base = isGroup ? String(name.prefix(while: { $0 != " " })) : name
    if base != "unless", fieldsSeen.contains(base) {
      let hint =
        base == "when"
        ? "; join the tests under 'when all:'" : "; keep one"
      report(
        .unknownRuleField, "rule '\(current.id)' already has a '\(base):'\(hint)", keyRange)
      return
    }
    fieldsSeen.insert(base)
    if isGroup {
      if !trimmed.isEmpty {
        report(
          .unrecognizedRuleLine,
          "put the conditions of '\(name):' on the lines below it, indented further",
          line.range(trimmed))
      }
      groups.append(
        OpenGroup(
          indent: indent, isAll: name.hasSuffix(" all"), range: keyRange,
          target: base == "when" ? .when : .unless))
      return
    }
    if trimmed.isEmpty, name != "applies to" {
      report(.emptyValue, "'\(name):' has no value", keyRange)
      return
    }
    switch name {
    case "phase":
      parsePhase(trimmed, into: &current, line)
    case "priority":
      if let number = Int(trimmed), (0...100).contains(number) {
        current.priority = number
      } else {
        report(
          .badPriority, "priority must be a whole number from 0 to 100, found '\(trimmed)'",
          line.range(trimmed))
      }
    case "when":
      if let expression = parseExpression(trimmed, line) { current.when = .test(expression) }
    case "unless":
      if let expression = parseExpression(trimmed, line) {
        current.unless.append(.test(expression))
      }
    case "propose":
      current.action = parseTemplate(trimmed, line)
    case "because":
      current.because = String(trimmed)
    case "source":
      current.source = String(trimmed)
    case "owner":
      current.owner = parseTemplate(trimmed, line)
    case "due":
      current.due = parseDue(trimmed, line)
    default:
      if trimmed.isEmpty {
        report(.emptyValue, "'applies to:' names no guide", keyRange)
        return
      }
      current.appliesTo = (current.appliesTo ?? []) + parseSelectors(trimmed, line)
    }
  }

  private mutating func parsePhase(_ text: Substring, into current: inout Rule, _ line: RuleLine) {
    let words = text.split(whereSeparator: { $0 == " " || $0 == "," || $0 == "(" || $0 == ")" })
    let phases = Phase.allCases.map(\.rawValue)
    guard let first = words.first else { return }
    guard let phase = Phase(rawValue: first.lowercased()) else {
      if let act = ActKind(rawValue: first.lowercased()) {
        report(
          .unknownPhase, "'\(first)' is a kind of act; write 'phase: act \(act.rawValue)'",
          line.range(first), fixIt: "act \(act.rawValue)")
      } else {
        report(
          .unknownPhase,
          "unknown phase '\(first)' (the phases: plan, do, check, act adopt, act adapt, "
            + "act abandon)\(Suggestion.didYouMean(String(first), in: phases))",
          line.range(first), fixIt: Suggestion.closest(to: String(first), in: phases))
      }
      return
    }
    current.phase = phase
    let rest = words.dropFirst()
    let kinds = ActKind.allCases.map(\.rawValue)
    if phase == .act {
      guard let second = rest.first else {
        report(
          .unknownPhase,
          "say what Act does: 'act adopt' (standardise), 'act adapt' (change the approach) or "
            + "'act abandon' (drop it)", line.range(first))
        return
      }
      guard let act = ActKind(rawValue: second.lowercased()) else {
        report(
          .unknownPhase,
          "unknown kind of act '\(second)' (write adopt, adapt or abandon)"
            + Suggestion.didYouMean(String(second), in: kinds), line.range(second),
          fixIt: Suggestion.closest(to: String(second), in: kinds))
        return
      }
      current.act = act
      if let extra = rest.dropFirst().first {
        report(.unknownPhase, "unexpected '\(extra)' after the phase", line.range(extra))
      }
    } else if let extra = rest.first {
      let message =
        ActKind(rawValue: extra.lowercased()) != nil
        ? "only 'act' takes adopt, adapt or abandon" : "unexpected '\(extra)' after the phase"
      report(.unknownPhase, message, line.range(extra))
    }
  }

  private mutating func parseDue(_ text: Substring, _ line: RuleLine) -> DueTemplate? {
    let range = line.range(text)
    let spoken = text.split(separator: " ").joined(separator: " ").lowercased()
    let raw = String(text)
    switch spoken {
    case "next meeting": return DueTemplate(due: .nextMeeting, text: raw, range: range)
    case "this meeting", "before leaving":
      return DueTemplate(due: .thisMeeting, text: raw, range: range)
    default: break
    }
    if text.first == "+" {
      let body = String(spoken.dropFirst().filter { $0 != " " })
      let digits = body.prefix(while: \.isNumber)
      let unit = body.dropFirst(digits.count)
      if let count = Int(digits), count > 0, count <= 3650 {
        if ["d", "day", "days"].contains(unit) {
          return DueTemplate(due: .days(count), text: raw, range: range)
        }
        if ["w", "week", "weeks"].contains(unit) {
          return DueTemplate(due: .days(count * 7), text: raw, range: range)
        }
      }
    }
    if let day = Day(iso: text) { return DueTemplate(due: .date(day), text: raw, range: range) }
    if text.first == "{", text.last == "}" {
      let inner = text.dropFirst().dropLast().trimmedSlice()
      if !inner.isEmpty,
        inner.unicodeScalars.allSatisfy({ $0.isASCII && isIdentifierBody(UInt8($0.value)) })
      {
        return DueTemplate(due: .answer(String(inner)), text: raw, range: range)
      }
    }
    report(
      .badDue,
      "unknown due '\(text)'; write 'next meeting', 'this meeting', '+7d', '+2w', a date such "
        + "as 2026-12-01, or a date question such as '{customer_step_date}'", range)
    return nil
  }

  private mutating func parseSelectors(_ text: Substring, _ line: RuleLine) -> [GuideSelector] {
    var selectors: [GuideSelector] = []
    for piece in text.split(separator: ",") {
      let name = piece.trimmedSlice()
      guard !name.isEmpty else { continue }
      selectors.append(GuideSelector(name: String(name), range: line.range(name)))
    }
    return selectors
  }

  // MARK: Groups

  private mutating func parseGroupItem(_ content: Substring, indent: Int, _ line: RuleLine) {
    if let (key, value) = splitField(content) {
      let name = normalizedKey(key)
      if name == "all" || name == "any" {
        if !value.trimmedSlice().isEmpty {
          report(
            .unrecognizedRuleLine,
            "put the conditions of '\(name):' on the lines below it, indented further",
            line.range(value.trimmedSlice()))
        }
        groups.append(
          OpenGroup(indent: indent, isAll: name == "all", range: line.range(key), target: .nested))
        return
      }
      if Self.ruleFields.contains(name) {
        report(
          .unrecognizedRuleLine,
          "'\(name):' is indented as a condition of the group above; indent it like the rule's "
            + "other fields", line.range(key))
        return
      }
    }
    guard let expression = parseExpression(content, line) else { return }
    groups[groups.count - 1].items.append(.test(expression))
  }

  /// Closes every open group whose line is indented at least `indent`.
  private mutating func closeGroups(atOrAbove indent: Int) {
    while let last = groups.last, last.indent >= indent {
      groups.removeLast()
      if last.items.isEmpty {
        report(
          .emptyGroup,
          "'\(last.isAll ? "all" : "any"):' has no conditions; list them below it, indented further",
          last.range)
      }
      let condition: Condition =
        last.isAll ? .all(last.items, range: last.range) : .any(last.items, range: last.range)
      switch last.target {
      case .nested:
        if !groups.isEmpty { groups[groups.count - 1].items.append(condition) }
      case .when:
        rule?.when = condition
      case .unless:
        rule?.unless.append(condition)
      }
    }
  }

  private mutating func finishRule() {
    closeGroups(atOrAbove: 0)
    guard let finished = rule else { return }
    rule = nil
    var missing: [String] = []
    if finished.phase == nil && !fieldsSeen.contains("phase") { missing.append("'phase:'") }
    if finished.when == nil && !fieldsSeen.contains("when") { missing.append("'when:'") }
    if finished.action == nil && !fieldsSeen.contains("propose") { missing.append("'propose:'") }
    if finished.because == nil && !fieldsSeen.contains("because") { missing.append("'because:'") }
    if !missing.isEmpty {
      let list =
        missing.count == 1
        ? missing[0] : missing.dropLast().joined(separator: ", ") + " and " + (missing.last ?? "")
      report(.missingRuleField, "rule '\(finished.id)' has no \(list)", finished.idRange)
    }
    if finished.source == nil, finished.because != nil {
      report(
        .missingSource,
        "rule '\(finished.id)' gives no source for its reasoning; add 'source:' (a book, a method, "
          + "METHOD.md)", finished.idRange)
    }
    file.rules.append(finished)
  }

  // MARK: Pieces

  private mutating func parseExpression(_ text: Substring, _ line: RuleLine) -> Expression? {
    let trimmed = text.trimmedSlice()
    switch ExpressionParser.parse(trimmed, at: line.location(trimmed)) {
    case .success(let expression):
      return expression
    case .failure(let diagnostic):
      diagnostics.append(diagnostic)
      return nil
    }
  }

  /// Text with `{id}` interpolations; `{{` and `}}` are literal braces, as in guides.
  private mutating func parseTemplate(_ text: Substring, _ line: RuleLine) -> Template {
    var pieces: [Template.Piece] = []
    var literal = ""
    var index = text.startIndex
    while index < text.endIndex {
      let character = text[index]
      let next = text.index(after: index)
      if character == "{" {
        if next < text.endIndex, text[next] == "{" {
          literal.append("{")
          index = text.index(after: next)
          continue
        }
        guard let close = text[next...].firstIndex(of: "}") else {
          report(
            .malformedInterpolation, "'{' has no closing '}'; write '{{' for a literal brace",
            line.range(text[index...].prefix(1)))
          literal.append(contentsOf: text[index...])
          break
        }
        let name = text[next..<close]
        let trimmedName = name.trimmingSpaces()
        if trimmedName.isEmpty
          || !trimmedName.unicodeScalars.allSatisfy({
            $0.isASCII && isIdentifierBody(UInt8($0.value))
          })
        {
          report(
            .malformedInterpolation,
            "expected a question id inside '{…}', found '\(name)'; write '{{' for a literal brace",
            line.range(text[index...close]))
          literal.append(contentsOf: text[index...close])
        } else {
          if !literal.isEmpty { pieces.append(.literal(literal)) }
          literal = ""
          pieces.append(.reference(trimmedName, line.range(name)))
        }
        index = text.index(after: close)
        continue
      }
      if character == "}" {
        literal.append("}")
        index = next < text.endIndex && text[next] == "}" ? text.index(after: next) : next
        continue
      }
      literal.append(character)
      index = next
    }
    if !literal.isEmpty { pieces.append(.literal(literal)) }
    return Template(text: String(text), pieces: pieces, range: line.range(text))
  }

  private mutating func checkIdentifier(_ name: Substring, _ line: RuleLine, what: String) {
    let scalars = name.unicodeScalars
    let valid =
      scalars.first.map { $0.isASCII && isIdentifierStart(UInt8($0.value)) && $0 != "_" } ?? false
      && scalars.allSatisfy { $0.isASCII && (isIdentifierBody(UInt8($0.value)) || $0 == "-") }
    guard !valid else { return }
    var fixed = String(
      name.map { character -> Character in
        character.isLetter || character.isNumber || character == "-" ? character : "-"
      })
    if let first = fixed.first, !first.isLetter { fixed = "r" + fixed }
    let suggestion = TextFolding.fold(fixed)
    report(
      .invalidIdentifier,
      "\(what) '\(name)' must start with a letter and hold only letters, digits, '_' and '-'; "
        + "write '\(suggestion)'", line.range(name), fixIt: suggestion)
  }

  /// `key: value`, where the key is words (letters, `_`, `-`, spaces) before the first colon.
  private func splitField(_ content: Substring) -> (Substring, Substring)? {
    guard let colon = content.firstIndex(of: ":") else { return nil }
    let key = content[..<colon]
    guard let first = key.first, first.isLetter,
      key.allSatisfy({ $0.isLetter || $0 == "_" || $0 == " " || $0 == "-" })
    else { return nil }
    return (key.trimmedSlice(), content[content.index(after: colon)...])
  }

  private func normalizedKey(_ key: Substring) -> String {
    key.split(separator: " ").joined(separator: " ").lowercased()
  }

  private mutating func report(
    _ code: DiagnosticCode, _ message: String, _ range: SourceRange, fixIt: String? = nil
  ) {
    diagnostics.append(Diagnostic(code, message, at: range, fixIt: fixIt))
  }
}

/// One line of a rule or rule test file, to turn pieces of it into source places.
struct RuleLine {
  let text: Substring
  let number: Int
  let path: String

  func location(_ piece: Substring) -> SourceLocation {
    let column = text.utf8.distance(from: text.startIndex, to: piece.startIndex) + 1
    return SourceLocation(path: path, line: number, column: column)
  }

  func range(_ piece: Substring) -> SourceRange {
    SourceRange(location(piece), length: max(piece.utf8.count, 1))
  }

  var endRange: SourceRange {
    SourceRange(path: path, line: number, column: text.utf8.count + 1, length: 1)
  }
}
