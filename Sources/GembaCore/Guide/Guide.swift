/// An interview guide, parsed from a `.guide` file and the files it includes.
public struct Guide: Sendable {
  public var header: GuideHeader
  public var sections: [Section]
  /// The root file first, then each included file in the order first included.
  public var files: [SourceFile]

  public init(header: GuideHeader, sections: [Section], files: [SourceFile]) {
    self.header = header
    self.sections = sections
    self.files = files
  }

  /// Every question in flow order.
  public var questions: [Question] {
    sections.flatMap { section in section.questions }
  }

  /// The question with `id`, or the one that lists `id` among its earlier ids (`was:`).
  public func question(_ id: String) -> Question? {
    for section in sections {
      for question in section.questions
      where question.id == id || question.was.contains(where: { $0.id == id }) {
        return question
      }
    }
    return nil
  }

  /// The section whose title or slug is `name`, ignoring case.
  public func section(named name: String) -> Section? {
    let slug = Section.slug(name)
    return sections.first { $0.slug == slug }
  }
}

/// The fields before the first section.
public struct GuideHeader: Sendable {
  public struct Field: Sendable {
    public var key: String
    public var value: String
    public var range: SourceRange
  }

  public var fields: [Field] = []

  public init() {}

  public func value(_ key: String) -> String? {
    fields.last { $0.key == key }?.value
  }

  public var title: String? { value("title") }
  public var version: String? { value("version") }
  public var method: String? { value("method") }
  public var school: String? { value("school") }
  public var language: String? { value("language") }
  public var author: String? { value("author") }
  public var description: String? { value("description") }

  /// Tag names the guide declares besides the built-in ones.
  public var declaredTags: [String] {
    fields.filter { $0.key == "tags" }.flatMap { field in
      field.value.split(separator: ",").map { $0.trimmingSpaces() }.filter { !$0.isEmpty }
    }
  }

  static let knownKeys = [
    "title", "version", "method", "school", "language", "author", "description", "tags",
  ]
}

/// The three parts of an interview.
public enum Part: String, Sendable, CaseIterable, Comparable, Codable {
  /// The salesperson alone, before the call.
  case before
  /// With the customer.
  case customer
  /// The debrief, after the call.
  case after

  private var order: Int {
    switch self {
    case .before: 0
    case .customer: 1
    case .after: 2
    }
  }

  public static func < (lhs: Part, rhs: Part) -> Bool { lhs.order < rhs.order }
}

/// A section of a guide: a heading, its part and budget, and the flow inside it.
public struct Section: Sendable {
  public var title: String
  public var slug: String
  public var part: Part
  public var budgetMinutes: Int?
  public var condition: Expression?
  public var intro: Template?
  public var items: [FlowItem] = []
  /// Whether a line of the section could not be read; emptiness is then not reported again.
  public var hasParseErrors = false
  /// The place of the title in the heading.
  public var range: SourceRange

  public init(title: String, part: Part, budgetMinutes: Int?, range: SourceRange) {
    self.title = title
    self.slug = Section.slug(title)
    self.part = part
    self.budgetMinutes = budgetMinutes
    self.range = range
  }

  public var questions: [Question] {
    items.compactMap { item in
      if case .question(let question) = item { return question }
      return nil
    }
  }

  /// The title in lower case, with every run of other characters turned into one hyphen.
  public static func slug(_ title: some StringProtocol) -> String {
    let folded = TextFolding.fold(String(title))
    // Jumps and sections are matched by slug many times per guide; on ASCII the loop below is
    // the same over bytes, without grapheme breaking.
    if TextFolding.isASCII(folded) { return asciiSlug(folded) }
    var out = ""
    var pendingHyphen = false
    for character in folded {
      if character.isLetter || character.isNumber {
        if pendingHyphen, !out.isEmpty { out.append("-") }
        pendingHyphen = false
        out.append(character)
      } else {
        pendingHyphen = true
      }
    }
    return out
  }

  private static func asciiSlug(_ folded: String) -> String {
    var out: [UInt8] = []
    out.reserveCapacity(folded.utf8.count)
    var pendingHyphen = false
    for byte in folded.utf8 {
      let isAlphanumeric =
        (byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z"))
        || (byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z"))
        || (byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9"))
      if isAlphanumeric {
        if pendingHyphen, !out.isEmpty { out.append(UInt8(ascii: "-")) }
        pendingHyphen = false
        out.append(byte)
      } else {
        pendingHyphen = true
      }
    }
    return String(decoding: out, as: UTF8.self)
  }
}

/// One step of a section's flow.
public enum FlowItem: Sendable {
  case question(Question)
  case computed(ComputedValue)
  case jump(Jump)
}

/// The kind of answer a question expects.
public enum AnswerKind: Sendable, Hashable {
  case text
  case choice
  case choices
  case scale(Bounds)
  case number(Bounds, unit: String?)
  case yesNo
  case date

  /// The word used for the kind in guides and messages.
  public var name: String {
    switch self {
    case .text: "text"
    case .choice: "choice"
    case .choices: "choices"
    case .scale: "scale"
    case .number: "number"
    case .yesNo: "yesno"
    case .date: "date"
    }
  }
}

/// Inclusive bounds on a number or scale; either end may be open.
public struct Bounds: Sendable, Hashable {
  public var low: Double?
  public var high: Double?

  public init(low: Double? = nil, high: Double? = nil) {
    self.low = low
    self.high = high
  }

  public func contains(_ value: Double) -> Bool {
    (low.map { value >= $0 } ?? true) && (high.map { value <= $0 } ?? true)
  }

  public var description: String {
    "\(low.map(format) ?? "")...\(high.map(format) ?? "")"
  }
}

/// A question of the guide.
public struct Question: Sendable {
  public struct Identifier: Sendable, Hashable {
    public var id: String
    public var range: SourceRange
  }

  public struct Tag: Sendable, Hashable {
    public var name: String
    public var range: SourceRange
  }

  // Every pass over a guide copies its questions, and a question has some twenty fields that are
  // reference counted. Kept in one copy-on-write box, a copy costs one count instead of twenty
  // and moves eight bytes instead of hundreds; checking a large guide spent most of its time here.
  private final class Storage: @unchecked Sendable {
    // Changed only while uniquely referenced (see `fields`), so sharing it across threads is safe,
    // and no access can overlap another: the run-time exclusivity check on every read is waste.
    @exclusivity(unchecked) var fields: Fields
    init(_ fields: Fields) { self.fields = fields }
  }

  private struct Fields: Sendable {
    var id: String
    var range: SourceRange
    var kind: AnswerKind = .text
    var isAssessment: Bool = false
    var isRequired: Bool = false
    var prompt: Template
    var hint: Template?
    var probes: [Template] = []
    var tags: [Tag] = []
    var condition: Expression?
    var constraint: Expression?
    var constraintMessage: String?
    var labels: (low: String, high: String)?
    var was: [Identifier] = []
    var options: [ChoiceOption] = []
    var jumps: [Jump] = []
    var part: Part = .customer
  }

  private var storage: Storage

  private var fields: Fields {
    get { storage.fields }
    _modify {
      if !isKnownUniquelyReferenced(&storage) { storage = Storage(storage.fields) }
      yield &storage.fields
    }
  }

  public var id: String {
    _read { yield storage.fields.id }
    _modify { yield &fields.id }
  }
  public var range: SourceRange {
    _read { yield storage.fields.range }
    _modify { yield &fields.range }
  }
  public var kind: AnswerKind {
    _read { yield storage.fields.kind }
    _modify { yield &fields.kind }
  }
  public var isAssessment: Bool {
    _read { yield storage.fields.isAssessment }
    _modify { yield &fields.isAssessment }
  }
  public var isRequired: Bool {
    _read { yield storage.fields.isRequired }
    _modify { yield &fields.isRequired }
  }
  public var prompt: Template {
    _read { yield storage.fields.prompt }
    _modify { yield &fields.prompt }
  }
  public var hint: Template? {
    _read { yield storage.fields.hint }
    _modify { yield &fields.hint }
  }
  public var probes: [Template] {
    _read { yield storage.fields.probes }
    _modify { yield &fields.probes }
  }
  public var tags: [Tag] {
    _read { yield storage.fields.tags }
    _modify { yield &fields.tags }
  }
  public var condition: Expression? {
    _read { yield storage.fields.condition }
    _modify { yield &fields.condition }
  }
  public var constraint: Expression? {
    _read { yield storage.fields.constraint }
    _modify { yield &fields.constraint }
  }
  public var constraintMessage: String? {
    _read { yield storage.fields.constraintMessage }
    _modify { yield &fields.constraintMessage }
  }
  public var labels: (low: String, high: String)? {
    _read { yield storage.fields.labels }
    _modify { yield &fields.labels }
  }
  public var was: [Identifier] {
    _read { yield storage.fields.was }
    _modify { yield &fields.was }
  }
  public var options: [ChoiceOption] {
    _read { yield storage.fields.options }
    _modify { yield &fields.options }
  }
  public var jumps: [Jump] {
    _read { yield storage.fields.jumps }
    _modify { yield &fields.jumps }
  }
  /// The part of the section that holds the question.
  public var part: Part {
    _read { yield storage.fields.part }
    _modify { yield &fields.part }
  }

  public init(id: String, range: SourceRange, prompt: Template) {
    storage = Storage(Fields(id: id, range: range, prompt: prompt))
  }

  public func option(_ value: String) -> ChoiceOption? {
    options.first { $0.value == value }
  }
}

/// One option of a `choice` or `choices` question.
public struct ChoiceOption: Sendable, Hashable {
  public var value: String
  public var label: String
  public var range: SourceRange
  /// The section chosen this option jumps to.
  public var jump: Jump?
}

/// A move to another section (or to `end`), taken when its condition holds.
public struct Jump: Sendable, Hashable {
  public var target: String
  public var targetRange: SourceRange
  public var condition: Expression?

  /// Whether the jump finishes the interview.
  public var isEnd: Bool { Section.slug(target) == "end" }
}

/// `set NAME = EXPRESSION`.
public struct ComputedValue: Sendable {
  public var name: String
  public var range: SourceRange
  public var expression: Expression
}

/// Text with `{id}` interpolations.
public struct Template: Sendable, Hashable {
  public enum Piece: Sendable, Hashable {
    case literal(String)
    case reference(String, SourceRange)
  }

  public var text: String
  public var pieces: [Piece]
  public var range: SourceRange

  public var references: [(id: String, range: SourceRange)] {
    pieces.compactMap { piece in
      if case .reference(let id, let range) = piece { return (id, range) }
      return nil
    }
  }

  /// The text with each reference replaced by `value(id)`.
  public func render(_ value: (String) -> String) -> String {
    pieces.map { piece in
      switch piece {
      case .literal(let text): text
      case .reference(let id, _): value(id)
      }
    }.joined()
  }
}

extension Substring {
  /// The slice without leading and trailing spaces and tabs, sharing indices with the original,
  /// so source positions stay right.
  func trimmedSlice() -> Substring {
    // Every line and most of its pieces are trimmed, and stepping by characters costs a grapheme
    // break check each way. A space, tab or CR next to an ASCII byte is a character of its own,
    // so the bytes decide while the neighbour is ASCII; otherwise the characters do, as before.
    let space = UInt8(ascii: " ")
    let tab = UInt8(ascii: "\t")
    let cr = UInt8(ascii: "\r")
    if let first = utf8.first, first != space, first != tab, let last = utf8.last, last != space,
      last != tab, last != cr
    {
      return self
    }
    var copy = self
    let (start, end, decided) = copy.withUTF8 { bytes -> (Int, Int, Bool) in
      var start = 0
      var end = bytes.count
      while start < end, bytes[start] == space || bytes[start] == tab {
        if start + 1 < end, bytes[start + 1] >= 0x80 { return (start, end, false) }
        start += 1
      }
      while end > start, bytes[end - 1] == space || bytes[end - 1] == tab || bytes[end - 1] == cr {
        if end - 1 > start, bytes[end - 2] >= 0x80 { return (start, end, false) }
        end -= 1
      }
      return (start, end, true)
    }
    var slice = self[
      utf8.index(startIndex, offsetBy: start)..<utf8.index(startIndex, offsetBy: end)]
    if decided { return slice }
    while let first = slice.first, first == " " || first == "\t" { slice.removeFirst() }
    while let last = slice.last, last == " " || last == "\t" || last == "\r" { slice.removeLast() }
    return slice
  }
}

extension StringProtocol {
  /// The text without leading and trailing spaces and tabs.
  func trimmingSpaces() -> String {
    String(Substring(self).trimmedSlice())
  }
}
