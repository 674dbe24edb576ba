/// Rule files compiled for use: the rules' conditions turned into closures once, then evaluated
/// against any number of interviews.
///
/// The live interview can ask for proposals after every answer; it is pure and fast (one
/// interview against the default rules takes well under a millisecond):
///
///     let rules = RuleSet(files)
///     let proposals = rules.propose(state: session.state, index: session.index,
///                                   computed: session.computed)
///
/// Nothing is cached between interviews: each call builds its own sheet of answers.
public struct RuleSet: Sendable {
  public let files: [RuleFile]
  /// The rules that can be evaluated (those with a phase, a condition and an action), in the
  /// order of their files.
  public let rules: [Rule]
  /// SHA-256 over the rule files' text, recorded with proposals so a coach can tell which rules
  /// made them.
  public let hash: String
  private let ruleFiles: [String]
  private let selectors: [[GuideSelector]]
  private let selectorKeys: [[GuideSelector.Key]]
  private let programs: [CompiledTest]
  /// Each rule's `when`, compiled with its shape, for evidence.
  private let conditions: [ConditionNode]
  private let names: [String]
  private let tags: [String]
  private let positions: [String: Int]

  /// Compiles the rules of `files`; rules without a phase, a condition or an action (which
  /// `RuleChecker` reports) are left out.
  public init(_ files: [RuleFile]) {
    self.files = files
    var rules: [Rule] = []
    var ruleFiles: [String] = []
    var selectors: [[GuideSelector]] = []
    var programs: [CompiledTest] = []
    var conditions: [ConditionNode] = []
    var positions: [String: Int] = [:]
    var compiler = ConditionCompiler()
    for file in files {
      for rule in file.rules {
        guard rule.phase != nil, let when = rule.when, rule.action != nil,
          positions[rule.id] == nil
        else { continue }
        let node = compiler.node(when)
        let condition = node.test
        let blockers = rule.unless.map { compiler.node($0).test }
        let program: CompiledTest
        if blockers.isEmpty {
          program = condition
        } else {
          program = { sheet in
            guard condition(&sheet) else { return false }
            for blocker in blockers where blocker(&sheet) { return false }
            return true
          }
        }
        positions[rule.id] = rules.count
        rules.append(rule)
        ruleFiles.append(file.path)
        selectors.append(rule.appliesTo ?? file.appliesTo)
        programs.append(program)
        conditions.append(node)
      }
    }
    self.rules = rules
    self.ruleFiles = ruleFiles
    self.selectors = selectors
    self.selectorKeys = selectors.map { $0.map(\.key) }
    self.programs = programs
    self.conditions = conditions
    self.names = compiler.names
    self.tags = compiler.tags
    self.positions = positions
    self.hash = SHA256.hex(files.map(\.source.text).joined(separator: "\u{0}"))
  }

  /// The rule called `id`.
  public func rule(_ id: String) -> Rule? {
    positions[id].map { rules[$0] }
  }

  /// The file the rule called `id` comes from.
  public func file(ofRule id: String) -> String? {
    positions[id].map { ruleFiles[$0] }
  }

  /// Whether rule number `position` applies to interviews of `guide`.
  func applies(_ position: Int, to guide: Guide) -> Bool {
    applies(position, to: GuideKey(guide))
  }

  private func applies(_ position: Int, to guide: GuideKey) -> Bool {
    let wanted = selectorKeys[position]
    return wanted.isEmpty || wanted.contains { $0.matches(guide) }
  }

  /// The rules ready for interviews of one guide: which apply is worked out once.
  public func prepared(for index: GuideIndex) -> PreparedRules {
    let key = GuideKey(index.guide)
    let applicable = rules.indices.filter { applies($0, to: key) }
    let hasComputed = index.guide.sections.contains { section in
      section.items.contains { item in
        if case .computed = item { return true }
        return false
      }
    }
    return PreparedRules(
      set: self, plan: SheetPlan(index: index, names: names, tags: tags), applicable: applicable,
      hasComputed: hasComputed, checkSlots: FollowUpFacts.slots(in: index.guide))
  }

  /// The proposals for the interview `state` of the guide in `index`, grouped by phase in PDCA
  /// order, highest priority first; two rules proposing the same action give one proposal.
  ///
  /// `computed` are the guide's computed values as the session holds them; when nil they are
  /// worked out by walking the flow, as the session does.
  public func propose(
    state: InterviewState, index: GuideIndex, computed: [String: Value]? = nil
  ) -> [Proposal] {
    prepared(for: index).propose(state: state, computed: computed)
  }

  /// The evaluation tree of the rule called `id` for the interview, with the value each
  /// condition saw; nil when there is no such rule.
  public func explain(
    _ id: String, state: InterviewState, index: GuideIndex, computed: [String: Value]? = nil
  ) -> RuleExplanation? {
    guard let position = positions[id] else { return nil }
    let values = prepared(for: index).withFacts(computed, state: state)
    let context = InterviewContext(guide: index, state: state, computed: values)
    let fired = prepared(for: index).fires(position, state: state, computed: values)
    return RuleExplainer(context: context, index: index).explain(
      rules[position], applies: applies(position, to: index.guide), fired: fired,
      appliesTo: selectors[position].map(\.name))
  }

  // MARK: For PreparedRules

  func evaluate(_ position: Int, _ sheet: inout AnswerSheet) -> Bool {
    programs[position](&sheet)
  }

  func condition(at position: Int) -> ConditionNode { conditions[position] }

  func fileOfRule(at position: Int) -> String { ruleFiles[position] }
}

/// A ``RuleSet`` ready for the interviews of one guide.
public struct PreparedRules: Sendable {
  public let set: RuleSet
  /// The positions (in ``RuleSet/rules``) of the rules that apply to the guide.
  public let applicable: [Int]
  private let plan: SheetPlan
  private let hasComputed: Bool
  /// The promises a follow-up's Check part asks about, for the follow-up facts.
  private let checkSlots: [Int]
  /// The follow-up facts the rules name.
  private let factNames: [String]

  init(set: RuleSet, plan: SheetPlan, applicable: [Int], hasComputed: Bool, checkSlots: [Int]) {
    self.set = set
    self.plan = plan
    self.applicable = applicable
    self.hasComputed = hasComputed
    self.checkSlots = checkSlots
    self.factNames = plan.names.filter(FollowUpFacts.isFact)
  }

  /// The guide, with the look-ups the engine uses.
  public var index: GuideIndex { plan.index }

  /// The guide's computed values for `state`, worked out as the interview session does.
  func computedValues(_ state: InterviewState) -> [String: Value] {
    guard hasComputed else { return [:] }
    return FlowWalker(index: index, state: state)
      .walk(from: FlowWalker.start, computed: [:], toEnd: true).computed
  }

  /// The computed values the rules read: `computed` (else the guide's, worked out) with the
  /// follow-up facts (``FollowUpFacts``) added.
  func withFacts(_ computed: [String: Value]?, state: InterviewState) -> [String: Value] {
    var values = computed ?? computedValues(state)
    // Only the facts the rules name, and only worked out when there is a Check part: the rules
    // run after every answer.
    guard !factNames.isEmpty else { return values }
    let facts =
      checkSlots.isEmpty
      ? FollowUpFacts.none
      : FollowUpFacts.values(slots: checkSlots, state: state, computed: values, today: index.today)
    for name in factNames where values[name] == nil { values[name] = facts[name] }
    return values
  }

  /// Calls `body` with the position of each rule that fires for `state`, in rule order.
  public func forEachFiring(
    state: InterviewState, computed: [String: Value]? = nil, _ body: (Int) -> Void
  ) {
    var sheet = AnswerSheet(plan: plan, state: state, computed: withFacts(computed, state: state))
    for position in applicable where set.evaluate(position, &sheet) {
      body(position)
    }
  }

  /// The positions of the rules that fire for `state`.
  public func firing(state: InterviewState, computed: [String: Value]? = nil) -> [Int] {
    var fired: [Int] = []
    forEachFiring(state: state, computed: computed) { fired.append($0) }
    return fired
  }

  func fires(_ position: Int, state: InterviewState, computed: [String: Value]) -> Bool {
    var sheet = AnswerSheet(plan: plan, state: state, computed: computed)
    return set.evaluate(position, &sheet)
  }

  /// The proposals for `state`; see ``RuleSet/propose(state:index:computed:)``.
  public func propose(state: InterviewState, computed: [String: Value]? = nil) -> [Proposal] {
    let values = withFacts(computed, state: state)
    var sheet = AnswerSheet(plan: plan, state: state, computed: values)
    let fired = applicable.filter { set.evaluate($0, &sheet) }
    guard !fired.isEmpty else { return [] }
    let context = InterviewContext(guide: index, state: state, computed: values)
    let explainer = RuleExplainer(context: context, index: index)
    var proposals: [Proposal] = []
    var byText: [String: Int] = [:]
    // Highest priority first, so a merged proposal takes its phase from its strongest rule.
    let ordered = fired.enumerated().sorted { a, b in
      let x = set.rules[a.element].priority
      let y = set.rules[b.element].priority
      return x != y ? x > y : a.offset < b.offset
    }.map(\.element)
    for position in ordered {
      let rule = set.rules[position]
      guard let phase = rule.phase, let action = rule.action else { continue }
      let text = explainer.render(action)
      let reason = ProposalReason(
        rule: rule.id, title: rule.title, priority: rule.priority, because: rule.because ?? "",
        source: rule.source, file: set.fileOfRule(at: position),
        evidence: explainer.evidence(set.condition(at: position), sheet: &sheet))
      let key = Self.mergeKey(text)
      if let existing = byText[key] {
        proposals[existing].reasons.append(reason)
        if proposals[existing].owner == nil, let owner = rule.owner {
          proposals[existing].owner = explainer.render(owner)
        }
        if proposals[existing].due == nil, let due = rule.due {
          proposals[existing].due = explainer.render(due)
        }
        continue
      }
      byText[key] = proposals.count
      proposals.append(
        Proposal(
          phase: phase, act: rule.act, priority: rule.priority, text: text,
          owner: rule.owner.map(explainer.render), due: rule.due.map(explainer.render),
          reasons: [reason]))
    }
    return proposals.enumerated().sorted { a, b in
      if a.element.phase != b.element.phase { return a.element.phase < b.element.phase }
      if a.element.priority != b.element.priority {
        return a.element.priority > b.element.priority
      }
      return a.offset < b.offset
    }.map(\.element)
  }
}

extension PreparedRules {
  /// The same action, give or take case, accents and spacing.
  static func mergeKey(_ text: String) -> String {
    let ascii = text.utf8.allSatisfy { $0 < 0x80 }
    // Folding ASCII is lower-casing it; Foundation's folding is kept for the rest.
    let folded = ascii ? text.lowercased() : TextFolding.fold(text)
    var out: [UInt8] = []
    out.reserveCapacity(folded.utf8.count)
    var space = false
    for byte in folded.utf8 {
      if byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D {
        space = !out.isEmpty
        continue
      }
      if space { out.append(0x20) }
      space = false
      out.append(byte)
    }
    return String(decoding: out, as: UTF8.self)
  }
}

extension RuleSet {
  /// The proposals for the interview a session is running, so far: what `:actions` shows during
  /// the interview and what is offered at its end.
  ///
  ///     let proposals = rules.propose(for: session)
  public func propose(for session: InterviewSession) -> [Proposal] {
    propose(state: session.state, index: session.index, computed: session.computed)
  }

  /// The proposals for the interview `state` of `guide`, on the interview's day `today` (for due
  /// dates and answers such as "today").
  public func propose(state: InterviewState, guide: Guide, today: Day) -> [Proposal] {
    propose(state: state, index: GuideIndex(guide, today: today))
  }

  /// Proposals for an interview of `guide` rebuilt from its transcript events; a convenience
  /// for callers that hold events rather than a session.
  public func propose(events: [TranscriptEvent], guide: Guide, today: Day) -> [Proposal] {
    var state = InterviewState(guide: guide)
    for event in events { state.apply(event) }
    return propose(state: state, index: GuideIndex(guide, today: today))
  }
}
