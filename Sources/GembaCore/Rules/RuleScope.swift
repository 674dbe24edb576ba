/// A guide a rule may apply to, with the path it was read from.
public struct RuleGuide: Sendable {
  public var path: String
  public var guide: Guide

  public init(path: String, guide: Guide) {
    self.path = path
    self.guide = guide
  }

  public var method: String? { guide.header.method }

  /// The file name without `.guide`: `jtbd-switch`.
  public var stem: String {
    let file = Path.lastComponent(path)
    return file.hasSuffix(".guide") ? String(file.dropLast(6)) : file
  }
}

/// What a rule may name: the questions and computed values of every guide it applies to.
///
/// A question may be in one guide and not another (a rule for both default guides may test
/// `anxiety_where`, which only the switch interview asks); a test of a question the interview's
/// guide does not have is simply false. Choice options are merged across guides. An earlier id
/// (`was:`) finds its question, so rules written before a rename keep working.
struct RuleScope: ExpressionScope {
  private var questions: [String: Question] = [:]
  private var renamed: [String: String] = [:]
  private var computed: [String: ValueType] = [:]
  /// Every guide's bounds for a number or scale question, merged: the widest.
  private(set) var bounds: [String: Bounds] = [:]
  /// Ids whose kind differs between guides: nothing is concluded about their values.
  private(set) var mixedKinds: Set<String> = []
  let knownTags: Set<String>
  let allNames: [String]

  init(_ guides: [RuleGuide]) {
    var names: [String] = []
    var tags = Set(BuiltInTags.all)
    var unboundedNumbers: Set<String> = []
    for entry in guides {
      let guide = entry.guide
      let guideScope = GuideScope(guide)
      tags.formUnion(guideScope.knownTags)
      for question in guide.questions {
        if var known = questions[question.id] {
          if known.kind.name != question.kind.name { mixedKinds.insert(question.id) }
          for option in question.options where known.option(option.value) == nil {
            known.options.append(option)
          }
          questions[question.id] = known
        } else {
          questions[question.id] = question
          names.append(question.id)
        }
        for old in question.was where renamed[old.id] == nil { renamed[old.id] = question.id }
        switch question.kind {
        case .scale(let range), .number(let range, _):
          if unboundedNumbers.contains(question.id) { break }
          if let known = bounds[question.id] {
            bounds[question.id] = Bounds(
              low: known.low.flatMap { low in range.low.map { min(low, $0) } },
              high: known.high.flatMap { high in range.high.map { max(high, $0) } })
          } else {
            bounds[question.id] = range
          }
        default:
          unboundedNumbers.insert(question.id)
          bounds[question.id] = nil
        }
      }
      for section in guide.sections {
        for case .computed(let value) in section.items where computed[value.name] == nil {
          if let type = guideScope.computedType(value.name) {
            computed[value.name] = type
            names.append(value.name)
          }
        }
      }
    }
    for id in mixedKinds { bounds[id] = nil }
    self.allNames = names + FollowUpFacts.all.map(\.name)
    self.knownTags = tags
  }

  func question(_ id: String) -> Question? {
    questions[id] ?? renamed[id].flatMap { questions[$0] }
  }

  func renamedQuestion(_ id: String) -> String? {
    questions[id] == nil ? renamed[id] : nil
  }

  func computedType(_ name: String) -> ValueType? {
    guard questions[name] == nil else { return nil }
    // The follow-up facts are numbers every rule may name, whatever its guides.
    return computed[name] ?? (FollowUpFacts.isFact(name) ? .number : nil)
  }

  /// The current id of the question once called `id`, when it was renamed.
  func currentID(ofRenamed id: String) -> String? { renamedQuestion(id) }

  /// The question's current id, following a rename.
  func canonical(_ id: String) -> String {
    questions[id] != nil ? id : (renamed[id] ?? id)
  }

  /// Whether `id` names a question (now or before a rename) of some guide.
  func isQuestion(_ id: String) -> Bool { question(id) != nil }
}
