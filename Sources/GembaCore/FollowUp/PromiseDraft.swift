/// Something that may become a promise at the end of a meeting: a next step written in the
/// customer's words, or a proposal of the rules the customer agreed to, with the terms Gemba
/// guesses for it. Enter takes the guess; a reply changes any part of it.
public struct PromiseDraft: Sendable, Equatable {
  /// Where it came from.
  public enum Origin: Sendable, Equatable {
    /// The answer to a next-step question (tagged `#promise`).
    case nextStep(question: String)
    /// A proposal of the rules.
    case proposal(rules: [String])
  }

  public var text: String
  public var origin: Origin
  public var owner: PromiseOwner
  /// `2026-12-04` or `next meeting`.
  public var due: String
  public var answer: PromiseAnswer = .yes
  public var conditions: String?
  /// The earlier promise it replaces, for a promise agreed differently at a check.
  public var replaces: String?

  public init(
    text: String, origin: Origin, owner: PromiseOwner, due: String, replaces: String? = nil
  ) {
    self.text = text
    self.origin = origin
    self.owner = owner
    self.due = due
    self.replaces = replaces
  }

  /// `customer · by 2026-12-04 · yes`.
  public var terms: String { record(interview: "", number: 0, made: "").terms }

  /// The promise it becomes, as promise `number` of interview `interview`, made on `made`.
  public func record(interview: String, number: Int, made: String) -> PromiseRecord {
    var question: String?
    var rules: [String]?
    switch origin {
    case .nextStep(let id): question = id
    case .proposal(let ids): rules = ids
    }
    return PromiseRecord(
      interview: interview, number: number, made: made, text: text, owner: owner, due: due,
      answer: answer, conditions: answer == .yesIf ? conditions : nil, question: question,
      rules: rules, replaces: replaces)
  }

  // MARK: Guessing

  /// A draft for a next step the salesperson wrote: the owner and the date read from the words
  /// ("We visit the site on 9 December" is ours, by 9 December), else ours, at the next meeting.
  public static func nextStep(_ text: String, question: String, today: Day) -> PromiseDraft {
    PromiseDraft(
      text: text, origin: .nextStep(question: question),
      owner: guessOwner(text) ?? .us, due: guessDue(text, today: today) ?? "next meeting")
  }

  /// A draft for a proposal: the rule's owner and due when it says, else ours, at the next
  /// meeting.
  public static func proposal(_ proposal: Proposal, today: Day) -> PromiseDraft {
    var due = "next meeting"
    if let text = proposal.due {
      if let day = Day(iso: text.prefix(10)) {
        due = day.description
      } else if TextFolding.fold(text).hasPrefix("this meeting")
        || TextFolding.fold(text).hasPrefix("before leaving")
      {
        due = today.description
      }
    }
    return PromiseDraft(
      text: proposal.text, origin: .proposal(rules: proposal.rules),
      owner: proposal.owner.flatMap(guessOwner) ?? .us, due: due)
  }

  private static let ownerWords: [(words: [String], owner: PromiseOwner)] = [
    (["both", "together", "jointly", "joint"], .both),
    (["we", "us", "our", "ours"], .us),
    (["customer", "they", "them", "their", "client"], .customer),
  ]

  /// The owner the words name first: "Anna (customer) sends…" is the customer's; "both",
  /// "together" or a short "us and the customer" (a rule's owner) is both.
  public static func guessOwner(_ text: String) -> PromiseOwner? {
    let words = TextFolding.words(text)
    let named = words.compactMap { word in
      ownerWords.first { $0.words.contains(String(word)) }?.owner
    }
    if named.contains(.both) { return .both }
    if words.count <= 6, named.contains(.us), named.contains(.customer), words.contains("and") {
      return .both
    }
    return named.first
  }

  private static let months = [
    "january", "february", "march", "april", "may", "june", "july", "august", "september",
    "october", "november", "december",
  ]

  /// The first date in the words: `2026-12-04`, `4 December`, `December 4th`, `today`,
  /// `tomorrow`; a day and month without a year is the next one on or after `today`.
  static func guessDue(_ text: String, today: Day) -> String? {
    let scalars = Array(text.unicodeScalars)
    if scalars.count >= 10 {
      for start in 0...(scalars.count - 10) {
        let candidate = String(String.UnicodeScalarView(scalars[start..<start + 10]))
        if let day = Day(iso: candidate) { return day.description }
      }
    }
    let words = TextFolding.words(text).map(String.init)
    for (index, word) in words.enumerated() {
      if word == "today" { return today.description }
      if word == "tomorrow" { return Day.fromOrdinal(today.ordinal + 1).description }
      guard let month = monthNumber(word) else { continue }
      let neighbours = [index - 1, index + 1].filter { words.indices.contains($0) }
      for neighbour in neighbours {
        let digits = words[neighbour].prefix { $0.isASCII && $0.isNumber }
        guard let number = Int(digits), (1...31).contains(number) else { continue }
        if let day = nextDay(month: month, day: number, from: today) { return day.description }
      }
    }
    // Without a date, a span ("within two weeks") or a weekday ("next Tuesday", "by Friday").
    for index in words.indices {
      if let day = span(words[index...], today: today) { return day.description }
      if let weekday = weekdays.firstIndex(of: words[index]) {
        return next(weekday: weekday, after: today).description
      }
    }
    return nil
  }

  private static let weekdays = [
    "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday",
  ]

  private static let counts = [
    "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10,
  ]

  /// The first `weekday` (0 for Monday) after `today`: "next Tuesday" said on a Tuesday is a
  /// week on.
  static func next(weekday: Int, after today: Day) -> Day {
    // 1970-01-01, ordinal 0, was a Thursday.
    let current = ((today.ordinal + 3) % 7 + 7) % 7
    let ahead = (weekday - current + 7) % 7
    return Day.fromOrdinal(today.ordinal + (ahead == 0 ? 7 : ahead))
  }

  /// A weekday named in full or by its first three letters (0 for Monday).
  private static func weekday(_ word: some StringProtocol) -> Int? {
    guard word.count >= 3 else { return nil }
    return weekdays.firstIndex { $0 == word || ($0.hasPrefix(word) && word.count == 3) }
  }

  /// The day at the end of "within two weeks", "in 10 days" at the start of `words`.
  private static func span(_ words: ArraySlice<String>, today: Day) -> Day? {
    let words = Array(words.prefix(3))
    guard words.count == 3, words[0] == "within" || words[0] == "in",
      let count = Int(words[1]) ?? counts[words[1]], (0...3650).contains(count)
    else { return nil }
    if words[2].hasPrefix("day") { return Day.fromOrdinal(today.ordinal + count) }
    if words[2].hasPrefix("week") { return Day.fromOrdinal(today.ordinal + 7 * count) }
    return nil
  }

  private static func monthNumber(_ word: String) -> Int? {
    guard word.count >= 3 else { return nil }
    let index = months.firstIndex { $0 == word || ($0.hasPrefix(word) && word.count == 3) }
    return index.map { $0 + 1 }
  }

  private static func nextDay(month: Int, day: Int, from today: Day) -> Day? {
    if let thisYear = Day(year: today.year, month: month, day: day), thisYear >= today {
      return thisYear
    }
    return Day(year: today.year + 1, month: month, day: day)
  }

  // MARK: Replies

  /// Changes the terms by a reply: any of who (`us`, `customer`, `both`), by when (a date,
  /// `today`, `tomorrow`, `+7d`, `+2w`, `next meeting`) and the answer (`yes`, `no`, `if` or
  /// `yes-if` followed by its conditions of satisfaction), in any order. An empty reply takes the
  /// draft as it is. Returns what was not understood, when something was not.
  public mutating func apply(reply: String, today: Day) -> String? {
    var rest = Substring(reply.trimmingSpaces())
    var unknown: [String] = []
    while !rest.isEmpty {
      let word = rest.prefix { $0 != " " && $0 != "," }
      rest = rest.dropFirst(word.count).drop { $0 == " " || $0 == "," }
      let folded = TextFolding.fold(String(word))
      if ["if", "yes-if", "yesif"].contains(folded)
        || (folded == "yes" && rest.lowercased().hasPrefix("if "))
      {
        if folded == "yes" { rest = rest.dropFirst(3) }
        let conditions = rest.trimmingSpaces()
        guard !conditions.isEmpty else {
          return "say what the yes depends on: if CONDITIONS (its conditions of satisfaction)"
        }
        answer = .yesIf
        self.conditions = conditions
        break
      }
      if let owner = Self.ownerReply(folded) {
        self.owner = owner
      } else if ["y", "yes", "ok"].contains(folded) {
        answer = .yes
      } else if ["n", "no"].contains(folded) {
        answer = .no
      } else if folded == "next", rest.lowercased().hasPrefix("meeting") {
        rest = rest.dropFirst(7).drop { $0 == " " || $0 == "," }
        due = "next meeting"
      } else if ["by", "on", "due", "before"].contains(folded) {
        continue
      } else if ["maybe", "perhaps", "probably", "possibly"].contains(folded) {
        return "'\(word)' is not an answer a promise can keep: say yes, no, or what the yes "
          + "depends on, as in: if the budget is approved"
      } else if folded == "next", let weekday = Self.weekday(Self.firstWord(rest)) {
        rest = rest.dropFirst(Self.firstWord(rest).count).drop { $0 == " " || $0 == "," }
        due = Self.next(weekday: weekday, after: today).description
      } else if let weekday = Self.weekday(folded) {
        due = Self.next(weekday: weekday, after: today).description
      } else if folded == "within" || folded == "in",
        let day = Self.span(
          ([folded] + TextFolding.words(String(rest)).prefix(2).map(String.init))[...],
          today: today)
      {
        for _ in 0..<2 {
          rest = rest.drop { $0 == " " || $0 == "," }
          rest = rest.dropFirst(Self.firstWord(rest).count)
        }
        rest = rest.drop { $0 == " " || $0 == "," }
        due = day.description
      } else if let day = Self.day(folded, today: today) {
        due = day.description
      } else {
        unknown.append(String(word))
      }
    }
    guard unknown.isEmpty else {
      return "not understood: \(unknown.joined(separator: " ")); say who (us, customer, both), "
        + "by when (\(Day.fromOrdinal(today.ordinal + 7)), +7d, next Tuesday, within two weeks, "
        + "next meeting) and yes, no or if CONDITIONS"
    }
    return nil
  }

  /// The first word of `text`, folded.
  private static func firstWord(_ text: Substring) -> String {
    TextFolding.fold(String(text.prefix { $0 != " " && $0 != "," }))
  }

  private static func ownerReply(_ word: String) -> PromiseOwner? {
    switch word {
    case "us", "we", "u", "ours": return .us
    case "customer", "they", "them", "c", "theirs": return .customer
    case "both", "b", "together": return .both
    default: return nil
    }
  }

  private static func day(_ word: String, today: Day) -> Day? {
    if let day = Day(iso: word) { return day }
    switch word {
    case "today": return today
    case "tomorrow": return Day.fromOrdinal(today.ordinal + 1)
    default: break
    }
    guard word.hasPrefix("+"), let unit = word.last, unit == "d" || unit == "w",
      let count = Int(word.dropFirst().dropLast()), count >= 0, count <= 3650
    else { return nil }
    return Day.fromOrdinal(today.ordinal + count * (unit == "w" ? 7 : 1))
  }
}
