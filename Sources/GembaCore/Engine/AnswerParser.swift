/// Understands what was said as the question's kind of answer, without ever refusing it.
///
/// The customer's words are always kept. When they cannot be read as a number, a date or one of
/// the options, the value is nil and the answer is flagged as not understood; the interview moves
/// on all the same.
public struct AnswerParser: Sendable {
  /// Today, for answers such as "today" or "yesterday" (the core reads no clock).
  public var today: Day

  public init(today: Day) {
    self.today = today
  }

  /// What was understood, and anything the salesperson should be told about it.
  public struct Reading: Sendable, Equatable {
    public var value: Value?
    public var warnings: [String]

    public var understood: Bool { value != nil }
  }

  public func read(_ raw: String, for question: Question) -> Reading {
    let text = raw.trimmingSpaces()
    switch question.kind {
    case .text:
      return Reading(value: .text(raw), warnings: [])
    case .choice:
      if let option = option(text, in: question.options) {
        return Reading(value: .choice(option.value), warnings: [])
      }
      return notUnderstood("one of the options", question)
    case .choices:
      let pieces = text.split(whereSeparator: { $0 == "," || $0 == ";" }).map {
        $0.trimmingSpaces()
      }
      var picked: [String] = []
      var unknown: [String] = []
      for piece in pieces where !piece.isEmpty {
        // "1 3" is two numbers; "Winning new customers" is one label.
        let words = piece.split(separator: " ").map(String.init)
        let candidates = words.count > 1 && words.allSatisfy({ Int($0) != nil }) ? words : [piece]
        for candidate in candidates {
          if let option = option(candidate, in: question.options) {
            if !picked.contains(option.value) { picked.append(option.value) }
          } else {
            unknown.append(candidate)
          }
        }
      }
      if picked.isEmpty { return notUnderstood("one or more of the options", question) }
      let warnings =
        unknown.isEmpty
        ? [] : ["not an option, kept in the words only: \(unknown.joined(separator: ", "))"]
      return Reading(value: .choices(picked), warnings: warnings)
    case .scale(let bounds):
      guard let number = Self.number(text), number == number.rounded() else {
        return notUnderstood("a whole number from \(bounds.description)", question)
      }
      return bounded(number, bounds)
    case .number(let bounds, _):
      guard let number = Self.number(text) else { return notUnderstood("a number", question) }
      return bounded(number, bounds)
    case .yesNo:
      switch TextFolding.fold(text) {
      case "y", "yes", "true", "yeah", "yep": return Reading(value: .boolean(true), warnings: [])
      case "n", "no", "false", "nope": return Reading(value: .boolean(false), warnings: [])
      default: return notUnderstood("yes or no", question)
      }
    case .date:
      if let day = date(text) { return Reading(value: .date(day), warnings: []) }
      return notUnderstood("a date (\(today), today, yesterday)", question)
    }
  }

  private func notUnderstood(_ what: String, _ question: Question) -> Reading {
    Reading(value: nil, warnings: ["kept in their words; not understood as \(what)"])
  }

  private func bounded(_ number: Double, _ bounds: Bounds) -> Reading {
    var warnings: [String] = []
    if !bounds.contains(number) {
      warnings.append("\(format(number)) is outside \(bounds.description); kept as said")
    }
    return Reading(value: .number(number), warnings: warnings)
  }

  /// The option `text` names: its number (1-based), its value, its label, or a unique start of
  /// one of those, ignoring case and accents.
  public func option(_ text: String, in options: [ChoiceOption]) -> ChoiceOption? {
    let folded = TextFolding.fold(text.trimmingSpaces())
    guard !folded.isEmpty else { return nil }
    if let index = Int(folded), index >= 1, index <= options.count { return options[index - 1] }
    if let exact = options.first(where: {
      TextFolding.fold($0.value) == folded || TextFolding.fold($0.label) == folded
    }) {
      return exact
    }
    let starts = options.filter {
      TextFolding.fold($0.value).hasPrefix(folded) || TextFolding.fold($0.label).hasPrefix(folded)
    }
    return starts.count == 1 ? starts[0] : nil
  }

  /// A number as people type it: `12`, `-3`, `0.5`, `1,200`, `1 200`, `40%`, `12 days`.
  public static func number(_ input: String) -> Double? {
    var trimmed = Substring(input.trimmingSpaces())
    // "about 40" is 40, as the customer's own words are kept beside it.
    for hedge in [
      "about ", "around ", "roughly ", "approximately ", "approx. ", "circa ", "ca. ", "~",
    ]
    where trimmed.lowercased().hasPrefix(hedge) {
      trimmed = trimmed.dropFirst(hedge.count).drop(while: { $0 == " " })
      break
    }
    let text = String(trimmed)
    var digits = ""
    var seenDigit = false
    var index = text.startIndex
    if index < text.endIndex, text[index] == "-" || text[index] == "+" {
      digits.append(text[index])
      index = text.index(after: index)
    }
    while index < text.endIndex {
      let character = text[index]
      if character.isASCII, character.isNumber {
        digits.append(character)
        seenDigit = true
      } else if character == "." {
        digits.append(".")
      } else if character == "," || character == "\u{00A0}" || character == "'"
        || (character == " " && nextIsDigit(text, after: index) && seenDigit
          && !digits.contains("."))
      {
        // Thousands separators.
      } else {
        break
      }
      index = text.index(after: index)
    }
    guard seenDigit, let value = Double(digits) else { return nil }
    let rest = text[index...].trimmingSpaces()
    // Only a unit may follow: "12 days", "40%"; not "12 or 13".
    if !rest.isEmpty, rest.contains(where: { $0.isNumber }) { return nil }
    return value
  }

  private static func nextIsDigit(_ text: String, after index: String.Index) -> Bool {
    let next = text.index(after: index)
    return next < text.endIndex && text[next].isASCII && text[next].isNumber
  }

  private func date(_ text: String) -> Day? {
    switch TextFolding.fold(text) {
    case "today": return today
    case "yesterday": return Day.fromOrdinal(today.ordinal - 1)
    case "tomorrow": return Day.fromOrdinal(today.ordinal + 1)
    default: return Day(iso: text)
    }
  }
}
