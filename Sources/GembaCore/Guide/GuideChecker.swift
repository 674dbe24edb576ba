/// Checks a parsed guide as a whole: names, references, types and structure.
///
/// Parsing reports what is wrong on a line; checking reports what is wrong between lines:
/// duplicate ids, jumps to sections that do not exist, expressions that name unknown questions or
/// compare a scale with text.
public struct GuideChecker {
  /// Every diagnostic for `guide`, parse diagnostics not included.
  public static func check(_ guide: Guide) -> [Diagnostic] {
    var checker = GuideChecker(guide: guide)
    checker.run()
    return checker.diagnostics
  }

  /// Parses and checks in one step; when there are no errors, the flow of the whole guide is
  /// analysed too (``FlowAnalyzer``).
  public static func parseAndCheck(
    path: String, text: String, loader: any SourceLoader = InMemorySourceLoader([:])
  ) -> (guide: Guide, diagnostics: [Diagnostic]) {
    let parsed = GuideParser.parse(path: path, text: text, loader: loader)
    var diagnostics = parsed.diagnostics + check(parsed.guide)
    if !diagnostics.hasErrors {
      diagnostics += FlowAnalyzer.analyze(parsed.guide).diagnostics
    }
    return (parsed.guide, diagnostics)
  }

  private let guide: Guide
  private let scope: GuideScope
  /// The scope boxed once for ExpressionChecker: boxing it for every expression allocated.
  private let expressionScope: any ExpressionScope
  /// What `Guide.section(named:)` matches, as a set: a guide has a jump for every few questions.
  private let sectionSlugs: Set<String>
  private var diagnostics: [Diagnostic] = []

  private init(guide: Guide) {
    self.guide = guide
    self.scope = GuideScope(guide)
    self.expressionScope = scope
    self.sectionSlugs = Set(guide.sections.map(\.slug))
  }

  private mutating func run() {
    checkHeader()
    checkSections()
    checkQuestionIds()
    checkComputedNames()
    for section in guide.sections {
      if let condition = section.condition { checkExpression(condition, role: .condition) }
      if let intro = section.intro { checkTemplate(intro.pieces) }
      for item in section.items {
        switch item {
        case .question(let question): checkQuestion(question)
        case .computed(let value): checkExpression(value.expression, role: .value)
        case .jump(let jump): checkJump(jump)
        }
      }
    }
  }

  private mutating func checkHeader() {
    guard let root = guide.files.first else { return }
    if guide.header.title == nil {
      report(
        .missingTitle, "guide has no title; add 'title: …' as its first line",
        SourceRange(path: root.path, line: 1, column: 1))
    }
  }

  private mutating func checkSections() {
    guard let root = guide.files.first else { return }
    if guide.questions.isEmpty && !guide.sections.contains(where: \.hasParseErrors) {
      report(
        .noQuestions,
        "guide has no questions; add a section ('# Title') and a question ('? id: prompt')",
        SourceRange(path: root.path, line: 1, column: 1))
    }
    var seen: [String: Section] = [:]
    var latestPart = Part.before
    var latestSection: Section?
    for section in guide.sections {
      if let first = seen[section.slug] {
        report(
          .duplicateSection, "section '\(section.title)' is already defined; give it another title",
          section.range, notes: [.init("first defined here", at: first.range)])
      } else {
        seen[section.slug] = section
      }
      if section.slug == "end" {
        report(
          .duplicateSection, "'end' is reserved for '-> end'; give the section another title",
          section.range)
      }
      if section.part < latestPart, let latestSection {
        report(
          .partsOutOfOrder,
          "'\(section.part.rawValue)' section '\(section.title)' comes after '\(latestPart.rawValue)' "
            + "section '\(latestSection.title)'; the parts run before, customer, after",
          section.range)
      } else {
        latestPart = section.part
        latestSection = section
      }
      if section.questions.isEmpty && !section.hasParseErrors {
        report(
          .emptySection,
          "section '\(section.title)' has no questions; add one or remove the section",
          section.range)
      }
    }
  }

  private mutating func checkQuestionIds() {
    let questions = guide.questions
    var ids: [String: Question] = [:]
    ids.reserveCapacity(questions.count)
    for question in questions {
      if let first = ids[question.id] {
        report(
          .duplicateQuestion,
          "question id '\(question.id)' is already used; ids are unique across the guide and its includes",
          question.range, notes: [.init("first used here", at: first.range)])
      } else {
        ids[question.id] = question
      }
      var values: [String: ChoiceOption] = [:]
      values.reserveCapacity(question.options.count)
      for option in question.options {
        if let first = values[option.value] {
          report(
            .duplicateOption, "option '\(option.value)' is listed twice under '\(question.id)'",
            option.range, notes: [.init("first listed here", at: first.range)])
        } else {
          values[option.value] = option
        }
      }
    }
    var earlier: [String: Question] = [:]
    for question in questions {
      for old in question.was {
        if let current = ids[old.id] {
          report(
            .wasClash,
            "'\(old.id)' is listed as an earlier id of '\(question.id)' but is the id of another question",
            old.range, notes: [.init("'\(old.id)' is used here", at: current.range)])
        } else if let other = earlier[old.id], other.id != question.id {
          report(
            .wasClash,
            "'\(old.id)' is listed as an earlier id of both '\(other.id)' and '\(question.id)'; keep it on one",
            old.range)
        } else {
          earlier[old.id] = question
        }
      }
    }
  }

  private mutating func checkComputedNames() {
    for section in guide.sections {
      for case .computed(let value) in section.items {
        if let question = scope.question(value.name) {
          report(
            .computedNameClash,
            "'\(value.name)' is a question id; name the computed value differently",
            value.range, notes: [.init("the question", at: question.range)])
        } else if let renamed = scope.renamedQuestion(value.name) {
          report(
            .computedNameClash,
            "'\(value.name)' is an earlier id of question '\(renamed)'; name the computed value differently",
            value.range)
        }
      }
    }
  }

  private mutating func checkQuestion(_ question: Question) {
    // Only the pieces are read, so only they are copied, not each template's text.
    checkTemplate(question.prompt.pieces)
    if let pieces = question.hint?.pieces { checkTemplate(pieces) }
    let probes = question.probes
    for index in probes.indices { checkTemplate(probes[index].pieces) }
    for tag in question.tags where !scope.knownTags.contains(tag.name) {
      report(
        .unknownTag,
        "unknown tag '\(tag.name)'\(Suggestion.didYouMean(tag.name, in: scope.knownTags.sorted())) "
          + "(a new tag is declared in the header's 'tags:' line)",
        tag.range, fixIt: Suggestion.closest(to: tag.name, in: scope.knownTags))
    }
    if let condition = question.condition { checkExpression(condition, role: .condition) }
    if let constraint = question.constraint {
      checkExpression(constraint, role: .constraint(question))
    } else if question.constraintMessage != nil {
      report(
        .messageWithoutConstraint,
        "'message:' under '\(question.id)' has no 'constraint:' to go with it", question.range)
    }
    if question.labels != nil {
      if case .scale = question.kind {
      } else {
        report(
          .labelsWithoutScale,
          "'labels:' under '\(question.id)' has no effect: it is not a scale; add 'scale 1...5' or 'assess 0...3'",
          question.range)
      }
    }
    for option in question.options {
      if let jump = option.jump { checkJump(jump) }
    }
    for jump in question.jumps { checkJump(jump) }
  }

  private mutating func checkJump(_ jump: Jump) {
    if let condition = jump.condition { checkExpression(condition, role: .condition) }
    if jump.isEnd || sectionSlugs.contains(Section.slug(jump.target)) { return }
    let titles = guide.sections.map(\.title)
    report(
      .unknownSection,
      "jump to unknown section '\(jump.target)'\(Suggestion.didYouMean(jump.target, in: titles + ["end"]))",
      jump.targetRange, fixIt: Suggestion.closest(to: jump.target, in: titles))
  }

  /// Checks the references among a template's pieces.
  private mutating func checkTemplate(_ pieces: [Template.Piece]) {
    // Straight from the pieces: `references` builds an array for every prompt, hint and probe.
    for case .reference(let id, let range) in pieces {
      if scope.question(id) != nil || scope.computedType(id) != nil { continue }
      if let renamed = scope.renamedQuestion(id) {
        report(
          .unknownQuestion, "'{\(id)}' names an earlier id of '\(renamed)'; write '{\(renamed)}'",
          range, fixIt: renamed)
        continue
      }
      report(
        .unknownQuestion,
        "'{\(id)}' names no question or computed value\(Suggestion.didYouMean(id, in: scope.allNames))",
        range, fixIt: Suggestion.closest(to: id, in: scope.allNames))
    }
  }

  private mutating func checkExpression(_ expression: Expression, role: ExpressionChecker.Role) {
    let (_, found) = ExpressionChecker.check(expression, role: role, scope: expressionScope)
    diagnostics.append(contentsOf: found)
  }

  private mutating func report(
    _ code: DiagnosticCode, _ message: String, _ range: SourceRange, notes: [Diagnostic.Note] = [],
    fixIt: String? = nil
  ) {
    diagnostics.append(Diagnostic(code, message, at: range, notes: notes, fixIt: fixIt))
  }
}

/// The names a guide defines, for checking its expressions.
public struct GuideScope: ExpressionScope {
  private var questions: [String: Question] = [:]
  private var renamed: [String: String] = [:]
  private var computed: [String: Expression] = [:]
  public let knownTags: Set<String>
  public let allNames: [String]

  public init(_ guide: Guide) {
    var names: [String] = []
    let all = guide.questions
    questions.reserveCapacity(all.count)
    for question in all {
      if questions[question.id] == nil { questions[question.id] = question }
      names.append(question.id)
      for old in question.was where renamed[old.id] == nil { renamed[old.id] = question.id }
    }
    for section in guide.sections {
      for case .computed(let value) in section.items where computed[value.name] == nil {
        computed[value.name] = value.expression
        names.append(value.name)
      }
    }
    allNames = names
    knownTags = Set(BuiltInTags.all).union(guide.header.declaredTags)
  }

  public func question(_ id: String) -> Question? { questions[id] }

  public func renamedQuestion(_ id: String) -> String? {
    questions[id] == nil ? renamed[id] : nil
  }

  public func computedType(_ name: String) -> ValueType? {
    guard questions[name] == nil, let expression = computed[name] else { return nil }
    return inferType(expression, visiting: [name])
  }

  /// The type of a computed value's expression without reporting anything; cycles are unknown.
  private func inferType(_ expression: Expression, visiting: Set<String>) -> ValueType {
    switch expression.kind {
    case .number, .negate, .arithmetic: return .number
    case .text: return .text
    case .date: return .date
    case .boolean, .not, .and, .or, .comparison, .state, .isValue, .isOneOf, .includes, .mentions,
      .contains, .matches:
      return .boolean
    case .list: return .list(nil)
    case .tag: return .tag
    case .regex: return .regex
    case .word, .dot: return .unknown
    case .reference(let name):
      if let question = questions[name] { return ValueType.of(question.kind, question: name) }
      if let renamedID = renamed[name], let question = questions[renamedID] {
        return ValueType.of(question.kind, question: renamedID)
      }
      if let other = computed[name], !visiting.contains(name) {
        return inferType(other, visiting: visiting.union([name]))
      }
      return .unknown
    case .call(let name, _):
      if name == "asked" || name == "asked_before" { return .text }
      return name == "tagged" ? .boolean : .number
    }
  }
}
