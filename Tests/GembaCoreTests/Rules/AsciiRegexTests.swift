import Foundation
import Testing

@testable import GembaCore

/// The automaton decides `matches` exactly as ICU (through `NSRegularExpression`) does, for every
/// pattern it accepts; it declines the rest.
@Suite("Rules, regular expressions on printable ASCII")
struct AsciiRegexTests {
  /// Patterns written by hand, including the workload's three forms and edge cases of the syntax.
  static let patterns = [
    "(budget|price) (is|was) (high|low|slow)", "[0-9]+ (users|seats)", "budget [a-z]+ price",
    "\\d|monday|next (week|month)|by the end", "^we", "sheet$", "^exact$", "^$", "a*", "a?b",
    "colou?r", "x{2}", "x{2,}", "x{1,3}y", "(ab)+c", "a|b|", "[a-]", "[-a]", "[a\\-z]",
    "[\\]x]", "[\\d.]+", "\\w+'\\w+", "\\s\\s", "\\S+@\\S+", "\\D\\W", "[^aeiou ]{3}", ".e.",
    "a.*b", "a.+?b", "(?:ab|cd)e", "\\.", "\\$5", "5\\$", "a\\$$", "[$^]", "q{0}", "[A-Z]",
    "Hello", "h.llo", "(a|b)*abb", "(x|xy)z", "((a))", "\\(x\\)", "a{0,1}b", "[a-c][x-z]",
    "[z-a]", "a{3,2}", "(", "a**", "a++", "a{,2}", "\\bword\\b", "(?i)x", "\\p{L}", "[[:alpha:]]",
    "[a&&b]", "é", "a{1000}",
  ]

  static let texts = [
    "", "a", "b", "ab", "abb", "aab", "xxy", "xz", "xyz", "budget is high", "price was slow",
    "the budget was low today", "12 users", "3seats", "budget and price", "budget x price",
    "next week", "by the end of monday", "we keep", "a sheet", "sheet music", "exact",
    "colour color colr", "ab ab c", "ababc", "cde", "abe", "x.y", "$5 and 5$", "a$", "HELLO",
    "hello", "hallo", "o'neil", "two  spaces", "me@here.org", "rhythm", "A-Z", "-", "]", "[x]",
    "(x)", "q", "Word word", "tab", "WE KEEP", "Sheet", "EXACT", "Budget Is High",
  ]

  static func icu(_ pattern: String, ignoresCase: Bool, _ text: String) -> Bool {
    RegexSupport.matches(text, pattern: pattern, ignoresCase: ignoresCase)
  }

  @Test(arguments: [false, true])
  func handWrittenPatternsMatchAsICU(ignoresCase: Bool) {
    for pattern in Self.patterns {
      let compiled = CompiledRegex(pattern: pattern, ignoresCase: ignoresCase)
      for text in Self.texts {
        #expect(
          compiled.matches(text) == Self.icu(pattern, ignoresCase: ignoresCase, text),
          "/\(pattern)/\(ignoresCase ? "i" : "") on \(text.debugDescription)")
      }
    }
  }

  /// Random patterns from the subset's grammar against random texts. Loops inside loops are
  /// left out: ICU backtracks through them for minutes, and the hand-written cases have them.
  @Test(arguments: 0..<2)
  func randomPatternsMatchAsICU(seed: Int) {
    var random = SeededRandom(seed: UInt64(seed) &* 104_729 &+ 17)
    func pick<T>(_ items: [T]) -> T { items[random.below(items.count)] }
    func atom() -> String {
      switch random.below(4) {
      case 0, 1: return pick(["a", "b", "c", "x", " ", "A", "1", "-", "'"])
      case 2: return pick(["[a-c]", "[^ab]", "[0-9x]", "[ -]", "[A-Ca]", "\\d", "\\w", "\\s", "."])
      default: return pick(["\\.", "\\-", "ab", "ba"])
      }
    }
    func sequence(inner: Bool) -> String {
      (0..<(1 + random.below(3))).map { _ in
        atom() + pick(inner ? ["", "", "?", "{2}"] : ["", "", "*", "+", "?", "{1,2}", "*?", "+?"])
      }.joined()
    }
    func group() -> String {
      let body =
        random.below(2) == 0
        ? sequence(inner: true) : sequence(inner: true) + "|" + sequence(inner: true)
      return "(" + (random.below(3) == 0 ? "?:" : "") + body + ")"
        + pick(["", "", "*", "+", "?", "{1,2}", "*?"])
    }
    let alphabet = Array("abcxAB1 -'.")
    var checked = 0
    for _ in 0..<150 {
      var pattern = (0..<(1 + random.below(3))).map { _ in
        random.below(3) == 0 ? group() : sequence(inner: false)
      }.joined()
      if random.below(4) == 0 { pattern += "|" + sequence(inner: false) }
      if random.below(5) == 0 { pattern = "^" + pattern }
      if random.below(5) == 0 { pattern += "$" }
      let ignoresCase = random.below(3) == 0
      let compiled = CompiledRegex(pattern: pattern, ignoresCase: ignoresCase)
      for _ in 0..<20 {
        let text = String((0..<random.below(9)).map { _ in alphabet[random.below(alphabet.count)] })
        #expect(
          compiled.matches(text) == Self.icu(pattern, ignoresCase: ignoresCase, text),
          "/\(pattern)/\(ignoresCase ? "i" : "") on \(text.debugDescription)")
        checked += 1
      }
    }
    #expect(checked == 3000)
  }

  @Test func theAutomatonTakesTheCommonPatternsAndLeavesTheRestToICU() {
    #expect(AsciiRegex.compile("(budget|price) (is|was) (high|low)", ignoresCase: false) != nil)
    #expect(AsciiRegex.compile("[0-9]+ (users|seats)", ignoresCase: true) != nil)
    #expect(AsciiRegex.compile("\\d|monday|next (week|month)", ignoresCase: true) != nil)
    for declined in ["\\bword\\b", "(?i)x", "\\p{L}", "a++", "é", "^a|b", "[[:alpha:]]", "[^a]"]
    where declined != "[^a]" {
      #expect(AsciiRegex.compile(declined, ignoresCase: false) == nil, "\(declined)")
    }
    #expect(AsciiRegex.compile("[^a]", ignoresCase: true) == nil)
  }

  @Test func textOutsidePrintableASCIIIsLeftToICU() {
    let compiled = CompiledRegex(pattern: "caf.", ignoresCase: true)
    #expect(compiled.matches("Café") == Self.icu("caf.", ignoresCase: true, "Café"))
    #expect(compiled.matches("a\ncafe") == Self.icu("caf.", ignoresCase: true, "a\ncafe"))
    let dollar = CompiledRegex(pattern: "end$", ignoresCase: false)
    #expect(dollar.matches("the end\n") == Self.icu("end$", ignoresCase: false, "the end\n"))
  }
}
