/// Lays out a rule file one canonical way, as ``GuideFormatter`` does for guides.
///
/// The layout: header fields first with one blank line after them; `rule id: Title` with one
/// blank line before it (and before the comments directly above it); the rule's fields indented
/// by two spaces in one order (`phase`, `priority`, `applies to`, `when`, `unless`, `propose`,
/// `because`, `source`, `owner`, `due`), each `unless` in the order written; the conditions of an
/// `all:` or `any:` group two spaces deeper than the group; `key: value` with one space after the
/// colon; no blank lines inside a rule. Comments stay in place and move with the field below
/// them; the words of titles, proposals, reasons and conditions are never changed. A file with
/// errors is not formatted, and the result must parse to the same rules or it is refused.
public enum RuleFormatter {
  /// The canonical layout of the rule file `text` (at `path`, for messages).
  public static func format(_ text: String, path: String) -> Result<String, GuideFormatter.Refusal>
  {
    let before = RuleParser.parse(path: path, text: text)
    let errors = before.diagnostics.filter { $0.severity == .error }
    guard errors.isEmpty else { return .failure(.syntaxErrors(errors)) }
    let formatted = layout(text)
    let after = RuleParser.parse(path: path, text: formatted)
    guard !after.diagnostics.contains(where: { $0.severity == .error }),
      GuideMeaning.describe(rules: after.file) == GuideMeaning.describe(rules: before.file)
    else { return .failure(.meaningChanged) }
    return .success(formatted)
  }

  private enum Kind: Equatable {
    case blank
    case comment
    case header
    case rule
    /// A line inside a rule: a field (depth 1) or a group's condition (deeper).
    case inner(depth: Int, rank: Int)
  }

  private struct Line {
    var kind: Kind
    var text: String
  }

  /// Field ranks, in the canonical order; a group (`when any:`) ranks as its field.
  private static let ranks: [String: Int] = [
    "phase": 0, "priority": 1, "applies to": 2, "when": 3, "unless": 4, "propose": 5,
    "because": 6, "source": 7, "owner": 8, "due": 9,
  ]

  static func layout(_ text: String) -> String {
    var lines = classify(text)
    lines = orderFields(lines)
    return spaced(lines)
  }

  /// Each line with its kind and canonical text, indentation decided as the parser nests groups.
  private static func classify(_ text: String) -> [Line] {
    var lines: [Line] = []
    // The indentation of each open `all:`/`any:` group, innermost last.
    var groups: [Int] = []
    var body = Substring(text)
    if body.hasPrefix("\u{FEFF}") { body = body.dropFirst() }
    for raw in body.split(
      omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r\n" })
    {
      let content = raw.trimmingSpaces()
      if content.isEmpty {
        lines.append(Line(kind: .blank, text: ""))
        continue
      }
      if content.hasPrefix("//") {
        lines.append(Line(kind: .comment, text: content))
        continue
      }
      let indent = raw.prefix(while: { $0 == " " || $0 == "\t" }).count
      while let last = groups.last, last >= indent { groups.removeLast() }
      if indent == 0 {
        if content.hasPrefix("rule ") {
          lines.append(Line(kind: .rule, text: ruleLine(content)))
        } else if let (key, value) = field(content) {
          lines.append(Line(kind: .header, text: pair(key, value)))
        } else {
          lines.append(Line(kind: .header, text: content))
        }
        continue
      }
      let depth = groups.count + 1
      guard let (key, value) = field(content) else {
        lines.append(Line(kind: .inner(depth: depth, rank: -1), text: content))
        continue
      }
      let opensGroup =
        ["all", "any"].contains(key) || key.hasSuffix(" all") || key.hasSuffix(" any")
      // A condition such as `name: …` cannot be told from a field by its look alone; the parser
      // reads a line inside a group as a condition unless it opens a group.
      if depth > 1 && !opensGroup {
        lines.append(Line(kind: .inner(depth: depth, rank: -1), text: content))
        continue
      }
      if opensGroup { groups.append(indent) }
      let base = String(key.prefix(while: { $0 != " " }))
      let rank = depth == 1 ? (ranks[key] ?? ranks[base] ?? 10) : -1
      lines.append(Line(kind: .inner(depth: depth, rank: rank), text: pair(key, value)))
    }
    return lines
  }

  /// Puts each rule's fields in canonical order; a field moves with the comments above it and,
  /// for a group, with its conditions.
  private static func orderFields(_ lines: [Line]) -> [Line] {
    var out: [Line] = []
    var index = 0
    while index < lines.count {
      guard lines[index].kind == .rule else {
        out.append(lines[index])
        index += 1
        continue
      }
      out.append(lines[index])
      index += 1
      // The rule's lines run to the last inner line before the next rule or header line.
      var end = index
      var lastInner: Int?
      scan: while end < lines.count {
        switch lines[end].kind {
        case .inner: lastInner = end
        case .blank, .comment: break
        default: break scan
        }
        end += 1
      }
      guard let lastInner else { continue }
      var blocks: [(rank: Int, lines: [Line])] = []
      var pending: [Line] = []
      for line in lines[index...lastInner] {
        switch line.kind {
        case .blank:
          continue
        case .comment:
          pending.append(line)
        case .inner(let depth, let rank):
          let indented = Line(
            kind: line.kind, text: String(repeating: "  ", count: depth) + line.text)
          let placed = pending.map { comment in
            Line(kind: .comment, text: String(repeating: "  ", count: depth) + comment.text)
          }
          pending = []
          if depth == 1 || blocks.isEmpty {
            blocks.append((rank, placed + [indented]))
          } else {
            blocks[blocks.count - 1].lines += placed + [indented]
          }
        default:
          continue
        }
      }
      let sorted = blocks.enumerated().sorted {
        ($0.element.rank, $0.offset) < ($1.element.rank, $1.offset)
      }
      for block in sorted { out += block.element.lines }
      index = lastInner + 1
    }
    return out
  }

  /// The lines joined, with the blank lines the layout asks for.
  private static func spaced(_ lines: [Line]) -> String {
    var kept: [Line] = []
    for line in lines {
      if line.kind == .blank {
        guard let last = kept.last, last.kind != .blank else { continue }
      }
      kept.append(line)
    }
    while kept.last?.kind == .blank { kept.removeLast() }
    if let lastHeader = kept.lastIndex(where: { $0.kind == .header }),
      lastHeader + 1 < kept.count, kept[lastHeader + 1].kind != .blank
    {
      kept.insert(Line(kind: .blank, text: ""), at: lastHeader + 1)
    }
    var out: [Line] = []
    for (index, line) in kept.enumerated() {
      if line.kind == .rule, index > 0 {
        // One blank line above the rule and the comments directly above it.
        var insertAt = out.count
        while insertAt > 0, out[insertAt - 1].kind == .comment,
          !out[insertAt - 1].text.hasPrefix(" ")
        {
          insertAt -= 1
        }
        if insertAt > 0, out[insertAt - 1].kind != .blank {
          out.insert(Line(kind: .blank, text: ""), at: insertAt)
        }
      }
      out.append(line)
    }
    return out.map { $0.text + "\n" }.joined()
  }

  // MARK: One line each

  /// `key` (spaces made one, lower case, as the parser reads it) and the value after the colon.
  private static func field(_ content: String) -> (String, Substring)? {
    guard let colon = content.firstIndex(of: ":") else { return nil }
    let key = content[..<colon]
    guard let first = key.first, first.isLetter,
      key.allSatisfy({ $0.isLetter || $0 == "_" || $0 == " " || $0 == "-" })
    else { return nil }
    let name = key.split(separator: " ").joined(separator: " ").lowercased()
    return (name, content[content.index(after: colon)...])
  }

  private static func pair(_ key: String, _ value: Substring) -> String {
    let trimmed = value.trimmingSpaces()
    return trimmed.isEmpty ? "\(key):" : "\(key): \(trimmed)"
  }

  private static func ruleLine(_ content: String) -> String {
    let body = content.dropFirst(4).drop(while: { $0 == " " })
    let id = body.prefix(while: { $0 != ":" && $0 != " " })
    let rest = body[id.endIndex...].drop(while: { $0 == " " })
    return "rule \(id): " + rest.dropFirst().trimmingSpaces()
  }
}
