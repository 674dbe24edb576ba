/// Checks rule files against the guides they apply to.
///
/// Parsing reports what is wrong on a line; checking reports what is wrong between a rule and
/// the guides: questions no guide asks ("did you mean"), renamed questions (the rule still works,
/// and is told the new id), choice values a question lacks, regular expressions that do not
/// compile, interpolations of unknown answers, duplicate rule ids, and conditions that can never
/// be true where that can be seen.
public enum RuleChecker {
  /// Parses and checks one rule file.
  public static func parseAndCheck(path: String, text: String, guides: [RuleGuide]) -> (
    file: RuleFile, diagnostics: [Diagnostic]
  ) {
    let parsed = RuleParser.parse(path: path, text: text)
    let found = check([parsed.file], guides: guides)
    return (parsed.file, parsed.diagnostics + found)
  }

  /// Checks rule files that are used together: rule ids are unique across all of them.
  public static func check(_ files: [RuleFile], guides: [RuleGuide]) -> [Diagnostic] {
    var diagnostics: [Diagnostic] = []
    var firstRule: [String: Rule] = [:]
    var scopes: [[String]: RuleScope] = [:]
    for file in files {
      let fileGuides = resolve(file.appliesTo, in: file, guides: guides, into: &diagnostics)
      for rule in file.rules {
        if let first = firstRule[rule.id] {
          diagnostics.append(
            Diagnostic(
              .duplicateRule,
              "rule id '\(rule.id)' is already used; rule ids are unique across the rule files "
                + "used together", at: rule.idRange,
              notes: [.init("first used here", at: first.idRange)]))
        } else {
          firstRule[rule.id] = rule
        }
        var applicable = fileGuides
        if let own = rule.appliesTo {
          applicable = resolve(own, in: file, guides: guides, into: &diagnostics)
        }
        // A rule whose guides are all unknown was reported already; checking its names against
        // nothing would bury that one message under many.
        if let selectors = rule.appliesTo ?? (file.appliesTo.isEmpty ? nil : file.appliesTo),
          !selectors.isEmpty, applicable.isEmpty
        {
          continue
        }
        // Rules that apply to the same guides share one scope: building it reads every question
        // of those guides, which for a large guide costs more than checking the rule.
        let scopeKey = applicable.map(\.path)
        let scope = scopes[scopeKey] ?? RuleScope(applicable)
        scopes[scopeKey] = scope
        var checker = OneRule(rule: rule, scope: scope)
        checker.run()
        diagnostics += checker.diagnostics
      }
    }
    var seen = Set<Diagnostic>()
    return diagnostics.filter { seen.insert($0).inserted }
  }

  /// The guides `selectors` name (every guide when there are none); unknown names are reported.
  static func resolve(
    _ selectors: [GuideSelector], in file: RuleFile, guides: [RuleGuide],
    into diagnostics: inout [Diagnostic]
  ) -> [RuleGuide] {
    guard !selectors.isEmpty else { return guides }
    var chosen: [RuleGuide] = []
    for selector in selectors {
      let matching = guides.filter { matches(selector, $0, ruleFile: file.path) }
      if matching.isEmpty {
        var names = guides.compactMap(\.method) + guides.map(\.stem)
        names = names.reduce(into: []) { list, name in if !list.contains(name) { list.append(name) }
        }
        let listed = names.map { "'\($0)'" }.joined(separator: ", ")
        diagnostics.append(
          Diagnostic(
            .unknownGuide,
            "no guide has the method or file name '\(selector.name)'"
              + "\(Suggestion.didYouMean(selector.name, in: names))"
              + (names.isEmpty ? "" : " (known: \(listed))"), at: selector.range,
            fixIt: Suggestion.closest(to: selector.name, in: names)))
      }
      for guide in matching where !chosen.contains(where: { $0.path == guide.path }) {
        chosen.append(guide)
      }
    }
    return chosen
  }

  /// Whether `selector` names `guide`: its method, its file name, or its path from the rule file.
  static func matches(_ selector: GuideSelector, _ guide: RuleGuide, ruleFile: String) -> Bool {
    if selector.matches(method: guide.method, path: guide.path) { return true }
    if selector.name.contains("/") {
      return Path.resolve(selector.name, relativeTo: ruleFile) == Path.normalize(guide.path)
    }
    return false
  }
}

/// The checks of one rule against its scope.
private struct OneRule {
  let rule: Rule
  let scope: RuleScope
  var diagnostics: [Diagnostic] = []

  init(rule: Rule, scope: RuleScope) {
    self.rule = rule
    self.scope = scope
  }

  mutating func run() {
    var conditions: [Condition] = rule.unless
    if let when = rule.when { conditions.insert(when, at: 0) }
    for expression in conditions.flatMap(\.expressions) {
      let (_, found) = ExpressionChecker.check(expression, role: .condition, scope: scope)
      diagnostics += found
      ExpressionWalker.referencesWithRanges(in: expression) { name, range in
        reportRename(name, range)
      }
    }
    if let action = rule.action { checkTemplate(action) }
    if let owner = rule.owner { checkTemplate(owner) }
    if let due = rule.due, case .answer(let id) = due.due { checkDueAnswer(id, due.range) }
    if !diagnostics.hasErrors, let reason = RuleSatisfiability.neverFires(rule, scope: scope) {
      diagnostics.append(
        Diagnostic(
          .ruleNeverFires, "rule '\(rule.id)' can never fire: \(reason)",
          at: rule.when?.range ?? rule.idRange))
    }
  }

  private mutating func reportRename(_ name: String, _ range: SourceRange) {
    guard let current = scope.currentID(ofRenamed: name) else { return }
    diagnostics.append(
      Diagnostic(
        .renamedQuestion,
        "'\(name)' is now called '\(current)'; the rule follows the rename, but write "
          + "'\(current)' so it reads like the guide", at: range, fixIt: current))
  }

  private mutating func checkTemplate(_ template: Template) {
    for (id, range) in template.references {
      if scope.currentID(ofRenamed: id) != nil {
        reportRename(id, range)
        continue
      }
      if scope.question(id) != nil || scope.computedType(id) != nil { continue }
      diagnostics.append(
        Diagnostic(
          .unknownQuestion,
          "'{\(id)}' names no question or computed value of the guides the rule applies to"
            + "\(Suggestion.didYouMean(id, in: scope.allNames))", at: range,
          fixIt: Suggestion.closest(to: id, in: scope.allNames)))
    }
  }

  private mutating func checkDueAnswer(_ id: String, _ range: SourceRange) {
    guard let question = scope.question(id) else {
      diagnostics.append(
        Diagnostic(
          .badDue,
          "'due: {\(id)}' names no question of the guides the rule applies to"
            + "\(Suggestion.didYouMean(id, in: scope.allNames))", at: range,
          fixIt: Suggestion.closest(to: id, in: scope.allNames)))
      return
    }
    if question.kind != .date {
      diagnostics.append(
        Diagnostic(
          .badDue, "'due: {\(id)}' needs a date question, but '\(id)' is \(question.kind.name)",
          at: range))
    } else {
      reportRename(id, range)
    }
  }
}
