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
    /// The words in lower case, for ASCII words: what `contains` searches.
    var lowered: [UInt8] = []
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
  /// The whole interview, for what is not an answer: probes pulled, the salesperson's own
  /// questions.
  let interview: InterviewState

  /// The sheet for the interview `state` of the guide in `plan`, exactly as
  /// ``InterviewContext`` presents it to the expression language.
  init(plan: SheetPlan, state: InterviewState, computed: [String: Value]) {
    let index = plan.index
    let parser = AnswerParser(today: index.today)
    let hasComputed = !computed.isEmpty
    interview = state
    slots = plan.names.map { name in
      var slot = Slot(
        state: .unasked, raw: "", value: nil, computed: hasComputed ? computed[name] : nil)
      Self.read(name, state: state, index: index, parser: parser, into: &slot)
      return slot
    }
    tags = Array(repeating: TagAnswers(), count: plan.tags.count)
    guard !plan.tags.isEmpty else { return }
    var allCarriers = plan.carriers
    // Tags put on answers during the interview join the guide's own, in guide order.
    for (id, live) in state.liveTags {
      for tag in live {
        guard let t = plan.tagIndex[tag] else { continue }
        var added = false
        for position in plan.positions[id] ?? []
        where !allCarriers[t].contains(where: { $0.position == position }) {
          allCarriers[t].append((position, id))
          added = true
        }
        if added { allCarriers[t].sort { $0.position < $1.position } }
      }
    }
    for t in plan.tags.indices {
      for carrier in allCarriers[t] {
        var slot = Slot(state: .unasked, raw: "", value: nil, computed: nil)
        Self.read(carrier.id, state: state, index: index, parser: parser, into: &slot)
        guard slot.state == .answered else { continue }
        tags[t].count += 1
        if case .number(let n)? = slot.value {
          tags[t].numbers += 1
          tags[t].sum = tags[t].sum + n
        }
      }
    }
  }

  /// The state of question `name` as ``InterviewContext/state(of:)`` reads it.
  private static func read(
    _ name: String, state: InterviewState, index: GuideIndex, parser: AnswerParser,
    into slot: inout Slot
  ) {
    guard let canonical = state.currentID(name) else { return }
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
  }

  /// Works out once whether slot `s`'s words are ASCII, and printable ASCII.
  mutating func scan(_ s: Int) {
    guard !slots[s].scanned else { return }
    slots[s].scanned = true
    var ascii = true
    var printable = true
    let scanned: Void? = slots[s].raw.utf8.withContiguousStorageIfAvailable { bytes in
      for byte in bytes {
        if byte >= 0x80 {
          ascii = false
          printable = false
          return
        }
        if byte < 0x20 || byte == 0x7F { printable = false }
      }
    }
    if scanned == nil {
      for byte in slots[s].raw.utf8 {
        if byte >= 0x80 {
          ascii = false
          printable = false
          break
        }
        if byte < 0x20 || byte == 0x7F { printable = false }
      }
    }
    slots[s].ascii = ascii
    slots[s].printable = printable
    if ascii {
      // Folding ASCII is lower-casing it, so `contains` can search bytes.
      slots[s].lowered = slots[s].raw.utf8.map { $0 &- 0x41 < 26 ? $0 | 0x20 : $0 }
    }
  }

  /// The folded words of slot `s`'s answer, worked out once.
  mutating func words(_ s: Int) -> [Substring] {
    if let words = slots[s].words { return words }
    scan(s)
    let words = slots[s].ascii ? Self.asciiWords(slots[s].raw) : TextFolding.words(slots[s].raw)
    slots[s].words = words
    return words
  }

  /// `TextFolding.words` for ASCII text, byte by byte: folding is lower-casing, a letter or
  /// number is `a`–`z` or `0`–`9`, and an apostrophe stays inside a word when a letter follows
  /// it. (The one ASCII character of two code points, CR LF, separates words either way.)
  static func asciiWords(_ text: String) -> [Substring] {
    let folded = text.lowercased()
    let utf8 = folded.utf8
    var words: [Substring] = []
    var start: String.Index?
    var index = utf8.startIndex
    while index < utf8.endIndex {
      let byte = utf8[index]
      let next = utf8.index(after: index)
      let isWordByte =
        (byte >= 0x61 && byte <= 0x7A) || (byte >= 0x30 && byte <= 0x39)
        || (byte == 0x27 && start != nil && next < utf8.endIndex
          && utf8[next] >= 0x61 && utf8[next] <= 0x7A)
      if isWordByte {
        if start == nil { start = index }
      } else if let wordStart = start {
        words.append(folded[wordStart..<index])
        start = nil
      }
      index = next
    }
    if let wordStart = start { words.append(folded[wordStart...]) }
    return words
  }
}

/// What a sheet needs to know about a guide, worked out once per guide: the names and tags the
/// rules use, and which questions carry each tag.
struct SheetPlan: Sendable {
  let index: GuideIndex
  let names: [String]
  let tags: [String]
  /// For each tag, the questions that carry it in the guide, in guide order.
  let carriers: [[(position: Int, id: String)]]
  /// Where each question id first stands in the guide's order.
  let positions: [String: [Int]]
  /// The position of each tag in ``tags``.
  let tagIndex: [String: Int]

  init(index: GuideIndex, names: [String], tags: [String]) {
    self.index = index
    self.names = names
    self.tags = tags
    var carriers = Array(repeating: [(position: Int, id: String)](), count: tags.count)
    var positions: [String: [Int]] = [:]
    var tagIndex: [String: Int] = [:]
    for (t, tag) in tags.enumerated() { tagIndex[tag] = t }
    var position = 0
    for section in index.guide.sections {
      for item in section.items {
        // A question counts once, where it first stands, as `answers(taggedWith:)` counts it.
        guard case .question(let question) = item, positions[question.id] == nil else { continue }
        positions[question.id, default: []].append(position)
        for tag in index.tags[question.id] ?? [] {
          if let t = tagIndex[tag] { carriers[t].append((position, question.id)) }
        }
        position += 1
      }
    }
    self.carriers = carriers
    self.positions = positions
    self.tagIndex = tagIndex
  }
}

/// A condition compiled for evaluation that keeps its shape, so the evidence of a rule that
/// fired is gathered with the same compiled tests (and the same sheet) that made it fire.
final class ConditionNode: Sendable {
  enum Shape: Sendable {
    case all
    case any
    case and
    case or
    case not
    case test
  }

  let shape: Shape
  /// The expression, for everything but `all:` and `any:` groups.
  let expression: Expression?
  /// The expression printed back, for evidence.
  let text: String
  let test: CompiledTest
  let children: [ConditionNode]
  /// For `QUESTION mentions any of ["…", …]`: the question's slot and each phrase with its words,
  /// so evidence can name the words that were found.
  let mentions: (slot: Int, phrases: [(phrase: String, words: [Substring])])?

  init(
    shape: Shape, expression: Expression?, test: @escaping CompiledTest,
    children: [ConditionNode] = [],
    mentions: (slot: Int, phrases: [(phrase: String, words: [Substring])])? = nil
  ) {
    self.shape = shape
    self.expression = expression
    self.text = expression.map(ExpressionPrinter.print) ?? ""
    self.test = test
    self.children = children
    self.mentions = mentions
  }

  /// The phrases of a `mentions any of` node that the answer holds.
  func matchedPhrases(_ sheet: inout AnswerSheet) -> [String] {
    guard let mentions else { return [] }
    let words: [Substring]
    switch sheet.slots[mentions.slot].state {
    case .answered:
      words = sheet.words(mentions.slot)
    case .skipped, .unasked:
      guard case .text(let text)? = sheet.slots[mentions.slot].computed else { return [] }
      words = TextFolding.words(text)
    }
    return mentions.phrases.filter { ConditionCompiler.mentions(words, $0.words) }.map(\.phrase)
  }
}

/// A test compiled to a closure over an ``AnswerSheet``.
typealias CompiledTest = @Sendable (inout AnswerSheet) -> Bool

/// A value compiled to a closure over an ``AnswerSheet``.
typealias CompiledValue = @Sendable (inout AnswerSheet) -> Operand

/// What an expression evaluates to, as ``Evaluator`` sees it.
enum Operand: Sendable {
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

  /// `condition` compiled, with its shape kept for evidence.
  mutating func node(_ condition: Condition) -> ConditionNode {
    switch condition {
    case .test(let expression):
      return node(expression)
    case .all(let items, _):
      let children = items.map { node($0) }
      let costs = items.map(Self.cost)
      return ConditionNode(
        shape: .all, expression: nil, test: Self.all(children.map(\.test), costs: costs),
        children: children)
    case .any(let items, _):
      let children = items.map { node($0) }
      let costs = items.map(Self.cost)
      return ConditionNode(
        shape: .any, expression: nil, test: Self.any(children.map(\.test), costs: costs),
        children: children)
    }
  }

  // Tests have no side effects and never fail, so the parts of an `and` (or an `or`) may be
  // tried in any order with the same result: the cheapest go first, so a regular expression is
  // only run when the cheap tests beside it have not already decided.

  /// How much a test costs to evaluate, roughly.
  static func cost(_ condition: Condition) -> Int {
    switch condition {
    case .test(let expression): cost(expression)
    case .all(let items, _), .any(let items, _): items.reduce(0) { $0 + cost($1) }
    }
  }

  static func cost(_ expression: Expression) -> Int {
    switch expression.kind {
    case .and(let a, let b), .or(let a, let b): cost(a) + cost(b)
    case .not(let operand): cost(operand)
    case .state: 1
    case .isValue(let a, let b, _), .comparison(_, let a, let b):
      isPlain(a) && isPlain(b) ? 2 : 8
    case .isOneOf, .includes, .call, .reference: 4
    case .contains: 20
    case .mentions: 40
    case .matches: 60
    default: 10
    }
  }

  private static func isPlain(_ expression: Expression) -> Bool {
    switch expression.kind {
    case .reference, .number, .word, .boolean, .text, .date: true
    default: false
    }
  }

  /// True when every one of `parts` is, trying the cheapest first.
  static func all(_ parts: [CompiledTest], costs: [Int]) -> CompiledTest {
    let ordered = zip(parts, costs).enumerated().sorted { a, b in
      a.element.1 != b.element.1 ? a.element.1 < b.element.1 : a.offset < b.offset
    }.map(\.element.0)
    switch ordered.count {
    case 0: return { _ in true }
    case 1: return ordered[0]
    case 2:
      let (a, b) = (ordered[0], ordered[1])
      return { a(&$0) && b(&$0) }
    case 3:
      let (a, b, c) = (ordered[0], ordered[1], ordered[2])
      return { a(&$0) && b(&$0) && c(&$0) }
    default:
      return { sheet in
        for part in ordered where !part(&sheet) { return false }
        return true
      }
    }
  }

  /// True when any one of `parts` is, trying the cheapest first.
  static func any(_ parts: [CompiledTest], costs: [Int]) -> CompiledTest {
    let ordered = zip(parts, costs).enumerated().sorted { a, b in
      a.element.1 != b.element.1 ? a.element.1 < b.element.1 : a.offset < b.offset
    }.map(\.element.0)
    switch ordered.count {
    case 0: return { _ in false }
    case 1: return ordered[0]
    case 2:
      let (a, b) = (ordered[0], ordered[1])
      return { a(&$0) || b(&$0) }
    default:
      return { sheet in
        for part in ordered where part(&sheet) { return true }
        return false
      }
    }
  }

  private mutating func node(_ expression: Expression) -> ConditionNode {
    switch expression.kind {
    case .and(let a, let b):
      let x = node(a)
      let y = node(b)
      return ConditionNode(
        shape: .and, expression: expression,
        test: Self.all([x.test, y.test], costs: [Self.cost(a), Self.cost(b)]), children: [x, y])
    case .or(let a, let b):
      let x = node(a)
      let y = node(b)
      return ConditionNode(
        shape: .or, expression: expression,
        test: Self.any([x.test, y.test], costs: [Self.cost(a), Self.cost(b)]), children: [x, y])
    case .not(let operand):
      let inner = node(operand)
      let p = inner.test
      return ConditionNode(
        shape: .not, expression: expression, test: { !p(&$0) }, children: [inner])
    case .mentions(let subject, let list, true):
      var phrases: [(phrase: String, words: [Substring])]?
      if case .reference(let name) = subject.kind, case .list(let items) = list.kind {
        phrases = []
        for item in items {
          guard case .text(let phrase) = item.kind else {
            phrases = nil
            break
          }
          phrases?.append((phrase, TextFolding.words(phrase)))
        }
        if let found = phrases {
          return ConditionNode(
            shape: .test, expression: expression, test: test(expression),
            mentions: (slot(name), found))
        }
      }
      return ConditionNode(shape: .test, expression: expression, test: test(expression))
    default:
      return ConditionNode(shape: .test, expression: expression, test: test(expression))
    }
  }

  // MARK: Tests

  mutating func test(_ expression: Expression) -> CompiledTest {
    switch expression.kind {
    case .not(let operand):
      let inner = test(operand)
      return { !inner(&$0) }
    case .and(let a, let b):
      return Self.all([test(a), test(b)], costs: [Self.cost(a), Self.cost(b)])
    case .or(let a, let b):
      return Self.any([test(a), test(b)], costs: [Self.cost(a), Self.cost(b)])
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
    guard case .reference(let name) = a.kind else { return generic }
    let s = slot(name)
    switch b.kind {
    case .word(let word):
      return { sheet in
        if sheet.slots[s].state == .answered, case .choice(let chosen)? = sheet.slots[s].value {
          return (chosen == word) != negated
        }
        return generic(&sheet)
      }
    case .boolean(let flag):
      return { sheet in
        if sheet.slots[s].state == .answered, case .boolean(let given)? = sheet.slots[s].value {
          return (given == flag) != negated
        }
        return generic(&sheet)
      }
    default:
      return generic
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
          if sheet.slots[s].ascii {
            return sheet.slots[s].lowered.withUnsafeBufferPointer { Self.search($0, needle) }
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
    if name == "asked", arguments.isEmpty {
      return { Self.ownQuestionsText($0.interview.ownQuestions(before: nil)) }
    }
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
    case "probes":
      guard case .reference(let id) = argument.kind else { return { _ in .missing } }
      return { .value(.number(Double($0.interview.probes(on: id)))) }
    case "asked_before":
      guard case .reference(let id) = argument.kind else { return { _ in .missing } }
      return { Self.ownQuestionsText($0.interview.ownQuestions(before: id)) }
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

  /// The salesperson's own questions as ``Evaluator`` reads them: one text, one a line.
  private static func ownQuestionsText(_ questions: [InterviewState.OwnQuestion]) -> Operand {
    questions.isEmpty ? .missing : .value(.text(questions.map(\.text).joined(separator: "\n")))
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
  static func mentions(_ haystack: [Substring], _ needle: [Substring]) -> Bool {
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

  /// Whether `needle` occurs in `haystack`, byte for byte.
  private static func search(_ haystack: UnsafeBufferPointer<UInt8>, _ needle: [UInt8]) -> Bool {
    let count = needle.count
    if count == 0 { return true }
    guard haystack.count >= count, let base = haystack.baseAddress else { return false }
    return needle.withUnsafeBufferPointer { needle in
      guard let wanted = needle.baseAddress else { return false }
      let first = Int32(wanted.pointee)
      var start = base
      let last = base + (haystack.count - count)
      while start <= last {
        guard let hit = memchr(start, first, last - start + 1) else { return false }
        let found = UnsafePointer(hit.assumingMemoryBound(to: UInt8.self))
        if count == 1 || memcmp(found + 1, wanted + 1, count - 1) == 0 { return true }
        start = found + 1
      }
      return false
    }
  }
}
