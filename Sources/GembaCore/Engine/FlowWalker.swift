/// A guide with the look-ups the engine needs on every step.
public struct GuideIndex: Sendable {
  public let guide: Guide
  public let today: Day
  /// Section and item index of each question, by current id.
  let location: [String: (section: Int, item: Int)]
  let sectionBySlug: [String: Int]
  let tags: [String: Set<String>]
  /// The ids of each section's questions, in order: the outline and the prompt's counts read
  /// them on every step, and copying whole questions for an id costs more than the rest.
  let questionIDs: [[String]]
  private let questionsByID: [String: Question]
  /// The slug of every jump target, worked out once: a walk follows jumps many times.
  private let targetSlugs: [String: String]
  /// Each section's items as a walk reads them (see ``WalkItem``).
  let walkPlan: [[WalkItem]]

  /// An item of the flow reduced to what a walk looks at: a walk passes every item of a large
  /// guide on every step, and copying a whole question there costs more than the rest of it.
  enum WalkItem: Sendable {
    case question(WalkQuestion)
    case computed(ComputedValue)
    case jump(Jump)
  }

  /// A question as a walk reads it, shared rather than copied: binding it costs one retain.
  final class WalkQuestion: Sendable {
    let id: String
    /// Its `if:` condition.
    let condition: Expression?
    /// The jump taken when it is passed open: its first unconditional one.
    let passing: Jump?
    /// Whether it has any jump, its own or an option's.
    let hasJumps: Bool

    init(_ question: Question) {
      id = question.id
      condition = question.condition
      passing = question.jumps.first { $0.condition == nil }
      hasJumps = !question.jumps.isEmpty || question.options.contains { $0.jump != nil }
    }
  }

  public init(_ guide: Guide, today: Day) {
    self.guide = guide
    self.today = today
    var location: [String: (section: Int, item: Int)] = [:]
    var byID: [String: Question] = [:]
    var tags: [String: Set<String>] = [:]
    var questionIDs: [[String]] = []
    var targetSlugs: [String: String] = [:]
    var plan: [[WalkItem]] = []
    func noteTarget(_ jump: Jump?) {
      guard let jump, targetSlugs[jump.target] == nil else { return }
      targetSlugs[jump.target] = Section.slug(jump.target)
    }
    for (s, section) in guide.sections.enumerated() {
      var ids: [String] = []
      var items: [WalkItem] = []
      for (i, item) in section.items.enumerated() {
        switch item {
        case .question(let question):
          items.append(.question(WalkQuestion(question)))
          ids.append(question.id)
          for jump in question.jumps { noteTarget(jump) }
          for option in question.options { noteTarget(option.jump) }
          guard location[question.id] == nil else { continue }
          location[question.id] = (s, i)
          byID[question.id] = question
          tags[question.id] = Set(question.tags.map(\.name))
        case .jump(let jump):
          items.append(.jump(jump))
          noteTarget(jump)
        case .computed(let value):
          items.append(.computed(value))
        }
      }
      questionIDs.append(ids)
      plan.append(items)
    }
    var sections: [String: Int] = [:]
    for (s, section) in guide.sections.enumerated() where sections[section.slug] == nil {
      sections[section.slug] = s
    }
    self.location = location
    self.sectionBySlug = sections
    self.tags = tags
    self.questionIDs = questionIDs
    self.questionsByID = byID
    self.targetSlugs = targetSlugs
    self.walkPlan = plan
  }

  public func question(_ id: String) -> Question? { questionsByID[id] }

  /// The section that holds question `id`.
  public func section(of id: String) -> Section? {
    location[id].map { guide.sections[$0.section] }
  }

  /// The index of the section named `name` (title or slug), if any.
  public func sectionIndex(named name: String) -> Int? {
    sectionBySlug[targetSlugs[name] ?? Section.slug(name)]
  }

  /// Whether `jump` finishes the interview (as `Jump.isEnd`, without working out the slug).
  func isEnd(_ jump: Jump) -> Bool {
    (targetSlugs[jump.target] ?? Section.slug(jump.target)) == "end"
  }
}

/// Records which way each condition went while the flow moved on, for `gemba test` coverage.
public final class ConditionTrace: @unchecked Sendable {
  // Used from one thread at a time: the test walker owns it for the length of one walk.
  public private(set) var outcomes: [SourceRange: Set<Bool>] = [:]

  public init() {}

  func record(_ range: SourceRange, _ value: Bool) {
    outcomes[range, default: []].insert(value)
  }
}

/// Walks a guide's flow over the answers so far, by the rules `FlowGraph` describes.
struct FlowWalker {
  let index: GuideIndex
  let state: InterviewState
  var trace: ConditionTrace?

  /// A place in the flow: before item `item` of section `section`; `entering` means the
  /// section's own condition is still to be decided.
  struct Place {
    var section: Int
    var item: Int
    var entering: Bool
  }

  struct Walk {
    /// The first question the flow would ask now, nil at the end.
    var next: String?
    /// Every question the flow passes, in order, handled or not.
    var path: [String]
    var computed: [String: Value]
    /// For a walk to the end: how many open questions the path passes in each section, by the
    /// section's index; nil when a jump led back into a section, so a question may be on the
    /// path twice and the counts are not to be trusted.
    var openBySection: [Int]?
  }

  /// Walks from `place` to the first open question; with `toEnd`, carries on past open
  /// questions (as if they will be passed without an answer) to list the whole path.
  func walk(from place: Place, computed start: [String: Value], toEnd: Bool = false) -> Walk {
    var computed = start
    var path: [String] = []
    var next: String?
    var s = place.section
    var i = place.item
    var entering = place.entering
    var visits: [Int: Int] = [:]
    var openBySection = toEnd ? Array(repeating: 0, count: index.guide.sections.count) : []
    var reentered = false
    var steps = 0
    let sectionCount = index.walkPlan.count
    let limit = (index.walkPlan.reduce(0) { $0 + $1.count } + sectionCount) * 4 + 16
    // One evaluator while the computed values stay as they are: making one boxes the whole
    // context, which a large guide's walk would otherwise do for every condition it meets.
    var evaluator: Evaluator?
    func holds(_ expression: Expression) -> Bool {
      let current =
        evaluator
        ?? Evaluator(context: InterviewContext(guide: index, state: state, computed: computed))
      evaluator = current
      let value = current.holds(expression)
      if !toEnd { trace?.record(expression.range, value) }
      return value
    }
    func move(to jump: Jump) -> Bool {
      if index.isEnd(jump) {
        s = sectionCount
        return true
      }
      guard let target = index.sectionIndex(named: jump.target) else { return false }
      // A loop through questions already handled would go round for ever: the second time a
      // section is entered by a jump in one walk, its jumps are not followed again.
      visits[target, default: 0] += 1
      if visits[target, default: 0] > 2 { return false }
      if target <= s { reentered = true }
      s = target
      i = 0
      entering = true
      return true
    }
    while s < sectionCount {
      steps += 1
      if steps > limit { break }
      if entering {
        entering = false
        if let condition = index.guide.sections[s].condition, !holds(condition) {
          s += 1
          i = 0
          entering = true
          continue
        }
      }
      guard i < index.walkPlan[s].count else {
        s += 1
        i = 0
        entering = true
        continue
      }
      switch index.walkPlan[s][i] {
      case .question(let walked):
        let id = walked.id
        if state.isHandled(id) {
          path.append(id)
          if walked.hasJumps, let question = index.question(id),
            let jump = jumpAfter(question, holds: holds), move(to: jump)
          {
            continue
          }
          i += 1
          continue
        }
        if let condition = walked.condition, !holds(condition) {
          i += 1
          continue
        }
        path.append(id)
        if next == nil { next = id }
        if !toEnd { return Walk(next: next, path: path, computed: computed) }
        openBySection[s] += 1
        // An open question passes without an answer: only its unconditional jump applies.
        if let passing = walked.passing, move(to: passing) { continue }
        i += 1
      case .computed(let value):
        if let result = Evaluator(
          context: InterviewContext(guide: index, state: state, computed: computed)
        ).value(of: value.expression) {
          computed[value.name] = result
        } else {
          computed[value.name] = nil
        }
        evaluator = nil
        i += 1
      case .jump(let jump):
        if jump.condition.map(holds) ?? true, move(to: jump) { continue }
        i += 1
      }
    }
    return Walk(
      next: next, path: path, computed: computed,
      openBySection: toEnd && !reentered ? openBySection : nil)
  }

  /// The jump taken after `question` was answered or skipped: the chosen option's, else the
  /// first of the question's own whose condition holds.
  func jumpAfter(_ question: Question, holds: (Expression) -> Bool) -> Jump? {
    let context = InterviewContext(guide: index, state: state, computed: [:])
    if case .answered(let answer) = context.state(of: question.id) {
      switch answer.value {
      case .choice(let value)?:
        if let jump = question.option(value)?.jump { return jump }
      case .choices(let values)?:
        for value in values {
          if let jump = question.option(value)?.jump { return jump }
        }
      default:
        break
      }
    }
    return question.jumps.first { jump in jump.condition.map(holds) ?? true }
  }

  /// The place just after question `id`, following its jumps as if it had just been answered.
  func place(after id: String, computed: [String: Value]) -> Place? {
    guard let location = index.location[id], let question = index.question(id) else { return nil }
    let holds: (Expression) -> Bool = { [trace] expression in
      let value = Evaluator(
        context: InterviewContext(guide: index, state: state, computed: computed)
      )
      .holds(expression)
      trace?.record(expression.range, value)
      return value
    }
    if let jump = jumpAfter(question, holds: holds) {
      if index.isEnd(jump) {
        return Place(section: index.guide.sections.count, item: 0, entering: false)
      }
      if let target = index.sectionIndex(named: jump.target) {
        return Place(section: target, item: 0, entering: true)
      }
    }
    return Place(section: location.section, item: location.item + 1, entering: false)
  }

  static let start = Place(section: 0, item: 0, entering: true)
}
