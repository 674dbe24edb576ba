import Foundation

/// Lays out a guide one canonical way, so that diffs stay small when many people edit it.
///
/// The layout: no trailing spaces and one line break at the end; fields of a question indented
/// by two spaces, in one order (`if`, `labels`, options, `constraint`, `message`, jumps, `hint`,
/// probes, `tags`, `was`, `required`/`optional`), with options, probes and jumps kept in the
/// order written; `key: value` with one space after the colon; attributes and section headings
/// spaced one way (`? id (number 0...10 EUR, required): …`, `# Title (customer, 10 min)`); one
/// blank line before each section (and before the comments directly above it) and after the
/// header; no blank lines inside a question; runs of blank lines made one.
///
/// What a person wrote is never changed: prompts, hints, probes, labels, titles and expressions
/// keep their text, and comments stay where they are, moving with the field below them when
/// fields are put in order. A guide with syntax errors is not formatted. The result is checked
/// before it is returned: it must parse to the same guide (``GuideMeaning``), or formatting
/// is refused.
///
///     GuideFormatter.format("title:T\n#  A\n?a:A?\n  tags:x,y\n", path: "a.guide")
///     // .success("title: T\n\n# A\n? a: A?\n  tags: x, y\n")
public enum GuideFormatter {
  /// Why a guide was not formatted.
  public enum Refusal: Error, Sendable {
    /// The guide has syntax errors; they are listed.
    case syntaxErrors([Diagnostic])
    /// A line whose meaning hangs on its trailing spaces, which the layout removes.
    case unclearLine(line: Int, message: String)
    /// The formatted text would not parse to the same guide. A bug in the formatter: the file
    /// is left as it is.
    case meaningChanged
  }

  /// The canonical layout of the guide `text` (the file at `path`, for messages).
  ///
  /// Each file is formatted on its own: includes are not read, and a file meant to be included,
  /// that starts with questions before any section, is formatted as such a fragment.
  public static func format(_ text: String, path: String) -> Result<String, Refusal> {
    let before = parse(text, path: path)
    guard before.blocking.isEmpty else { return .failure(.syntaxErrors(before.blocking)) }
    if let unclear = headingWithTrailingSpaces(text) { return .failure(unclear) }
    let formatted = layout(text, fragment: before.fragment)
    let after = parse(formatted, path: path, fragment: before.fragment)
    guard after.blocking.isEmpty, after.meaning == before.meaning else {
      return .failure(.meaningChanged)
    }
    return .success(formatted)
  }

  // MARK: Checking

  /// A heading such as `# Purpose (customer)  ` is read with its `(…)` as part of the title,
  /// because the line does not end in `)`; without the spaces it would read as a part. Which one
  /// the author meant is theirs to say.
  private static func headingWithTrailingSpaces(_ text: String) -> Refusal? {
    for (offset, line) in text.split(
      omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r\n" }
    )
    .enumerated()
    where line.hasPrefix("#") {
      let trimmed = line.trimmingSpaces()
      if trimmed.hasSuffix(")"), trimmed.contains("("), !line.hasSuffix(")"),
        line.last == " " || line.last == "\t"
      {
        return .unclearLine(
          line: offset + 1,
          message: "the heading ends in spaces after ')', so its '(…)' is read as part of the "
            + "title, not as the section's part and budget; remove the spaces (then check the "
            + "section with 'gemba check')")
      }
    }
    return nil
  }

  private struct Parsed {
    var blocking: [Diagnostic]
    var meaning: String
    var fragment: Bool
  }

  /// Every include reads as an empty file, so a file is formatted without the files it pulls in.
  private struct EmptyIncludes: SourceLoader {
    func load(_ path: String) -> Result<String, SourceLoadError> { .success("") }
  }

  /// Includes are not followed, so problems that only includes cause do not stop formatting.
  private static let ignoredCodes: Set<DiagnosticCode> = [
    .missingInclude, .circularInclude, .headerInInclude,
  ]

  private static let fragmentHeading = "# gemba-fmt-fragment\n"

  private static func parse(_ text: String, path: String, fragment: Bool? = nil) -> Parsed {
    func attempt(_ asFragment: Bool) -> Parsed {
      let source = asFragment ? fragmentHeading + text : text
      let result = GuideParser.parse(path: path, text: source, loader: EmptyIncludes())
      let blocking = result.diagnostics.filter {
        $0.severity == .error && !ignoredCodes.contains($0.code)
      }
      return Parsed(
        blocking: blocking, meaning: GuideMeaning.describe(result.guide), fragment: asFragment)
    }
    if let fragment { return attempt(fragment) }
    let whole = attempt(false)
    if whole.blocking.isEmpty { return whole }
    // A file meant for `include:` may go on with the including file's section.
    let asFragment = attempt(true)
    return asFragment.blocking.isEmpty ? asFragment : whole
  }

  // MARK: Lines

  private enum Kind: Equatable {
    case blank
    case comment
    case header
    case section
    /// `if:` or `intro:` under a section heading.
    case sectionField
    case question
    case field(rank: Int)
    /// `set`, a jump between questions, `include:`.
    case flow
  }

  private struct Line {
    var kind: Kind
    var text: String
    /// Whether the line was indented in the source (for comments).
    var indented: Bool
  }

  /// The canonical text of the guide, which has no syntax errors.
  static func layout(_ text: String, fragment: Bool) -> String {
    let lines = classify(text, fragment: fragment)
    var out: [Line] = []
    var index = 0
    while index < lines.count {
      let line = lines[index]
      if line.kind == .question {
        let (block, next) = questionBlock(lines, from: index)
        out += block
        index = next
      } else {
        out.append(line)
        index += 1
      }
    }
    return spaced(out)
  }

  /// Sorts the lines as the parser reads them; every line is known to be well formed.
  private static func classify(_ text: String, fragment: Bool) -> [Line] {
    var lines: [Line] = []
    var inSection = fragment
    var body = Substring(text)
    if body.hasPrefix("\u{FEFF}") { body = body.dropFirst() }
    for raw in body.split(
      omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r\n" })
    {
      let content = raw.trimmingSpaces()
      let indented = raw.first == " " || raw.first == "\t"
      if content.isEmpty {
        lines.append(Line(kind: .blank, text: "", indented: false))
        continue
      }
      if content.hasPrefix("//") {
        lines.append(Line(kind: .comment, text: content, indented: indented))
        continue
      }
      if indented {
        lines.append(field(content))
        continue
      }
      if content.hasPrefix("#") {
        inSection = true
        lines.append(Line(kind: .section, text: section(content), indented: false))
      } else if content.hasPrefix("?") {
        lines.append(Line(kind: .question, text: question(content), indented: false))
      } else if content.hasPrefix("->") {
        lines.append(Line(kind: .flow, text: "-> " + jump(content.dropFirst(2)), indented: false))
      } else if content.hasPrefix("set ") {
        lines.append(Line(kind: .flow, text: computed(content), indented: false))
      } else if let (key, value) = keyValue(content) {
        let line = pair(key, value)
        if key == "include" {
          lines.append(Line(kind: .flow, text: line, indented: false))
        } else {
          lines.append(Line(kind: inSection ? .sectionField : .header, text: line, indented: false))
        }
      } else {
        lines.append(Line(kind: .flow, text: content, indented: false))
      }
    }
    return lines
  }

  /// A question line and the fields under it, fields in canonical order; returns the index of
  /// the first line after the block. Comments and blank lines after the last field belong to
  /// what follows, except indented comments straight after it.
  private static func questionBlock(_ lines: [Line], from start: Int) -> ([Line], Int) {
    var end = start + 1
    var lastField: Int?
    scan: while end < lines.count {
      switch lines[end].kind {
      case .field: lastField = end
      case .blank, .comment: break
      default: break scan
      }
      end += 1
    }
    guard let lastField else { return ([lines[start]], start + 1) }
    var blockEnd = lastField + 1
    while blockEnd < end, lines[blockEnd].kind == .comment, lines[blockEnd].indented {
      blockEnd += 1
    }
    // Each field takes the comments above it along when the fields are put in order.
    var groups: [(rank: Int, lines: [Line])] = []
    var pending: [Line] = []
    for line in lines[(start + 1)..<blockEnd] {
      switch line.kind {
      case .blank:
        continue
      case .comment:
        pending.append(Line(kind: .comment, text: "  " + line.text, indented: true))
      case .field(let rank):
        groups.append((rank, pending + [line]))
        pending = []
      default:
        continue
      }
    }
    var block = [lines[start]]
    for group in stableSorted(groups) { block += group.lines }
    block += pending
    return (block, blockEnd)
  }

  private static func stableSorted(_ groups: [(rank: Int, lines: [Line])]) -> [(
    rank: Int, lines: [Line]
  )] {
    groups.enumerated().sorted { ($0.element.rank, $0.offset) < ($1.element.rank, $1.offset) }
      .map(\.element)
  }

  /// The lines joined, with the blank lines the layout asks for.
  private static func spaced(_ lines: [Line]) -> String {
    var kept: [Line] = []
    for line in lines {
      // No blank line at the start, after a section heading or after another blank line.
      if line.kind == .blank {
        guard let last = kept.last, last.kind != .blank, last.kind != .section else { continue }
      }
      kept.append(line)
    }
    while kept.last?.kind == .blank { kept.removeLast() }
    // One blank line after the header, whatever comments sit among its fields.
    if let lastHeader = kept.lastIndex(where: { $0.kind == .header }),
      lastHeader + 1 < kept.count, kept[lastHeader + 1].kind != .blank
    {
      kept.insert(Line(kind: .blank, text: "", indented: false), at: lastHeader + 1)
    }
    var out: [Line] = []
    for (index, line) in kept.enumerated() {
      if line.kind == .section, index > 0 {
        // One blank line above the heading and the comments directly above it.
        var insertAt = out.count
        while insertAt > 0, out[insertAt - 1].kind == .comment, !out[insertAt - 1].indented {
          insertAt -= 1
        }
        if insertAt > 0, out[insertAt - 1].kind != .blank {
          out.insert(Line(kind: .blank, text: "", indented: false), at: insertAt)
        }
      }
      out.append(line)
    }
    return out.map { $0.text + "\n" }.joined()
  }

  // MARK: One line each

  private static func keyValue(_ content: String) -> (String, Substring)? {
    guard let colon = content.firstIndex(of: ":") else { return nil }
    let key = content[..<colon]
    guard !key.isEmpty, key.allSatisfy({ $0.isLetter || $0 == "_" }) else { return nil }
    return (String(key), content[content.index(after: colon)...])
  }

  /// Field ranks, in the canonical order.
  private static let ranks: [String: Int] = [
    "if": 0, "labels": 1, "constraint": 3, "message": 4, "hint": 6, "probe": 7, "tags": 8,
    "was": 9, "required": 10, "optional": 10,
  ]

  private static func field(_ content: String) -> Line {
    func line(_ rank: Int, _ text: String) -> Line {
      Line(kind: .field(rank: rank), text: "  " + text, indented: true)
    }
    if content.hasPrefix("->") { return line(5, "-> " + jump(content.dropFirst(2))) }
    if content.hasPrefix("-") { return line(2, option(content.dropFirst())) }
    if content == "required" || content == "optional" { return line(10, content) }
    guard let (key, value) = keyValue(content) else { return line(11, content) }
    let rank = ranks[key] ?? 11
    switch key {
    case "tags", "was":
      let items = value.split(separator: ",").map { $0.trimmingSpaces() }.filter { !$0.isEmpty }
      return line(rank, "\(key): " + items.joined(separator: ", "))
    case "labels":
      guard let dots = value.range(of: "...") else { return line(rank, pair(key, value)) }
      let low = value[..<dots.lowerBound].trimmingSpaces()
      let high = value[dots.upperBound...].trimmingSpaces()
      return line(
        rank, "labels: " + (low.isEmpty ? "" : low + " ") + "..." + (high.isEmpty ? "" : " " + high)
      )
    default:
      return line(rank, pair(key, value))
    }
  }

  /// `key: value`, or `key:` alone when there is no value.
  private static func pair(_ key: String, _ value: Substring) -> String {
    let trimmed = value.trimmingSpaces()
    return trimmed.isEmpty ? "\(key):" : "\(key): \(trimmed)"
  }

  /// `- value: label -> Section if condition`, split where the parser splits it.
  private static func option(_ body: Substring) -> String {
    var text = body.drop(while: { $0 == " " })
    var jumpText = ""
    if let arrow = text.range(of: "->", options: .backwards) {
      jumpText = " -> " + jump(text[arrow.upperBound...])
      text = text[..<arrow.lowerBound]
    }
    guard let colon = text.firstIndex(of: ":") else {
      return "- " + text.trimmingSpaces() + jumpText
    }
    let value = text[..<colon].trimmingSpaces()
    let label = text[text.index(after: colon)...].trimmingSpaces()
    return "- " + value + (label.isEmpty ? "" : ": " + label) + jumpText
  }

  /// `Section if condition`, split at the first ` if ` as the parser does.
  private static func jump(_ body: Substring) -> String {
    let target = body.drop(while: { $0 == " " })
    guard let condition = target.range(of: " if ") else { return target.trimmingSpaces() }
    return target[..<condition.lowerBound].trimmingSpaces() + " if "
      + target[condition.upperBound...].trimmingSpaces()
  }

  private static func computed(_ content: String) -> String {
    let body = content.dropFirst(4).drop(while: { $0 == " " })
    guard let equals = body.firstIndex(of: "=") else { return content }
    return "set \(body[..<equals].trimmingSpaces()) = "
      + body[body.index(after: equals)...].trimmingSpaces()
  }

  private static func section(_ content: String) -> String {
    let rest = content.drop(while: { $0 == "#" }).drop(while: { $0 == " " })
    guard rest.hasSuffix(")"), let open = rest.lastIndex(of: "(") else {
      return "# " + rest.trimmingSpaces()
    }
    let title = rest[..<open].trimmingSpaces()
    let inside = rest[rest.index(after: open)..<rest.index(before: rest.endIndex)]
    var parts: [String] = []
    var budgets: [String] = []
    for attribute in inside.split(separator: ",", omittingEmptySubsequences: false) {
      let word = attribute.trimmingSpaces()
      let pieces = word.split(separator: " ")
      if pieces.count == 2, let minutes = Int(pieces[0]) {
        budgets.append("\(minutes) min")
      } else {
        parts.append(word)
      }
    }
    return "# \(title) (" + (parts + budgets).joined(separator: ", ") + ")"
  }

  private static func question(_ content: String) -> String {
    let body = content.dropFirst().drop(while: { $0 == " " })
    let id = body.prefix(while: { $0.isLetter || $0.isNumber || $0 == "_" || $0 == "-" })
    var rest = body[id.endIndex...].drop(while: { $0 == " " })
    var attributes = ""
    if rest.first == "(", let close = rest.firstIndex(of: ")") {
      let inside = rest[rest.index(after: rest.startIndex)..<close]
      attributes =
        " ("
        + inside.split(separator: ",", omittingEmptySubsequences: false).map(attribute)
        .joined(separator: ", ") + ")"
      rest = rest[rest.index(after: close)...].drop(while: { $0 == " " })
    }
    let prompt = rest.dropFirst().trimmingSpaces()
    return "? \(id)\(attributes):" + (prompt.isEmpty ? "" : " " + prompt)
  }

  /// One question attribute, spaced as the parser reads it.
  private static func attribute(_ raw: Substring) -> String {
    let word = raw.trimmingSpaces()
    let head = word.prefix(while: { $0 != " " })
    let tail = word[head.endIndex...].drop(while: { $0 == " " })
    switch head {
    case "scale", "assess":
      return tail.isEmpty ? String(head) : "\(head) \(bounds(tail))"
    case "number":
      let boundsText = tail.prefix(while: { $0 != " " })
      if boundsText.contains("...") {
        let unit = tail[boundsText.endIndex...].trimmingSpaces()
        return "number \(bounds(boundsText))" + (unit.isEmpty ? "" : " " + unit)
      }
      let unit = tail.trimmingSpaces()
      return "number" + (unit.isEmpty ? "" : " " + unit)
    default:
      return word
    }
  }

  private static func bounds(_ text: Substring) -> String {
    let trimmed = text.trimmingSpaces()
    guard let dots = trimmed.range(of: "...") else { return trimmed }
    return trimmed[..<dots.lowerBound].trimmingSpaces() + "..."
      + trimmed[dots.upperBound...].trimmingSpaces()
  }
}
