import GembaCore
import Testing

/// Random answers made of everything hostile (markup, control characters, escape sequences,
/// formula prefixes, line breaks, wide and combining characters) always come out of the
/// Markdown and HTML escapes as text that starts nothing and reads back as the customer's words.
@Suite("Markup escaping, random answers")
struct MarkupEscapePropertyTests {
  static let pieces = [
    "<", ">", "&", "\"", "'", "`", "*", "_", "[", "]", "|", "#", "\\", "<script>", "</td>",
    "&amp;", "&#39;", "=", "+", "-", "@", "=HYPERLINK(\"x\")", "\n", "\r\n", "\t", "\u{0}",
    "\u{1B}[2J", "\u{1B}]0;title\u{7}", "\u{7F}", "\u{9B}", "\u{85}", "é", "東京", "😀", "e\u{301}",
    " ", "word", "1.", "![x](y)", "<!--", "-->",
  ]

  static func answer(using generator: inout SeededRandom) -> String {
    (0..<Int.random(in: 0...12, using: &generator)).map { _ in
      pieces[Int.random(in: 0..<pieces.count, using: &generator)]
    }.joined()
  }

  /// HTML entities back to characters: the inverse of the escape, for the five it makes.
  static func unescapeHTML(_ text: String) -> String {
    text.replacingOccurrences(of: "&lt;", with: "<").replacingOccurrences(of: "&gt;", with: ">")
      .replacingOccurrences(of: "&quot;", with: "\"").replacingOccurrences(of: "&#39;", with: "'")
      .replacingOccurrences(of: "&amp;", with: "&")
  }

  static func hasControl(_ text: String) -> Bool {
    text.unicodeScalars.contains { $0.value < 0x20 || (0x7F...0x9F).contains($0.value) }
  }

  @Test(arguments: 0..<4)
  func htmlStartsNoTagAndReadsBackAsTheAnswer(seed: UInt64) {
    var generator = SeededRandom(seed: seed)
    for _ in 0..<500 {
      let answer = Self.answer(using: &generator)
      let escaped = MarkupEscape.html(answer)
      #expect(!escaped.contains { "<>\"'".contains($0) }, "\(escaped)")
      #expect(!Self.hasControl(escaped), "\(escaped.debugDescription)")
      // Every & starts one of the entities the escape makes.
      let ampersands = escaped.components(separatedBy: "&").dropFirst()
      #expect(
        ampersands.allSatisfy { part in
          ["lt;", "gt;", "quot;", "#39;", "amp;"].contains { part.hasPrefix($0) }
        }, "\(escaped)")
      #expect(Self.unescapeHTML(escaped) == TerminalSafe.neutralize(answer))
    }
  }

  @Test(arguments: 0..<4)
  func markdownStartsNoFormattingAndReadsBackAsTheAnswer(seed: UInt64) {
    var generator = SeededRandom(seed: seed)
    for _ in 0..<500 {
      let answer = Self.answer(using: &generator)
      let escaped = MarkupEscape.markdown(answer)
      #expect(!Self.hasControl(escaped), "\(escaped.debugDescription)")
      // Reading it back: a backslash escapes the next character, and only special ones are.
      var unescaped = ""
      var iterator = escaped.makeIterator()
      var wellFormed = true
      while let character = iterator.next() {
        if character == "\\" {
          guard let next = iterator.next(), "\\`*_[]<>|#".contains(next) else {
            wellFormed = false
            break
          }
          unescaped.append(next)
        } else {
          if "`*_[]<>|#".contains(character) { wellFormed = false }
          unescaped.append(character)
        }
      }
      #expect(wellFormed, "an unescaped markup character in \(escaped.debugDescription)")
      #expect(unescaped == TerminalSafe.neutralize(answer))
    }
  }
}
