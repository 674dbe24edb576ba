/// Makes text from a transcript safe inside CSV, Markdown and HTML. Answers are whatever a
/// customer said or a salesperson typed, so every writer passes them through here.
public enum ReportEscaping {
  /// One CSV field (RFC 4180): quoted when it holds a comma, a quote or a line break, quotes
  /// doubled. A field that a spreadsheet would run as a formula — it begins with `=`, `+`, `-`,
  /// `@`, a tab or a carriage return — gets a leading `'` first, so it opens as text. A plain
  /// number (`-5`, `2.5`) is left as it is. Control characters other than line breaks are made
  /// visible.
  public static func csvField(_ text: String) -> String {
    var field = text
    if let first = field.unicodeScalars.first, "=+-@\t\r".unicodeScalars.contains(first),
      !isPlainNumber(field)
    {
      field = "'" + field
    }
    field = TerminalSafe.neutralize(field.replacingCRLF(), keepingNewlines: true)
    let needsQuotes = field.contains { $0 == "," || $0 == "\"" || $0 == "\n" }
    if !needsQuotes { return field }
    return "\"" + field.replacingOccurrences(of: "\"", with: "\"\"") + "\""
  }

  /// A CSV record: the fields escaped, joined by commas, ended by CRLF as RFC 4180 asks.
  public static func csvRecord(_ fields: [String]) -> String {
    fields.map(csvField).joined(separator: ",") + "\r\n"
  }

  private static func isPlainNumber(_ text: String) -> Bool {
    var digits = 0
    var dots = 0
    for (index, character) in text.enumerated() {
      if character == "-" && index == 0 { continue }
      if character == "." {
        dots += 1
      } else if character.isASCII && character.isNumber {
        digits += 1
      } else {
        return false
      }
    }
    return digits > 0 && dots <= 1
  }

  /// Text for HTML element content and attribute values: `& < > " '` escaped, control
  /// characters made visible, line breaks kept (shown by `white-space: pre-line`).
  public static func html(_ text: String) -> String {
    MarkupEscape.htmlEntities(
      TerminalSafe.neutralize(text.replacingCRLF(), keepingNewlines: true))
  }

  /// Text inside a Markdown paragraph or list item, read as plain text by any Markdown renderer
  /// and still plain to read where Markdown is not rendered: only what could start emphasis,
  /// code, a link, HTML, a table cell, a heading or a list is backslash-escaped. Control
  /// characters are made visible, and a line break becomes a hard break indented by `indent`
  /// spaces, so it stays inside its list item.
  public static func markdown(_ text: String, indent: Int = 0) -> String {
    let always: Set<Character> = ["\\", "`", "*", "_", "[", "]", "<", ">", "|", "~"]
    let atStart: Set<Character> = ["#", "-", "+", "=", ":"]
    let safe = TerminalSafe.neutralize(text.replacingCRLF(), keepingNewlines: true)
    let pad = String(repeating: " ", count: indent)
    var lines: [String] = []
    for line in safe.split(separator: "\n", omittingEmptySubsequences: false) {
      let characters = Array(line.trimmingSpaces())
      var out = ""
      for (index, character) in characters.enumerated() {
        let next = index + 1 < characters.count ? characters[index + 1] : nil
        if always.contains(character) || (index == 0 && atStart.contains(character))
          || (character == "&" && (next == "#" || next?.isLetter == true))
        {
          out.append("\\")
        } else if character == "." || character == ")",
          index > 0, characters[..<index].allSatisfy({ $0.isASCII && $0.isNumber })
        {
          // `1.` or `1)` at the start of a line would begin a numbered list.
          out.append("\\")
        }
        out.append(character)
      }
      lines.append(out)
    }
    // A backslash at the end of a line is a hard line break in CommonMark.
    return lines.joined(separator: "\\\n" + pad)
  }
}

extension String {
  /// CRLF and lone CR as LF, so a line break is one character everywhere.
  fileprivate func replacingCRLF() -> String {
    guard contains("\r") else { return self }
    return replacingOccurrences(of: "\r\n", with: "\n").replacingOccurrences(of: "\r", with: "\n")
  }
}
