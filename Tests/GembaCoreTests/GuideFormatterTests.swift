import Foundation
import GembaTestSupport
import Testing

@testable import GembaCore

@Suite("Guide formatter")
struct GuideFormatterTests {
  private func format(_ text: String) throws -> String {
    switch GuideFormatter.format(text, path: "t.guide") {
    case .success(let formatted): return formatted
    case .failure(let refusal): throw FormatFailure(refusal: "\(refusal)")
    }
  }

  private struct FormatFailure: Error {
    var refusal: String
  }

  private func meaning(_ text: String) -> String {
    GuideMeaning.describe(GuideParser.parse(path: "t.guide", text: text).guide)
  }

  /// Every guide shipped in scripts/.
  static let shipped: [String] = {
    let folder = repositoryRoot().appendingPathComponent("scripts")
    let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
    return names.filter { $0.hasSuffix(".guide") }.sorted()
  }()

  @Test(arguments: shipped)
  func shippedGuidesAreFormattedAndKeepTheirMeaning(name: String) throws {
    let url = repositoryRoot().appendingPathComponent("scripts").appendingPathComponent(name)
    let text = try String(contentsOf: url, encoding: .utf8)
    let formatted = try format(text)
    #expect(meaning(formatted) == meaning(text))
    #expect(try format(formatted) == formatted, "formatting twice changes nothing")
    #expect(formatted == text, "\(name) is not formatted; run 'gemba fmt scripts/'")
  }

  @Test(arguments: shipped)
  func aScrambledShippedGuideComesBackTheSame(name: String) throws {
    let url = repositoryRoot().appendingPathComponent("scripts").appendingPathComponent(name)
    let text = try String(contentsOf: url, encoding: .utf8)
    // Worse spacing everywhere, kinds of field in reverse order (probes keep theirs), blank
    // lines doubled: the layout must undo it all.
    var scrambled = ""
    var fields: [String] = []
    for line in text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init) {
      if line.hasPrefix("  ") && !line.hasPrefix("  -") {
        fields.append(
          "    " + Self.replacingFirst(": ", with: ":   ", in: line.dropFirst(2)) + "  ")
        continue
      }
      scrambled += Self.reversedByKind(fields)
      fields = []
      if line.hasPrefix("? "), let close = line.firstIndex(of: ")"),
        let colon = line.firstIndex(of: ":"), close < colon
      {
        let head = line[..<close].replacingOccurrences(of: ", ", with: " ,  ")
          .replacingOccurrences(of: " (", with: "  ( ")
        scrambled += "?  " + head.dropFirst(2) + " )" + line[line.index(after: close)...] + "\n"
      } else if line.hasPrefix("# "), let open = line.lastIndex(of: "(") {
        scrambled +=
          "##   " + line[line.index(line.startIndex, offsetBy: 2)..<open]
          + "( " + line[line.index(after: open)...].replacingOccurrences(of: ", ", with: " ,")
          + "\n"
      } else if line.hasPrefix("  - ") {
        scrambled +=
          "  -   " + Self.replacingFirst(": ", with: " :   ", in: line.dropFirst(4)) + "\n"
      } else {
        scrambled += line + (line.isEmpty ? "\n\n" : "\n")
      }
    }
    scrambled += Self.reversedByKind(fields)
    let formatted = try format(scrambled)
    #expect(meaning(formatted) == meaning(text))
    #expect(formatted == text)
  }

  /// The fields with their kinds (`hint`, `probe`, …) in reverse order, each kind's lines in
  /// the order written.
  private static func reversedByKind(_ fields: [String]) -> String {
    func kind(_ field: String) -> String {
      String(field.drop(while: { $0 == " " }).prefix(while: { $0 != ":" && $0 != " " }))
    }
    var kinds: [String] = []
    for field in fields where !kinds.contains(kind(field)) { kinds.append(kind(field)) }
    return kinds.reversed().flatMap { name in fields.filter { kind($0) == name } }
      .map { $0 + "\n" }.joined()
  }

  private static func replacingFirst(
    _ target: String, with replacement: String, in text: some StringProtocol
  ) -> String {
    let text = String(text)
    guard let range = text.range(of: target) else { return text }
    return text.replacingCharacters(in: range, with: replacement)
  }

  @Test func aMessyGuideGetsOneLayout() throws {
    let messy = """


      title:Messy  \r
      version:   2
      // about the version
      method: x
      # Before   (5 minutes,before)

      ? expect  ( required ):   What do I expect?
        tags:expectation ,  hypothesis
        hint:   Write it first.
      // about the probe
        probe: When?

        // after the probe
      ? size (number   0...100   EUR , required):How big?
        constraint: . < 50
        message: big
        if: expect is answered
      # Choose (customer,  10 min)
      intro:   Say hello.
      ? pick (choice):Pick   one
        tags: purpose
        -a:  Alpha   ->   Growth if  pick is a
        - b
        -> end if size > 3
        - c:
      ? s (scale 1 ... 5, assess): Rate
        labels:  low   ...   high
        was:  old_s ,older
      set total  =   size + 1
      ->   Growth



      // about growth
      # Growth (customer)
      ? g: G {expect}?
      """
    let expected = """
      title: Messy
      version: 2
      // about the version
      method: x

      # Before (before, 5 min)
      ? expect (required): What do I expect?
        hint: Write it first.
        // about the probe
        probe: When?
        tags: expectation, hypothesis

      // after the probe
      ? size (number 0...100 EUR, required): How big?
        if: expect is answered
        constraint: . < 50
        message: big

      # Choose (customer, 10 min)
      intro: Say hello.
      ? pick (choice): Pick   one
        - a: Alpha -> Growth if pick is a
        - b
        - c
        -> end if size > 3
        tags: purpose
      ? s (scale 1...5, assess): Rate
        labels: low ... high
        was: old_s, older
      set total = size + 1
      -> Growth

      // about growth
      # Growth (customer)
      ? g: G {expect}?

      """
    let formatted = try format(messy)
    #expect(formatted == expected)
    #expect(meaning(formatted) == meaning(messy))
    #expect(try format(formatted) == formatted)
  }

  @Test func promptsKeepTheirWordsExactly() throws {
    let text = "title: T\n\n# A\n? a: Two  spaces,\ttab, {{braces}} and {a}?\n  hint:  x  y \n"
    let formatted = try format(text)
    #expect(formatted.contains("? a: Two  spaces,\ttab, {{braces}} and {a}?\n"))
    #expect(formatted.contains("  hint: x  y\n"))
  }

  @Test func aFileMeantForIncludeIsFormattedAsAFragment() throws {
    let text = "?  extra: One more?\n   tags: purpose\n\n# Later\n? later: Later?\n"
    #expect(try format(text) == "? extra: One more?\n  tags: purpose\n\n# Later\n? later: Later?\n")
  }

  @Test func includesAreNotFollowed() throws {
    #expect(
      try format("title: T\ninclude:   common/x.guide\n") == "title: T\n\ninclude: common/x.guide\n"
    )
  }

  @Test func aGuideWithSyntaxErrorsIsLeftAlone() {
    guard
      case .failure(.syntaxErrors(let diagnostics)) = GuideFormatter.format(
        "title: T\n# A\n? a (scal): A?\n", path: "t.guide")
    else {
      Issue.record("a syntax error must stop formatting")
      return
    }
    #expect(diagnostics.first?.code == .unknownAttribute)
    #expect(diagnostics.first?.range.start.line == 3)
  }

  @Test func aHeadingWhoseMeaningHangsOnTrailingSpacesIsLeftAlone() {
    guard
      case .failure(.unclearLine(let line, _)) = GuideFormatter.format(
        "title: T\n# A (before)  \n? a: A?\n", path: "t.guide")
    else {
      Issue.record("the heading's meaning would change")
      return
    }
    #expect(line == 2)
  }

  @Test func meaningIgnoresPlacesButNotWords() {
    #expect(meaning("title: T\n# A\n? a: A?\n") == meaning("title:   T\n\n\n#   A\n?  a:A?\n"))
    #expect(meaning("title: T\n# A\n? a: A?\n") != meaning("title: T\n# A\n? a: A!\n"))
    #expect(
      meaning("title: T\n# A\n? a: A?\n  probe: 1\n  probe: 2\n")
        != meaning("title: T\n# A\n? a: A?\n  probe: 2\n  probe: 1\n"))
  }
}
