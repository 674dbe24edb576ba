/// A rule file (`*.rules`): a header and the rules under it.
///
/// Rules turn an interview's answers into proposed next actions. They suggest; the salesperson
/// decides (METHOD.md §3), so nothing a rule proposes is ever filed as a decision.
public struct RuleFile: Sendable {
  public var source: SourceFile
  public var title: String?
  public var version: String?
  public var author: String?
  public var description: String?
  /// The guides every rule of the file applies to, unless a rule names its own.
  public var appliesTo: [GuideSelector]
  public var rules: [Rule]

  /// The path as the user named it.
  public var path: String { source.path }

  public init(source: SourceFile, appliesTo: [GuideSelector] = [], rules: [Rule] = []) {
    self.source = source
    self.appliesTo = appliesTo
    self.rules = rules
  }
}

/// A guide named in `applies to:`: by its header's `method:`, by its file name (`jtbd-switch`
/// or `jtbd-switch.guide`) or by a path relative to the rule file.
public struct GuideSelector: Sendable, Hashable {
  public var name: String
  public var range: SourceRange

  public init(name: String, range: SourceRange) {
    self.name = name
    self.range = range
  }

  /// Whether the guide with `method` at `path` is the one named.
  public func matches(method: String?, path: String) -> Bool {
    key.matches(GuideKey(method: method, path: path))
  }

  /// The name folded once, to match guides by.
  var key: Key {
    Key(name: TextFolding.fold(name), file: TextFolding.fold(Path.lastComponent(name)))
  }

  /// A selector's name as guides are matched against it: ignoring case and accents.
  struct Key: Sendable {
    var name: String
    var file: String

    func matches(_ guide: GuideKey) -> Bool {
      if let method = guide.method, method == name { return true }
      return file == guide.file || file == guide.stem
    }
  }
}

/// A guide's method and file name, folded, as selectors match them.
struct GuideKey: Sendable {
  var method: String?
  var file: String
  var stem: String

  init(method: String?, path: String) {
    self.method = method.map(TextFolding.fold)
    file = TextFolding.fold(Path.lastComponent(path))
    stem = file.hasSuffix(".guide") ? String(file.dropLast(6)) : file
  }

  init(_ guide: Guide) {
    self.init(method: guide.header.method, path: guide.files.first?.path ?? "")
  }
}

/// The four phases of a PDCA cycle, in the order proposals are listed.
public enum Phase: String, Sendable, Codable, CaseIterable, Comparable {
  case plan
  case `do`
  case check
  case act

  /// The phase's name as a heading: `Plan`, `Do`, `Check`, `Act`.
  public var title: String { rawValue.prefix(1).uppercased() + rawValue.dropFirst() }

  private var order: Int {
    switch self {
    case .plan: 0
    case .do: 1
    case .check: 2
    case .act: 3
    }
  }

  public static func < (lhs: Phase, rhs: Phase) -> Bool { lhs.order < rhs.order }
}

/// What Act does with an experiment that was tried (METHOD.md §3).
public enum ActKind: String, Sendable, Codable, CaseIterable {
  /// Standardise what worked.
  case adopt
  /// Change the approach.
  case adapt
  /// Drop it.
  case abandon
}

/// A rule's condition: one test in the expression language, or a group of conditions.
public indirect enum Condition: Sendable {
  /// One expression, as written on a `when:` or `unless:` line or inside a group.
  case test(Expression)
  /// `all:` — true when every condition under it is true (and when it is empty).
  case all([Condition], range: SourceRange)
  /// `any:` — true when at least one condition under it is true.
  case any([Condition], range: SourceRange)

  /// Where the condition starts.
  public var range: SourceRange {
    switch self {
    case .test(let expression): expression.range
    case .all(_, let range), .any(_, let range): range
    }
  }

  /// Every expression in the condition, in the order written.
  public var expressions: [Expression] {
    switch self {
    case .test(let expression): [expression]
    case .all(let items, _), .any(let items, _): items.flatMap(\.expressions)
    }
  }
}

/// When a proposed action is due: at the next meeting, before leaving this one, some days after
/// the interview, on a date, or on the date an answer gives.
public enum Due: Sendable, Hashable {
  case nextMeeting
  case thisMeeting
  /// `+7d`, `+2w` (held as days).
  case days(Int)
  case date(Day)
  /// `{customer_step_date}`: the date a date question was answered with.
  case answer(String)
}

/// A `due:` line: what it means and how it was written.
public struct DueTemplate: Sendable, Hashable {
  public var due: Due
  public var text: String
  public var range: SourceRange

  public init(due: Due, text: String, range: SourceRange) {
    self.due = due
    self.text = text
    self.range = range
  }
}

/// One rule: when its condition holds for an interview (and no `unless` does), it proposes its
/// action, in its phase, with its reasons.
public struct Rule: Sendable {
  public var id: String
  public var idRange: SourceRange
  public var title: String
  public var phase: Phase?
  /// For `act`: adopt, adapt or abandon.
  public var act: ActKind?
  /// Higher first; 0 to 100, 50 when not given.
  public var priority: Int = Rule.defaultPriority
  public var when: Condition?
  /// The rule does not fire when any of these holds.
  public var unless: [Condition] = []
  /// The action proposed, with `{id}` interpolations.
  public var action: Template?
  public var because: String?
  /// Where the reasoning comes from (a book, a method, METHOD.md).
  public var source: String?
  public var owner: Template?
  public var due: DueTemplate?
  /// The guides the rule applies to, when it names its own rather than the file's.
  public var appliesTo: [GuideSelector]?
  /// The `rule` line.
  public var range: SourceRange

  public static let defaultPriority = 50

  public init(id: String, idRange: SourceRange, title: String, range: SourceRange) {
    self.id = id
    self.idRange = idRange
    self.title = title
    self.range = range
  }

  /// `do`, `check`, `act (adapt)`: the phase as it is shown.
  public var phaseLabel: String {
    guard let phase else { return "?" }
    if let act { return "\(phase.rawValue) (\(act.rawValue))" }
    return phase.rawValue
  }
}
