/// Customer text made safe inside Markdown and HTML: neutralised first, then escaped, so an
/// answer can never start formatting, a tag or a script.
public enum MarkupEscape {
  /// Markdown text, with the characters that would start formatting escaped.
  public static func markdown(_ text: String) -> String {
    var out = ""
    for character in TerminalSafe.neutralize(text) {
      if "\\`*_[]<>|#".contains(character) { out.append("\\") }
      out.append(character)
    }
    return out
  }

  /// HTML text or attribute value.
  public static func html(_ text: String) -> String {
    htmlEntities(TerminalSafe.neutralize(text))
  }

  /// `& < > " '` written as entities, everything else as it is: for text already made safe
  /// for a terminal, in element content or an attribute value.
  public static func htmlEntities(_ text: String) -> String {
    var out = ""
    out.reserveCapacity(text.utf8.count)
    for character in text {
      switch character {
      case "&": out += "&amp;"
      case "<": out += "&lt;"
      case ">": out += "&gt;"
      case "\"": out += "&quot;"
      case "'": out += "&#39;"
      default: out.append(character)
      }
    }
    return out
  }
}
