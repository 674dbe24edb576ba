/// Checks the flow of a whole guide: questions and sections nobody can reach, loops with no way
/// to the end, jumps that skip the debrief, conditions that cannot change, references to
/// questions that cannot have been asked yet, computed values nobody reads, and assessments
/// placed with the customer.
public struct FlowAnalyzer {
  /// What the analysis found, for diagnostics and pictures.
  public struct Result: Sendable {
    public var graph: FlowGraph
    /// Which nodes a path from the start reaches, once constant conditions are taken into account.
    public var reachable: [Bool]
    /// Conditions whose value is known without any answer, by the place of the condition.
    public var constants: [SourceRange: Bool]
    public var diagnostics: [Diagnostic]

    /// Whether the question with `id` can be asked.
    public func isReachable(question id: String) -> Bool {
      graph.entryNode[id].map { reachable[$0] } ?? false
    }
  }

  /// Analyses `guide`, which should already be free of errors from ``GuideChecker``.
  public static func analyze(_ guide: Guide) -> Result {
    var analyzer = FlowAnalyzer(guide: guide)
    return analyzer.run()
  }

  private let guide: Guide
  private let graph: FlowGraph
  private var reach: Reachability
  private var constants: [SourceRange: Bool] = [:]
  private var diagnostics: [Diagnostic] = []

  private init(guide: Guide) {
    self.guide = guide
    self.graph = FlowGraph(guide)
    self.reach = Reachability(successors: graph.edges.map { $0.map(\.target) })
  }

  // MARK: The passes

  private mutating func run() -> Result {
    var reachable = reach.reachable(from: graph.start)
    // The decisions of the pass that changed nothing, which the report would only work out again.
    var decisions: [(range: SourceRange, decision: Decision)]?
    // While every step can be reached, the passes over conditions and templates meet all of them,
    // so they note the computed values read and reportUnreadComputedValues need not pass again.
    var computedReads: Set<String>?
    // Deciding a condition can cut edges, which can decide more conditions: repeat until stable.
    for iteration in 0..<6 {
      var found: [SourceRange: Bool] = [:]
      var decided: [(range: SourceRange, decision: Decision)] = []
      let collectReads =
        iteration == 0 && !graph.computedNodes.isEmpty && !reachable.contains(false)
      var reads = Set<String>()
      forEachCondition(reachable: reachable) { analyzer, expression, point in
        let decision = analyzer.decide(expression, at: point)
        decided.append((expression.range, decision))
        if let value = decision.value {
          found[expression.range] = value
        }
        if collectReads {
          ExpressionWalker.references(in: expression) { name in
            if analyzer.graph.computedNodes[name] != nil { reads.insert(name) }
          }
        }
      }
      if collectReads { computedReads = reads }
      if found == constants {
        decisions = decided
        break
      }
      constants = found
      reach = Reachability(successors: prunedSuccessors())
      reachable = reach.reachable(from: graph.start)
    }
    reportUnreachable(reachable)
    reportTraps(reachable)
    reportSkippedDebrief(reachable)
    if reachable.contains(false) { computedReads = nil }
    reportConstantsAndEarlyReferences(
      reachable, decisions: decisions, computedReads: &computedReads)
    reportUnreadComputedValues(reads: computedReads)
    reportAssessmentsWithCustomer()
    return Result(
      graph: graph, reachable: reachable, constants: constants, diagnostics: diagnostics)
  }

  private func prunedSuccessors() -> [[Int]] {
    graph.edges.map { edges in
      edges.compactMap { edge in
        switch edge.condition {
        case .always: return edge.target
        case .whenTrue(let condition):
          return constants[condition.range] == false ? nil : edge.target
        case .whenFalse(let condition):
          return constants[condition.range] == true ? nil : edge.target
        }
      }
    }
  }

  private mutating func reportUnreachable(_ reachable: [Bool]) {
    // Usually every step can be reached; then there is nothing to look up.
    guard reachable.contains(false) else { return }
    for (s, section) in guide.sections.enumerated() {
      if !reachable[graph.sectionEntries[s]] {
        report(
          .unreachableSection,
          "section '\(section.title)' can never be reached: no path from the start of the guide "
            + "leads to it; add a jump to it or remove it", section.range)
        continue
      }
      for question in section.questions {
        guard let node = graph.entryNode[question.id], !reachable[node] else { continue }
        report(
          .unreachableQuestion,
          "question '\(question.id)' can never be asked: every path passes it by or jumps over it",
          question.range)
      }
    }
  }

  private mutating func reportTraps(_ reachable: [Bool]) {
    let canEnd = reach.reaching(graph.end)
    var reported = Set<Int>()
    for (node, kind) in graph.nodes.enumerated() where reachable[node] && !canEnd[node] {
      let range: SourceRange
      switch kind {
      case .jump(let s, let i):
        guard case .jump(let jump) = guide.sections[s].items[i] else { continue }
        range = jump.targetRange
      case .questionAsked(let s, let i):
        guard case .question(let question) = guide.sections[s].items[i],
          let jump = question.jumps.first(where: { $0.condition == nil })
        else { continue }
        range = jump.targetRange
      default:
        continue
      }
      let component = reach.component[node]
      guard reported.insert(component).inserted else { continue }
      report(
        .noWayToEnd,
        "the flow can go round here forever: no path from this jump reaches the end of the "
          + "interview; make the jump conditional, or point it forward", range)
    }
  }

  private mutating func reportSkippedDebrief(_ reachable: [Bool]) {
    let debrief = guide.sections.indices.filter {
      guide.sections[$0].part == .after && !guide.sections[$0].questions.isEmpty
    }
    guard !debrief.isEmpty else { return }
    // The first section with each slug, as `firstIndex` would find it, without a scan per jump.
    var sectionIndex: [String: Int] = [:]
    for (s, section) in guide.sections.enumerated() where sectionIndex[section.slug] == nil {
      sectionIndex[section.slug] = s
    }
    func check(_ jump: Jump, from s: Int, node: Int) {
      guard reachable[node] else { return }
      let targetIndex = jump.isEnd ? guide.sections.count : sectionIndex[Section.slug(jump.target)]
      guard let targetIndex, targetIndex > s else { return }
      let skipped = debrief.filter { $0 > s && $0 < targetIndex }
      guard let first = skipped.first else { return }
      let names = skipped.map { "'\(guide.sections[$0].title)'" }.joined(separator: ", ")
      report(
        .jumpSkipsDebrief,
        "jump to '\(jump.target)' skips the debrief (\(names)): the interviewer's assessments "
          + "would not be asked; jump to '\(guide.sections[first].title)' instead", jump.targetRange
      )
    }
    for (s, section) in guide.sections.enumerated() {
      for (i, item) in section.items.enumerated() {
        let node = graph.itemNodes[s][i]
        switch item {
        case .question(let question):
          // By index, so only an option's jump is read, not every option copied.
          let options = question.options
          for index in options.indices {
            if let jump = options[index].jump { check(jump, from: s, node: node + 1) }
          }
          for jump in question.jumps { check(jump, from: s, node: node + 1) }
        case .jump(let jump):
          check(jump, from: s, node: node)
        case .computed:
          break
        }
      }
    }
  }

  private mutating func reportConstantsAndEarlyReferences(
    _ reachable: [Bool], decisions: [(range: SourceRange, decision: Decision)]?,
    computedReads: inout Set<String>?
  ) {
    if let decisions {
      for (range, decision) in decisions { reportDecision(decision, range) }
    } else {
      forEachCondition(reachable: reachable) { analyzer, expression, point in
        analyzer.reportDecision(analyzer.decide(expression, at: point), expression.range)
      }
    }
    let collectReads = computedReads != nil
    var reads = computedReads ?? []
    forEachTemplate(reachable: reachable) { analyzer, pieces, point in
      for case .reference(let id, let range) in pieces {
        if collectReads, analyzer.graph.computedNodes[id] != nil { reads.insert(id) }
        if analyzer.askable(id, before: point) { continue }
        analyzer.report(
          .referenceBeforeAsked,
          "'{\(id)}' cannot have been answered yet here: the salesperson would see '<\(id)>'; "
            + "ask '\(id)' earlier or refer to an earlier question", range)
      }
    }
    if collectReads { computedReads = reads }
  }

  private mutating func reportDecision(_ decision: Decision, _ range: SourceRange) {
    for reference in decision.missing {
      var message =
        "'\(reference.name)' cannot have been asked yet here: no path from the start reaches this point after asking it"
      if let value = decision.value {
        message += "; the condition is always \(value ? "true" : "false")"
      }
      report(.referenceBeforeAsked, message, reference.range)
    }
    if decision.missing.isEmpty, let value = decision.value {
      report(
        .constantCondition,
        "condition is always \(value ? "true" : "false"), whatever the answers; "
          + (value ? "remove it" : "remove it, or what it guards"),
        range)
    }
  }

  /// `reads`, when known, holds every computed value a condition or template names.
  private mutating func reportUnreadComputedValues(reads: Set<String>?) {
    guard !graph.computedNodes.isEmpty else { return }
    var read = reads ?? []
    func collect(_ expression: Expression?) {
      guard let expression else { return }
      ExpressionWalker.references(in: expression) { read.insert($0) }
    }
    for section in guide.sections where reads == nil {
      collect(section.condition)
      for reference in section.intro?.references ?? [] { read.insert(reference.id) }
      for item in section.items {
        switch item {
        case .question(let question):
          collect(question.condition)
          collect(question.constraint)
          for jump in question.jumps { collect(jump.condition) }
          // Each template in turn, without building arrays of them and their references.
          for case .reference(let id, _) in question.prompt.pieces { read.insert(id) }
          for probe in question.probes {
            for case .reference(let id, _) in probe.pieces { read.insert(id) }
          }
          for case .reference(let id, _) in question.hint?.pieces ?? [] { read.insert(id) }
        case .computed(let value): collect(value.expression)
        case .jump(let jump): collect(jump.condition)
        }
      }
    }
    var reported = Set<String>()
    for section in guide.sections {
      for case .computed(let value) in section.items where !read.contains(value.name) {
        guard reported.insert(value.name).inserted else { continue }
        report(
          .unusedComputedValue,
          "computed value '\(value.name)' is never read by a condition or a prompt of this guide; "
            + "remove it, or use it", value.range)
      }
    }
  }

  private mutating func reportAssessmentsWithCustomer() {
    for section in guide.sections where section.part == .customer {
      for question in section.questions where question.isAssessment {
        report(
          .assessmentWithCustomer,
          "assessment '\(question.id)' is in the customer part (section '\(section.title)'); "
            + "assessments are the interviewer's own and belong in an 'after' section",
          question.range)
      }
    }
  }

  // MARK: Conditions

  /// A point in the flow, and whether the question asked there counts as asked.
  private struct Point {
    var node: Int
    /// The question whose own answer is known at this point (for its jumps and constraint).
    var selfID: String?
  }

  private mutating func forEachCondition(
    reachable: [Bool], _ body: (inout FlowAnalyzer, Expression, Point) -> Void
  ) {
    for (s, section) in guide.sections.enumerated() {
      let entry = graph.sectionEntries[s]
      guard reachable[entry] else { continue }
      if let condition = section.condition { body(&self, condition, Point(node: entry)) }
      for (i, item) in section.items.enumerated() {
        let node = graph.itemNodes[s][i]
        guard reachable[node] else { continue }
        switch item {
        case .question(let question):
          if let condition = question.condition { body(&self, condition, Point(node: node)) }
          guard reachable[node + 1] else { continue }
          let after = Point(node: node + 1, selfID: question.id)
          if let constraint = question.constraint { body(&self, constraint, after) }
          for jump in question.jumps {
            if let condition = jump.condition { body(&self, condition, after) }
          }
        case .computed(let value):
          body(&self, value.expression, Point(node: node))
        case .jump(let jump):
          if let condition = jump.condition { body(&self, condition, Point(node: node)) }
        }
      }
    }
  }

  private mutating func forEachTemplate(
    reachable: [Bool], _ body: (inout FlowAnalyzer, [Template.Piece], Point) -> Void
  ) {
    for (s, section) in guide.sections.enumerated() {
      let entry = graph.sectionEntries[s]
      guard reachable[entry] else { continue }
      if let pieces = section.intro?.pieces { body(&self, pieces, Point(node: entry)) }
      for (i, item) in section.items.enumerated() {
        guard case .question(let question) = item else { continue }
        let node = graph.itemNodes[s][i]
        guard reachable[node] else { continue }
        // The pieces of the prompt, probes, then hint: only they are read, so only they are
        // copied, and no array of the templates is built for every question.
        body(&self, question.prompt.pieces, Point(node: node))
        let probes = question.probes
        for index in probes.indices { body(&self, probes[index].pieces, Point(node: node)) }
        if let pieces = question.hint?.pieces { body(&self, pieces, Point(node: node)) }
      }
    }
  }

  /// What is known of a condition before any answer: its value, if fixed, and the references in
  /// it to questions that cannot have been asked yet.
  private struct Decision {
    var value: Bool?
    var missing: [(name: String, range: SourceRange)] = []
  }

  private mutating func decide(_ expression: Expression, at point: Point) -> Decision {
    var missing: [(name: String, range: SourceRange)] = []
    let value = truth(expression, point, &missing)
    return Decision(value: value, missing: missing)
  }

  /// Three-valued: true, false, or nil when it depends on the answers.
  private mutating func truth(
    _ expression: Expression, _ point: Point, _ missing: inout [(name: String, range: SourceRange)]
  ) -> Bool? {
    switch expression.kind {
    case .boolean(let value):
      return value
    case .not(let operand):
      return truth(operand, point, &missing).map { !$0 }
    case .and(let a, let b):
      let x = truth(a, point, &missing)
      let y = truth(b, point, &missing)
      if x == false || y == false { return false }
      if x == true && y == true { return true }
      return nil
    case .or(let a, let b):
      let x = truth(a, point, &missing)
      let y = truth(b, point, &missing)
      if x == true || y == true { return true }
      if x == false && y == false { return false }
      return nil
    case .state(let operand, _, let negated):
      guard case .reference(let name) = operand.kind, isQuestion(name) else { return nil }
      if askable(name, before: point) { return nil }
      missing.append((name, operand.range))
      return negated
    case .reference(let name):
      if askable(name, before: point) { return nil }
      if isQuestion(name) || graph.computedNodes[name] != nil {
        missing.append((name, expression.range))
        return false
      }
      return nil
    case .comparison, .isValue, .isOneOf, .includes, .mentions, .contains, .matches:
      var references: [(String, SourceRange)] = []
      ExpressionWalker.referencesWithRanges(in: expression) { references.append(($0, $1)) }
      // A loop, not `filter`: its closure, calling a mutating method, copied the whole analyzer.
      var absent: [(String, SourceRange)] = []
      for (name, range) in references
      where (isQuestion(name) || graph.computedNodes[name] != nil) && !askable(name, before: point)
      {
        absent.append((name, range))
      }
      if !absent.isEmpty {
        missing.append(contentsOf: absent.map { (name: $0.0, range: $0.1) })
        // A test of a missing answer is false; `is not` is the negation of `is`.
        switch expression.kind {
        case .isValue(_, _, let negated), .isOneOf(_, _, let negated): return negated
        default: return false
        }
      }
      if references.isEmpty && !ExpressionWalker.usesAnswers(expression) {
        return Evaluator(context: NoAnswers()).holds(expression)
      }
      return nil
    default:
      return nil
    }
  }

  private func isQuestion(_ name: String) -> Bool { graph.askedNode[name] != nil }

  /// Whether the question or computed value `name` can have been asked (or set) before `point`.
  private mutating func askable(_ name: String, before point: Point) -> Bool {
    if let asked = graph.askedNode[name] {
      if let selfID = point.selfID, graph.askedNode[selfID] == asked { return true }
      return reach.reaches(asked, point.node)
    }
    if let nodes = graph.computedNodes[name] {
      return nodes.contains { reach.reaches($0, point.node) }
    }
    return true
  }

  private mutating func report(_ code: DiagnosticCode, _ message: String, _ range: SourceRange) {
    diagnostics.append(Diagnostic(code, message, at: range))
  }
}

/// An evaluation context with no answers, for conditions made only of literals.
private struct NoAnswers: EvaluationContext {
  func state(of id: String) -> QuestionState { .unasked }
  func computed(_ name: String) -> Value? { nil }
  func answers(taggedWith tag: String) -> [RecordedAnswer] { [] }
}

/// Walks expressions to find what they refer to.
public enum ExpressionWalker {
  /// Calls `visit` with every question id or computed name `expression` refers to.
  public static func references(in expression: Expression, _ visit: (String) -> Void) {
    referencesWithRanges(in: expression) { name, _ in visit(name) }
  }

  /// Calls `visit` with every reference and its place.
  public static func referencesWithRanges(
    in expression: Expression, _ visit: (String, SourceRange) -> Void
  ) {
    switch expression.kind {
    case .reference(let name):
      visit(name, expression.range)
    case .number, .text, .date, .boolean, .regex, .tag, .word, .dot:
      break
    case .list(let items), .call(_, let items):
      for item in items { referencesWithRanges(in: item, visit) }
    case .not(let a), .negate(let a), .state(let a, _, _):
      referencesWithRanges(in: a, visit)
    case .and(let a, let b), .or(let a, let b), .arithmetic(_, let a, let b),
      .comparison(_, let a, let b), .isValue(let a, let b, _), .isOneOf(let a, let b, _),
      .includes(let a, let b), .mentions(let a, let b, _), .contains(let a, let b),
      .matches(let a, let b):
      referencesWithRanges(in: a, visit)
      referencesWithRanges(in: b, visit)
    }
  }

  /// Whether `expression` depends on answers other than by naming them: tags, or `.`.
  public static func usesAnswers(_ expression: Expression) -> Bool {
    switch expression.kind {
    case .dot, .tag: return true
    case .reference, .number, .text, .date, .boolean, .regex, .word: return false
    case .list(let items), .call(_, let items): return items.contains(where: usesAnswers)
    case .not(let a), .negate(let a), .state(let a, _, _): return usesAnswers(a)
    case .and(let a, let b), .or(let a, let b), .arithmetic(_, let a, let b),
      .comparison(_, let a, let b), .isValue(let a, let b, _), .isOneOf(let a, let b, _),
      .includes(let a, let b), .mentions(let a, let b, _), .contains(let a, let b),
      .matches(let a, let b):
      return usesAnswers(a) || usesAnswers(b)
    }
  }
}
