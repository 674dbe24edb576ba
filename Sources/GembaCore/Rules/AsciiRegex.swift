/// A regular expression compiled to a deterministic automaton over printable ASCII.
///
/// Rules test answers with `matches /…/` thousands of times, and Foundation's
/// `NSRegularExpression` costs microseconds a call. Most patterns authors write (literals,
/// classes, groups, alternation, the usual quantifiers, `^` and `$` at the ends) describe a
/// regular language, and on text made only of printable ASCII characters (no line breaks, no
/// control characters) whether such a pattern matches somewhere is decided by a DFA exactly as ICU
/// decides it. Anything else — a construct outside that subset, or text outside printable ASCII —
/// is left to `NSRegularExpression`: ``AsciiRegex/compile(_:ignoresCase:)`` returns nil for such
/// patterns, and callers check ``isPrintableASCII(_:)`` before using the automaton.
struct AsciiRegex: Sendable {
  /// The first printable byte; columns of the table are `byte - first`.
  private static let first: UInt8 = 0x20
  private static let width = 0x7F - 0x20

  /// The transitions, a row of ``width`` entries per state: an entry is the offset of the next
  /// state's row, or negative when reading stops there: `-1` no match can follow, `-2` a match
  /// was found (only without `$`, which waits for the end of the text).
  private let table: [Int32]
  /// Whether each state ends a match.
  private let accepting: [Bool]
  private let anchoredStart: Bool
  private let anchoredEnd: Bool
  private let nullable: Bool

  /// Whether `bytes` are all printable ASCII (space to tilde): the only text the automaton reads.
  static func isPrintableASCII(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
    for byte in bytes where byte < 0x20 || byte > 0x7E { return false }
    return true
  }

  /// Whether the pattern matches anywhere in `bytes`, which must be printable ASCII.
  func matches(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
    if nullable && !anchoredEnd { return true }
    if nullable && anchoredEnd && (!anchoredStart || bytes.isEmpty) { return true }
    var row = 0
    let stop: Bool? = table.withUnsafeBufferPointer { table in
      for byte in bytes {
        let next = table[row &+ Int(byte &- Self.first)]
        if next < 0 { return next == -2 }
        row = Int(next)
      }
      return nil
    }
    if let stop { return stop }
    return anchoredEnd && accepting[row / Self.width]
  }

  /// The automaton for `pattern`, or nil when the pattern uses anything outside the subset this
  /// type decides exactly like ICU (or does not compile).
  static func compile(_ pattern: String, ignoresCase: Bool) -> AsciiRegex? {
    var parser = PatternParser(pattern: Array(pattern.utf8), ignoresCase: ignoresCase)
    guard let parsed = parser.parseWhole() else { return nil }
    var glushkov = Glushkov()
    guard let info = glushkov.build(parsed.node), glushkov.sets.count <= 512 else { return nil }
    return build(
      glushkov, info, anchoredStart: parsed.anchoredStart, anchoredEnd: parsed.anchoredEnd)
  }

  /// Subset construction over Glushkov positions.
  private static func build(
    _ g: Glushkov, _ info: Glushkov.Info, anchoredStart: Bool, anchoredEnd: Bool
  ) -> AsciiRegex? {
    let count = g.sets.count
    let words = (count + 63) / 64
    var last = [UInt64](repeating: 0, count: words)
    for p in info.last { last[p / 64] |= 1 << UInt64(p % 64) }
    // State 0 is the start; sets after it are looked up by their bits.
    var states: [[UInt64]] = [[UInt64](repeating: 0, count: words)]
    var index: [[UInt64]: Int32] = [:]
    var table: [Int32] = []
    var accepting: [Bool] = [false]
    var dead: Int32 = -1
    let limit = 4000
    var next = 0
    while next < states.count {
      let set = states[next]
      let isStart = next == 0
      // Positions that may come next: those following a position in the set, and, where a match
      // may start here, the first positions.
      var candidates = [UInt64](repeating: 0, count: words)
      for p in 0..<count where set[p / 64] & (1 << UInt64(p % 64)) != 0 {
        for q in g.follow[p] { candidates[q / 64] |= 1 << UInt64(q % 64) }
      }
      if isStart || !anchoredStart {
        for q in info.first { candidates[q / 64] |= 1 << UInt64(q % 64) }
      }
      for column in 0..<width {
        let byte = UInt8(column) + first
        var target = [UInt64](repeating: 0, count: words)
        var empty = true
        for q in 0..<count where candidates[q / 64] & (1 << UInt64(q % 64)) != 0 {
          if g.sets[q].contains(byte) {
            target[q / 64] |= 1 << UInt64(q % 64)
            empty = false
          }
        }
        let id: Int32
        if empty && !anchoredStart {
          id = 0
        } else if let known = index[target] {
          id = known
        } else {
          guard states.count < limit else { return nil }
          id = Int32(states.count)
          states.append(target)
          index[target] = id
          var hits = false
          for w in 0..<words where target[w] & last[w] != 0 { hits = true }
          accepting.append(hits)
          if empty { dead = id }
        }
        table.append(id)
      }
      next += 1
    }
    // Rows by offset, and the states where reading can stop early.
    let encoded = table.map { next -> Int32 in
      if next == dead { return -1 }
      if !anchoredEnd && accepting[Int(next)] { return -2 }
      return next * Int32(width)
    }
    return AsciiRegex(
      table: encoded, accepting: accepting, anchoredStart: anchoredStart,
      anchoredEnd: anchoredEnd, nullable: info.nullable)
  }
}

/// A set of bytes, as 256 bits.
private struct ByteSet: Hashable {
  var bits: (UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0)

  static func == (a: ByteSet, b: ByteSet) -> Bool {
    a.bits.0 == b.bits.0 && a.bits.1 == b.bits.1 && a.bits.2 == b.bits.2 && a.bits.3 == b.bits.3
  }

  func hash(into hasher: inout Hasher) {
    hasher.combine(bits.0)
    hasher.combine(bits.1)
    hasher.combine(bits.2)
    hasher.combine(bits.3)
  }

  func contains(_ byte: UInt8) -> Bool {
    let bit = UInt64(1) << UInt64(byte % 64)
    switch byte / 64 {
    case 0: return bits.0 & bit != 0
    case 1: return bits.1 & bit != 0
    case 2: return bits.2 & bit != 0
    default: return bits.3 & bit != 0
    }
  }

  mutating func insert(_ byte: UInt8) {
    let bit = UInt64(1) << UInt64(byte % 64)
    switch byte / 64 {
    case 0: bits.0 |= bit
    case 1: bits.1 |= bit
    case 2: bits.2 |= bit
    default: bits.3 |= bit
    }
  }

  mutating func insert(_ range: ClosedRange<UInt8>) {
    for byte in range { insert(byte) }
  }

  mutating func formUnion(_ other: ByteSet) {
    bits.0 |= other.bits.0
    bits.1 |= other.bits.1
    bits.2 |= other.bits.2
    bits.3 |= other.bits.3
  }

  /// The complement within ASCII: non-ASCII bytes never occur in the text the automaton reads.
  var invertedASCII: ByteSet {
    var out = ByteSet()
    for byte in UInt8(0)...0x7F where !contains(byte) { out.insert(byte) }
    return out
  }

  /// Closed over ASCII case: `a` brings `A` and the other way round.
  var caseClosed: ByteSet {
    var out = self
    for byte in UInt8(ascii: "a")...UInt8(ascii: "z") where contains(byte) { out.insert(byte - 32) }
    for byte in UInt8(ascii: "A")...UInt8(ascii: "Z") where contains(byte) { out.insert(byte + 32) }
    return out
  }

  static let digits: ByteSet = {
    var set = ByteSet()
    set.insert(UInt8(ascii: "0")...UInt8(ascii: "9"))
    return set
  }()

  static let word: ByteSet = {
    var set = digits
    set.insert(UInt8(ascii: "a")...UInt8(ascii: "z"))
    set.insert(UInt8(ascii: "A")...UInt8(ascii: "Z"))
    set.insert(UInt8(ascii: "_"))
    return set
  }()

  static let space: ByteSet = {
    var set = ByteSet()
    set.insert(0x09...0x0D)
    set.insert(0x20)
    return set
  }()

  /// `.`: anything but a line terminator.
  static let dot: ByteSet = {
    var set = ByteSet()
    set.insert(0x00...0x09)
    set.insert(0x0E...0x7F)
    return set
  }()
}

/// A parsed pattern.
private indirect enum PatternNode {
  case set(ByteSet)
  case concat([PatternNode])
  case alternation([PatternNode])
  case star(PatternNode)
  case optional(PatternNode)

  /// Whether it can match the empty text.
  var isNullable: Bool {
    switch self {
    case .set: false
    case .concat(let items): items.allSatisfy(\.isNullable)
    case .alternation(let items): items.contains(where: \.isNullable)
    case .star, .optional: true
    }
  }
}

/// Reads the subset of ICU's pattern syntax the automaton handles; nil for anything else.
private struct PatternParser {
  let pattern: [UInt8]
  let ignoresCase: Bool
  var position = 0
  /// Positions created so far, to stop `{n,m}` from blowing up.
  var size = 0

  init(pattern: [UInt8], ignoresCase: Bool) {
    self.pattern = pattern
    self.ignoresCase = ignoresCase
  }

  mutating func parseWhole() -> (node: PatternNode, anchoredStart: Bool, anchoredEnd: Bool)? {
    guard pattern.allSatisfy({ $0 < 0x80 }) else { return nil }
    var anchoredStart = false
    var anchoredEnd = false
    var body = pattern
    if body.first == UInt8(ascii: "^") {
      anchoredStart = true
      body.removeFirst()
    }
    if body.last == UInt8(ascii: "$") {
      // A `$` after an odd number of backslashes is a literal dollar.
      var backslashes = 0
      var index = body.count - 2
      while index >= 0, body[index] == UInt8(ascii: "\\") {
        backslashes += 1
        index -= 1
      }
      if backslashes % 2 == 0 {
        anchoredEnd = true
        body.removeLast()
      }
    }
    var inner = PatternParser(pattern: body, ignoresCase: ignoresCase)
    guard let node = inner.parseAlternation(), inner.position == body.count else { return nil }
    // `^a|b` anchors only its first branch: keep anchors to patterns of one branch.
    if anchoredStart || anchoredEnd, case .alternation = node { return nil }
    return (node, anchoredStart, anchoredEnd)
  }

  private var current: UInt8? { position < pattern.count ? pattern[position] : nil }

  private mutating func parseAlternation() -> PatternNode? {
    var branches: [PatternNode] = []
    guard let first = parseConcat() else { return nil }
    branches.append(first)
    while current == UInt8(ascii: "|") {
      position += 1
      guard let next = parseConcat() else { return nil }
      branches.append(next)
    }
    return branches.count == 1 ? branches[0] : .alternation(branches)
  }

  private mutating func parseConcat() -> PatternNode? {
    var items: [PatternNode] = []
    while let byte = current, byte != UInt8(ascii: "|"), byte != UInt8(ascii: ")") {
      guard let atom = parseAtom(), let quantified = parseQuantifiers(atom) else { return nil }
      items.append(quantified)
    }
    return .concat(items)
  }

  private mutating func parseQuantifiers(_ atom: PatternNode) -> PatternNode? {
    guard let byte = current else { return atom }
    let isQuantifier =
      byte == UInt8(ascii: "*") || byte == UInt8(ascii: "+") || byte == UInt8(ascii: "?")
      || byte == UInt8(ascii: "{")
    // ICU's backtracking can miss a match when a loop's body can match nothing (it stops such
    // loops early); the automaton would find it. Leave those patterns to ICU.
    if isQuantifier && atom.isNullable { return nil }
    var node: PatternNode
    switch byte {
    case UInt8(ascii: "*"):
      position += 1
      node = .star(atom)
    case UInt8(ascii: "+"):
      position += 1
      node = .concat([atom, .star(atom)])
      size += weight(atom)
    case UInt8(ascii: "?"):
      position += 1
      node = .optional(atom)
    case UInt8(ascii: "{"):
      guard let (low, high) = parseInterval() else { return nil }
      var parts: [PatternNode] = Array(repeating: atom, count: low)
      if let high {
        var tail: PatternNode?
        for _ in 0..<(high - low) {
          tail = .optional(.concat([atom] + (tail.map { [$0] } ?? [])))
        }
        if let tail { parts.append(tail) }
        size += weight(atom) * max(high - 1, 0)
      } else {
        parts.append(.star(atom))
        size += weight(atom) * low
      }
      node = .concat(parts)
    default:
      return atom
    }
    guard size <= 400 else { return nil }
    // A lazy quantifier matches the same texts; a possessive one does not, and neither does a
    // quantifier of a quantifier.
    if current == UInt8(ascii: "?") {
      position += 1
    }
    if let next = current,
      next == UInt8(ascii: "+") || next == UInt8(ascii: "*") || next == UInt8(ascii: "?")
        || next == UInt8(ascii: "{")
    {
      return nil
    }
    return node
  }

  /// `{n}`, `{n,}` or `{n,m}` at the current position.
  private mutating func parseInterval() -> (Int, Int?)? {
    position += 1
    guard let low = parseNumber() else { return nil }
    var high: Int? = low
    if current == UInt8(ascii: ",") {
      position += 1
      high = current == UInt8(ascii: "}") ? nil : parseNumber()
      if high == nil && current != UInt8(ascii: "}") { return nil }
    }
    guard current == UInt8(ascii: "}") else { return nil }
    position += 1
    if let high, high < low { return nil }
    guard low <= 50, (high ?? 0) <= 50 else { return nil }
    return (low, high)
  }

  private mutating func parseNumber() -> Int? {
    var value = 0
    var digits = 0
    while let byte = current, isDigit(byte) {
      value = value * 10 + Int(byte - UInt8(ascii: "0"))
      digits += 1
      position += 1
      if digits > 3 { return nil }
    }
    return digits == 0 ? nil : value
  }

  private mutating func parseAtom() -> PatternNode? {
    guard let byte = current else { return nil }
    switch byte {
    case UInt8(ascii: "("):
      position += 1
      if current == UInt8(ascii: "?") {
        guard position + 1 < pattern.count, pattern[position + 1] == UInt8(ascii: ":") else {
          return nil
        }
        position += 2
      }
      guard let inner = parseAlternation(), current == UInt8(ascii: ")") else { return nil }
      position += 1
      return inner
    case UInt8(ascii: "["):
      return parseClass().map { .set(closed($0)) }
    case UInt8(ascii: "."):
      position += 1
      size += 1
      return .set(ByteSet.dot)
    case UInt8(ascii: "\\"):
      position += 1
      guard let set = parseEscape(inClass: false) else { return nil }
      size += 1
      return .set(closed(set))
    case UInt8(ascii: "*"), UInt8(ascii: "+"), UInt8(ascii: "?"), UInt8(ascii: "{"),
      UInt8(ascii: "}"), UInt8(ascii: "]"), UInt8(ascii: "^"), UInt8(ascii: "$"), UInt8(ascii: ")"):
      return nil
    default:
      guard byte >= 0x20, byte < 0x7F else { return nil }
      position += 1
      size += 1
      var set = ByteSet()
      set.insert(byte)
      return .set(closed(set))
    }
  }

  private func closed(_ set: ByteSet) -> ByteSet { ignoresCase ? set.caseClosed : set }

  /// After a backslash: a class shorthand or an escaped punctuation character.
  private mutating func parseEscape(inClass: Bool) -> ByteSet? {
    guard let byte = current else { return nil }
    position += 1
    var set = ByteSet()
    switch byte {
    case UInt8(ascii: "d"): return ByteSet.digits
    case UInt8(ascii: "w"): return ByteSet.word
    case UInt8(ascii: "s"): return ByteSet.space
    // Complements under case folding are where engines differ; leave them to ICU.
    case UInt8(ascii: "D"): return ignoresCase ? nil : ByteSet.digits.invertedASCII
    case UInt8(ascii: "W"): return ignoresCase ? nil : ByteSet.word.invertedASCII
    case UInt8(ascii: "S"): return ignoresCase ? nil : ByteSet.space.invertedASCII
    case UInt8(ascii: "n"): set.insert(0x0A)
    case UInt8(ascii: "t"): set.insert(0x09)
    case UInt8(ascii: "r"): set.insert(0x0D)
    case UInt8(ascii: "f"): set.insert(0x0C)
    default:
      // Letters and digits after a backslash mean something special (or nothing) in ICU.
      guard byte >= 0x20, byte < 0x7F, !isIdentifierBody(byte) else { return nil }
      set.insert(byte)
    }
    return set
  }

  /// `[...]` at the current position, as written (before case closing).
  private mutating func parseClass() -> ByteSet? {
    position += 1
    var negated = false
    if current == UInt8(ascii: "^") {
      negated = true
      position += 1
    }
    // Case folding of negated sets is where engines differ; leave it to ICU.
    if negated && ignoresCase { return nil }
    var set = ByteSet()
    var first = true
    while let byte = current, byte != UInt8(ascii: "]") || first {
      if first && byte == UInt8(ascii: "]") { return nil }
      first = false
      switch byte {
      case UInt8(ascii: "["), UInt8(ascii: "&"):
        // Nested sets, set operations and POSIX classes.
        return nil
      case UInt8(ascii: "-"):
        if position + 1 < pattern.count, pattern[position + 1] == UInt8(ascii: "-") { return nil }
      default:
        break
      }
      guard let low = parseClassMember() else { return nil }
      if current == UInt8(ascii: "-"), position + 1 < pattern.count,
        pattern[position + 1] != UInt8(ascii: "]")
      {
        position += 1
        guard case .byte(let from) = low, let high = parseClassMember(),
          case .byte(let to) = high, from <= to
        else { return nil }
        set.insert(from...to)
      } else {
        switch low {
        case .byte(let byte): set.insert(byte)
        case .set(let members): set.formUnion(members)
        }
      }
    }
    guard current == UInt8(ascii: "]"), !first else { return nil }
    position += 1
    size += 1
    return negated ? set.invertedASCII : set
  }

  private enum ClassMember {
    case byte(UInt8)
    case set(ByteSet)
  }

  private mutating func parseClassMember() -> ClassMember? {
    guard let byte = current else { return nil }
    if byte == UInt8(ascii: "\\") {
      position += 1
      guard let escaped = current else { return nil }
      let isShorthand = Array("dwsDWS".utf8).contains(escaped)
      guard let set = parseEscape(inClass: true) else { return nil }
      if isShorthand { return .set(set) }
      for candidate in UInt8(0)...0x7F where set.contains(candidate) { return .byte(candidate) }
      return nil
    }
    guard byte >= 0x20, byte < 0x7F else { return nil }
    position += 1
    return .byte(byte)
  }

  private func weight(_ node: PatternNode) -> Int {
    switch node {
    case .set: return 1
    case .concat(let items), .alternation(let items): return items.reduce(0) { $0 + weight($1) }
    case .star(let inner), .optional(let inner): return weight(inner)
    }
  }
}

/// Glushkov's construction: one position per byte set in the pattern, with the positions that
/// can start a match, end one, and follow each other.
private struct Glushkov {
  var sets: [ByteSet] = []
  var follow: [[Int]] = []

  struct Info {
    var nullable: Bool
    var first: [Int]
    var last: [Int]
  }

  mutating func build(_ node: PatternNode) -> Info? {
    guard sets.count <= 512 else { return nil }
    switch node {
    case .set(let set):
      let p = sets.count
      sets.append(set)
      follow.append([])
      return Info(nullable: false, first: [p], last: [p])
    case .concat(let items):
      var info = Info(nullable: true, first: [], last: [])
      for item in items {
        guard let next = build(item) else { return nil }
        for p in info.last { addFollow(p, next.first) }
        if info.nullable { info.first += next.first }
        info.last = next.nullable ? info.last + next.last : next.last
        info.nullable = info.nullable && next.nullable
      }
      return info
    case .alternation(let items):
      var info = Info(nullable: false, first: [], last: [])
      for item in items {
        guard let next = build(item) else { return nil }
        info.nullable = info.nullable || next.nullable
        info.first += next.first
        info.last += next.last
      }
      return info
    case .star(let inner):
      guard let info = build(inner) else { return nil }
      for p in info.last { addFollow(p, info.first) }
      return Info(nullable: true, first: info.first, last: info.last)
    case .optional(let inner):
      guard var info = build(inner) else { return nil }
      info.nullable = true
      return info
    }
  }

  private mutating func addFollow(_ p: Int, _ targets: [Int]) {
    for q in targets where !follow[p].contains(q) { follow[p].append(q) }
  }
}
