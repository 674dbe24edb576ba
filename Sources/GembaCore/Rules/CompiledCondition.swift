import Foundation

/// One interview's answers laid out for compiled conditions: one slot per name the rules use, and
/// the answers of each tag the rules ask about.
///
/// It is built afresh for every interview and thrown away after, so nothing one interview's
/// answers decided is ever reused for another. Within one interview it keeps what is costly to
/// work out from an answer's words — whether they are plain ASCII, their words for `mentions` —
/// the first time a test needs it.
struct AnswerSheet {
  struct Slot {
    enum State: UInt8 {
      case answered
      case skipped
      case unasked
    }

    var state: State
    var raw: String
    var value: Value?
    /// The guide's computed value of that name, when it was set.
    var computed: Value?
    var scanned = false
    var ascii = false
    var printable = false
    var words: [Substring]?
  }

  /// Answers carrying one tag: how many, and the sum of those that are numbers.
  struct TagAnswers {
    var count = 0
    var numbers = 0
    var sum: Double = 0
  }

  var slots: [Slot]
  var tags: [TagAnswers]

  /// The sheet for the interview `state` of the guide in `index`, exactly as
  /// ``InterviewContext`` presents it to the expression language.
  init(
    names: [String], tags tagNames: [String], state: InterviewState, index: GuideIndex,
    computed: [String: Value]
  ) {
    let parser = AnswerParser(today: index.today)
    slots = names.map { name in
      var slot = Slot(state: .unasked, raw: "", value: nil, computed: computed[name])
      guard let canonical = state.currentID(name) else { return slot }
      if let answer = state.answers[canonical] {
        slot.state = .answered
        slot.raw = answer.raw
        slot.value = answer.value
      } else if let covered = state.covered[canonical] {
        slot.state = .answered
        slot.raw = covered ?? ""
        if let question = index.question(canonical), !slot.raw.isEmpty {
          slot.value = parser.read(slot.raw, for: question).value
        }
      } else if state.skipped[canonical] != nil {
        slot.state = .skipped
      }
      return slot
    }
    tags = Array(repeating: TagAnswers(), count: tagNames.count)
    guard !tagNames.isEmpty else { return }
    var position: [String: Int] = [:]
    for (i, name) in tagNames.enumerated() { position[name] = i }
    let context = InterviewContext(guide: index, state: state, computed: computed)
    let hasLiveTags = !state.liveTags.isEmpty
    // In guide order, as `answers(taggedWith:)` lists them, so sums add up the same way.
    for section in index.guide.sections {
      for case .question(let question) in section.items {
        var carried: [Int] = []
        if let own = index.tags[question.id] {
          for tag in own { if let i = position[tag] { carried.append(i) } }
        }
        if hasLiveTags, let live = state.liveTags[question.id] {
          for tag in live where index.tags[question.id]?.contains(tag) != true {
            if let i = position[tag] { carried.append(i) }
          }
        }
        guard !carried.isEmpty, case .answered(let answer) = context.state(of: question.id)
        else { continue }
        for i in carried {
          tags[i].count += 1
          if case .number(let n)? = answer.value {
            tags[i].numbers += 1
            tags[i].sum = tags[i].sum + n
          }
        }
      }
    }
  }

  /// Works out once whether slot `s`'s words are ASCII, and printable ASCII.
  mutating func scan(_ s: Int) {
    guard !slots[s].scanned else { return }
    slots[s].scanned = true
    var ascii = true
    var printable = true
    for byte in slots[s].raw.utf8 {
      if byte >= 0x80 {
        ascii = false
        printable = false
        break
      }
      if byte < 0x20 || byte == 0x7F { printable = false }
    }
    slots[s].ascii = ascii
    slots[s].printable = printable
  }

  /// The folded words of slot `s`'s answer, worked out once.
  mutating func words(_ s: Int) -> [Substring] {
    if let words = slots[s].words { return words }
    let words = TextFolding.words(slots[s].raw)
    slots[s].words = words
    return words
  }
}

/// A test compiled to a closure over an ``AnswerSheet``.
typealias CompiledTest = @Sendable (inout AnswerSheet) -> Bool

/// A value compiled to a closure over an ``AnswerSheet``.
typealias CompiledValue = @Sendable (inout AnswerSheet) -> Operand

/// What an expression evaluates to, as ``Evaluator`` sees it.
indirect enum Operand: Sendable {
  case value(Value)
  case list([Operand])
  case tag(String)
  case word(String)
  case missing

  var number: Double? {
    if case .value(.number(let n)) = self { return n }
    return nil
  }

  /// ``Evaluator``'s equality: choices against words, text ignoring case and accents.
  static func equals(_ a: Operand, _ b: Operand) -> Bool {
    switch (a, b) {
    case (.value(.choice(let x)), .word(let y)), (.value(.choice(let x)), .value(.text(let y))):
      return x == y
    case (.value(.choice(let x)), .value(.boolean(let y))):
      return x == (y ? "yes" : "no")
    case (.value(.text(let x)), .value(.text(let y))):
      return TextFolding.fold(x.trimmingSpaces()) == TextFolding.fold(y.trimmingSpaces())
    case (.value(let x), .value(let y)):
      return x == y
    default:
      return false
    }
  }

  /// ``Evaluator``'s comparison: numbers and dates ordered, a missing side false.
  static func compare(_ op: ComparisonOperator, _ a: Operand, _ b: Operand) -> Bool {
    let order: Int
    switch (a, b) {
    case (.value(.number(let x)), .value(.number(let y))):
      order = x < y ? -1 : (x > y ? 1 : 0)
    case (.value(.date(let x)), .value(.date(let y))):
      order = x < y ? -1 : (x > y ? 1 : 0)
    case (.missing, _), (_, .missing):
      return false
    default:
      guard op == .equal || op == .notEqual else { return false }
      let same = equals(a, b)
      return op == .equal ? same : !same
    }
    return holds(op, order)
  }

  static func holds(_ op: ComparisonOperator, _ order: Int) -> Bool {
    switch op {
    case .equal: order == 0
    case .notEqual: order != 0
    case .less: order < 0
    case .lessOrEqual: order <= 0
    case .greater: order > 0
    case .greaterOrEqual: order >= 0
    }
  }
}

/// A regular expression compiled once: an automaton for printable ASCII text, and
/// `NSRegularExpression` for everything else.
final class CompiledRegex: @unchecked Sendable {
  // Immutable after init; NSRegularExpression is safe to share between threads.
  private let regex: NSRegularExpression?
  private let automaton: AsciiRegex?

  init(pattern: String, ignoresCase: Bool) {
    regex = try? NSRegularExpression(
      pattern: pattern, options: ignoresCase ? [.caseInsensitive] : [])
    // Only a pattern ICU accepts may be decided by the automaton, so both say the same.
    automaton = regex == nil ? nil : AsciiRegex.compile(pattern, ignoresCase: ignoresCase)
  }

  /// Whether the pattern matches anywhere in `text`; `printable` says the text is printable ASCII.
  func matches(_ text: String, printable: Bool) -> Bool {
    guard let regex else { return false }
    if printable, let automaton,
      let found = text.utf8.withContiguousStorageIfAvailable({ automaton.matches($0) })
    {
      return found
    }
    let range = NSRange(text.startIndex..<text.endIndex, in: text)
    return regex.firstMatch(in: text, options: [], range: range) != nil
  }

  /// Whether text whose printability is unknown matches.
  func matches(_ text: String) -> Bool {
    let printable = text.utf8.allSatisfy { $0 >= 0x20 && $0 < 0x7F }
    return matches(text, printable: printable)
  }
}

/// Compiles expressions of the expression language into closures that give exactly what
/// ``Evaluator`` gives, without walking the tree or looking names up on every test.
struct ConditionCompiler {
  /// The name of each slot of the sheet.
  private(set) var names: [String] = []
  private var slotOf: [String: Int] = [:]
  /// The tags whose answers the sheet gathers.
  private(set) var tags: [String] = []
  private var tagOf: [String: Int] = [:]

  mutating func slot(_ name: String) -> Int {
    if let s = slotOf[name] { return s }
    let s = names.count
    names.append(name)
    slotOf[name] = s
    return s
  }

  private mutating func tagIndex(_ name: String) -> Int {
    if let t = tagOf[name] { return t }
    let t = tags.count
    tags.append(name)
    tagOf[name] = t
    return t
  }

  mutating func condition(_ condition: Condition) -> CompiledTest {
    switch condition {
    case .test(let expression):
      return test(expression)
    case .all(let items, _):
      let parts = items.map { self.condition($0) }
      if parts.count == 2 {
        let a = parts[0]
        let b = parts[1]
        return { a(&$0) && b(&$0) }
      }
      return { sheet in
        for part in parts where !part(&sheet) { return false }
        return true
      }
    case .any(let items, _):
      let parts = items.map { self.condition($0) }
      return { sheet in
        for part in parts where part(&sheet) { return true }
        return false
      }
    }
  }

  // MARK: Tests

  mutating func test(_ expression: Expression) -> CompiledTest {
    switch expression.kind {
    case .not(let operand):
      let inner = test(operand)
      return { !inner(&$0) }
    case .and(let a, let b):
      let x = test(a)
      let y = test(b)
      return { x(&$0) && y(&$0) }
    case .or(let a, let b):
      let x = test(a)
      let y = test(b)
      return { x(&$0) || y(&$0) }
    case .state(let operand, let stateTest, let negated):
      guard case .reference(let name) = operand.kind else { return { _ in negated } }
      let s = slot(name)
      return { sheet in
        let result: Bool
        switch (stateTest, sheet.slots[s].state) {
        case (.answered, .answered), (.skipped, .skipped), (.asked, .answered),
          (.asked, .skipped):
          result = true
        default:
          result = false
        }
        return result != negated
      }
    case .isValue(let a, let b, let negated):
      return isValue(a, b, negated: negated)
    case .isOneOf(let a, let list, let negated):
      return isOneOf(a, list, negated: negated)
    case .includes(let a, let b):
      let left = value(a)
      let right = value(b)
      return { sheet in
        guard case .value(.choices(let selected)) = left(&sheet) else { return false }
        switch right(&sheet) {
        case .word(let word), .value(.text(let word)), .value(.choice(let word)):
          return selected.contains(word)
        default:
          return false
        }
      }
    case .mentions(let a, let b, let anyOf):
      return mentions(a, b, anyOf: anyOf)
    case .contains(let a, let b):
      return contains(a, b)
    case .matches(let a, let regex):
      guard case .regex(let pattern, let ignoresCase) = regex.kind else { return { _ in false } }
      let compiled = CompiledRegex(pattern: pattern, ignoresCase: ignoresCase)
      let source = text(a)
      if case .slot(let s) = source {
        return { sheet in
          switch sheet.slots[s].state {
          case .answered:
            sheet.scan(s)
            return compiled.matches(sheet.slots[s].raw, printable: sheet.slots[s].printable)
          case .skipped, .unasked:
            guard case .text(let text)? = sheet.slots[s].computed else { return false }
            return compiled.matches(text)
          }
        }
      }
      return { sheet in
        guard let text = Self.read(source, &sheet) else { return false }
        return compiled.matches(text)
      }
    case .comparison(let op, let a, let b):
      return comparison(op, a, b)
    default:
      let inner = value(expression)
      return { sheet in
        if case .value(.boolean(let flag)) = inner(&sheet) { return flag }
        return false
      }
    }
  }

  private mutating func isValue(_ a: Expression, _ b: Expression, negated: Bool) -> CompiledTest {
    let left = value(a)
    let right = value(b)
    let generic: CompiledTest = { Operand.equals(left(&$0), right(&$0)) != negated }
    guard case .reference(let name) = a.kind, case .word(let word) = b.kind else { return generic }
    let s = slot(name)
    return { sheet in
      if sheet.slots[s].state == .answered, case .choice(let chosen)? = sheet.slots[s].value {
        return (chosen == word) != negated
      }
      return generic(&sheet)
    }
  }

  private mutating func isOneOf(_ a: Expression, _ list: Expression, negated: Bool)
    -> CompiledTest
  {
    let left = value(a)
    let items = value(list)
    let generic: CompiledTest = { sheet in
      let subject = left(&sheet)
      var result = false
      if case .list(let values) = items(&sheet) {
        result = values.contains { Operand.equals(subject, $0) }
      }
      return result != negated
    }
    guard case .reference(let name) = a.kind, case .list(let members) = list.kind else {
      return generic
    }
    var collected: Set<String> = []
    for member in members {
      guard case .word(let word) = member.kind else { return generic }
      collected.insert(word)
    }
    let words = collected
    let s = slot(name)
    return { sheet in
      if sheet.slots[s].state == .answered, case .choice(let chosen)? = sheet.slots[s].value {
        return words.contains(chosen) != negated
      }
      return generic(&sheet)
    }
  }

  private mutating func comparison(_ op: ComparisonOperator, _ a: Expression, _ b: Expression)
    -> CompiledTest
  {
    let left = value(a)
    let right = value(b)
    let generic: CompiledTest = { Operand.compare(op, left(&$0), right(&$0)) }
    if case .reference(let name) = a.kind, case .number(let limit) = b.kind {
      let s = slot(name)
      return { sheet in
        if sheet.slots[s].state == .answered, case .number(let x)? = sheet.slots[s].value {
          return Operand.holds(op, x < limit ? -1 : (x > limit ? 1 : 0))
        }
        return generic(&sheet)
      }
    }
    return generic
  }

  private mutating func contains(_ a: Expression, _ b: Expression) -> CompiledTest {
    let source = text(a)
    guard case .text(let fragment) = b.kind else {
      let right = value(b)
      return { sheet in
        guard let text = Self.read(source, &sheet), case .value(.text(let fragment)) = right(&sheet)
        else { return false }
        return TextFolding.contains(text, fragment)
      }
    }
    let needle = Array(TextFolding.fold(fragment).utf8)
    // Byte search over ASCII gives what the character search gives as long as the needle holds
    // no line break (a CR LF pair is one character).
    let fast = needle.allSatisfy { $0 < 0x80 && $0 != 0x0A && $0 != 0x0D }
    guard case .slot(let s) = source else {
      return { sheet in
        guard let text = Self.read(source, &sheet) else { return false }
        return TextFolding.contains(text, fragment)
      }
    }
    return { sheet in
      switch sheet.slots[s].state {
      case .answered:
        if fast {
          sheet.scan(s)
          if sheet.slots[s].ascii,
            let found = sheet.slots[s].raw.utf8.withContiguousStorageIfAvailable({
              Self.containsLowered($0, needle)
            })
          {
            return found
          }
        }
        return TextFolding.contains(sheet.slots[s].raw, fragment)
      case .skipped, .unasked:
        guard case .text(let text)? = sheet.slots[s].computed else { return false }
        return TextFolding.contains(text, fragment)
      }
    }
  }

  private mutating func mentions(_ a: Expression, _ b: Expression, anyOf: Bool) -> CompiledTest {
    let source = text(a)
    var phrases: [String] = []
    let literal: Bool
    if anyOf {
      if case .list(let items) = b.kind {
        literal = items.allSatisfy { item in
          if case .text(let phrase) = item.kind {
            phrases.append(phrase)
            return true
          }
          return false
        }
      } else {
        literal = false
      }
    } else if case .text(let phrase) = b.kind {
      phrases = [phrase]
      literal = true
    } else {
      literal = false
    }
    guard literal else {
      let right = value(b)
      return { sheet in
        guard let text = Self.read(source, &sheet) else { return false }
        if anyOf {
          guard case .list(let items) = right(&sheet) else { return false }
          return items.contains { item in
            if case .value(.text(let phrase)) = item { return TextFolding.mentions(text, phrase) }
            return false
          }
        }
        guard case .value(.text(let phrase)) = right(&sheet) else { return false }
        return TextFolding.mentions(text, phrase)
      }
    }
    let needles = phrases.map { TextFolding.words($0) }
    return { sheet in
      let haystack: [Substring]
      switch source {
      case .slot(let s):
        switch sheet.slots[s].state {
        case .answered:
          haystack = sheet.words(s)
        case .skipped, .unasked:
          guard case .text(let text)? = sheet.slots[s].computed else { return false }
          haystack = TextFolding.words(text)
        }
      default:
        guard let text = Self.read(source, &sheet) else { return false }
        haystack = TextFolding.words(text)
      }
      return needles.contains { Self.mentions(haystack, $0) }
    }
  }

  // MARK: Values

  mutating func value(_ expression: Expression) -> CompiledValue {
    switch expression.kind {
    case .number(let n):
      let result = Operand.value(.number(n))
      return { _ in result }
    case .text(let t):
      let result = Operand.value(.text(t))
      return { _ in result }
    case .date(let d):
      let result = Operand.value(.date(d))
      return { _ in result }
    case .boolean(let b):
      let result = Operand.value(.boolean(b))
      return { _ in result }
    case .tag(let t):
      return { _ in .tag(t) }
    case .word(let w):
      return { _ in .word(w) }
    case .regex, .dot:
      // Rules have no answer being given, so `.` has no value, as in ``Evaluator``.
      return { _ in .missing }
    case .list(let items):
      let parts = items.map { value($0) }
      return { sheet in .list(parts.map { $0(&sheet) }) }
    case .reference(let name):
      let s = slot(name)
      return { sheet in
        switch sheet.slots[s].state {
        case .answered: return sheet.slots[s].value.map(Operand.value) ?? .missing
        case .skipped: return .missing
        case .unasked: return sheet.slots[s].computed.map(Operand.value) ?? .missing
        }
      }
    case .negate(let operand):
      let inner = value(operand)
      return { sheet in
        guard let n = inner(&sheet).number else { return .missing }
        return .value(.number(-n))
      }
    case .arithmetic(let op, let a, let b):
      let x = value(a)
      let y = value(b)
      return { sheet in
        guard let left = x(&sheet).number, let right = y(&sheet).number else { return .missing }
        switch op {
        case .add: return .value(.number(left + right))
        case .subtract: return .value(.number(left - right))
        case .multiply: return .value(.number(left * right))
        case .divide: return right == 0 ? .missing : .value(.number(left / right))
        }
      }
    case .call(let name, let arguments):
      return call(name, arguments)
    case .not, .and, .or, .state, .isValue, .isOneOf, .includes, .mentions, .contains, .matches,
      .comparison:
      let inner = test(expression)
      return { .value(.boolean(inner(&$0))) }
    }
  }

  private mutating func call(_ name: String, _ arguments: [Expression]) -> CompiledValue {
    guard arguments.count == 1 else { return { _ in .missing } }
    let argument = arguments[0]
    if case .tag(let tag) = argument.kind {
      let t = tagIndex(tag)
      switch name {
      case "tagged": return { .value(.boolean($0.tags[t].count > 0)) }
      case "count": return { .value(.number(Double($0.tags[t].count))) }
      case "sum": return { .value(.number($0.tags[t].sum)) }
      case "avg":
        return { sheet in
          let answers = sheet.tags[t]
          guard answers.numbers > 0 else { return .missing }
          return .value(.number(answers.sum / Double(answers.numbers)))
        }
      default: return { _ in .missing }
      }
    }
    switch name {
    case "count":
      let inner = value(argument)
      return { sheet in
        if case .value(.choices(let selected)) = inner(&sheet) {
          return .value(.number(Double(selected.count)))
        }
        return .missing
      }
    case "length":
      let source = text(argument)
      return { sheet in
        Self.read(source, &sheet).map { .value(.number(Double($0.count))) } ?? .missing
      }
    case "words":
      let source = text(argument)
      return { sheet in
        if case .slot(let s) = source, sheet.slots[s].state == .answered {
          return .value(.number(Double(sheet.words(s).count)))
        }
        return Self.read(source, &sheet).map {
          .value(.number(Double(TextFolding.words($0).count)))
        }
          ?? .missing
      }
    default:
      return { _ in .missing }
    }
  }

  // MARK: Text

  /// Where a text test reads its words from.
  enum TextSource {
    /// A question's answer in the customer's words, else a computed text of that name.
    case slot(Int)
    /// `.`: rules have no answer being given.
    case none
    case other(CompiledValue)
  }

  private mutating func text(_ expression: Expression) -> TextSource {
    switch expression.kind {
    case .reference(let name): return .slot(slot(name))
    case .dot: return .none
    default: return .other(value(expression))
    }
  }

  /// The words `source` stands for, as ``Evaluator``'s `rawText` reads them.
  private static func read(_ source: TextSource, _ sheet: inout AnswerSheet) -> String? {
    switch source {
    case .slot(let s):
      if sheet.slots[s].state == .answered { return sheet.slots[s].raw }
      if case .text(let text)? = sheet.slots[s].computed { return text }
      return nil
    case .none:
      return nil
    case .other(let value):
      if case .value(.text(let text)) = value(&sheet) { return text }
      return nil
    }
  }

  /// `TextFolding.mentions` over words already split.
  private static func mentions(_ haystack: [Substring], _ needle: [Substring]) -> Bool {
    guard !needle.isEmpty, haystack.count >= needle.count else { return false }
    for start in 0...(haystack.count - needle.count) {
      var matched = true
      for offset in 0..<needle.count where haystack[start + offset] != needle[offset] {
        matched = false
        break
      }
      if matched { return true }
    }
    return false
  }

  /// Whether `needle` (lower-case ASCII) occurs in ASCII `haystack`, ignoring its case.
  private static func containsLowered(_ haystack: UnsafeBufferPointer<UInt8>, _ needle: [UInt8])
    -> Bool
  {
    let count = needle.count
    if count == 0 { return true }
    guard haystack.count >= count else { return false }
    return needle.withUnsafeBufferPointer { needle in
      let first = needle[0]
      var i = 0
      let end = haystack.count - count
      while i <= end {
        if lowered(haystack[i]) == first {
          var j = 1
          while j < count, lowered(haystack[i + j]) == needle[j] { j += 1 }
          if j == count { return true }
        }
        i += 1
      }
      return false
    }
  }

  @inline(__always)
  private static func lowered(_ byte: UInt8) -> UInt8 {
    byte &- 0x41 < 26 ? byte | 0x20 : byte
  }
}
