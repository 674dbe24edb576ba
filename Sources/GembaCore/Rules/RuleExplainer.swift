/// Explains rules for one interview: the evidence of a rule that fired, the evaluation tree behind
/// `--why` and `--why-not`, and the action text with the answers put in.
///
/// It walks the condition with ``Evaluator``, the guides' own evaluator; compiled rules give the
/// same answers (the test suite holds them to it), so what is explained is what was evaluated.
struct RuleExplainer {
  let context: InterviewContext
  let index: GuideIndex

  private var evaluator: Evaluator { Evaluator(context: context) }

  // MARK: Text

  /// `template` with each `{id}` replaced by the answer as it reads in a sentence; `<id>` for a
  /// question with no answer, as in guides.
  func render(_ template: Template) -> String {
    template.render { id in
      switch context.state(of: id) {
      case .answered(let answer):
        guard let value = answer.value else { return answer.raw }
        return sentence(value, of: index.question(context.state.currentID(id) ?? id))
      case .skipped, .unasked:
        if let value = context.computed(id) { return sentence(value, of: nil) }
        return "<\(id)>"
      }
    }
  }

  /// When a proposal is due, against the interview's day.
  func render(_ due: DueTemplate) -> String {
    switch due.due {
    case .nextMeeting:
      return "next meeting"
    case .thisMeeting:
      return "before leaving this meeting"
    case .days(let days):
      return "\(Day.fromOrdinal(index.today.ordinal + days)) (\(due.text))"
    case .date(let day):
      return day.description
    case .answer(let id):
      if case .answered(let answer) = context.state(of: id), case .date(let day)? = answer.value {
        return day.description
      }
      return "<\(id)>"
    }
  }

  private func sentence(_ value: Value, of question: Question?) -> String {
    value.sentence(for: question)
  }

  // MARK: Evidence

  /// The conditions of a rule's `when` that made it fire, each with the answers it read. The
  /// truth of each part comes from the compiled condition, on the sheet the rule fired on.
  func evidence(_ node: ConditionNode, sheet: inout AnswerSheet) -> [Evidence] {
    var found: [Evidence] = []
    collect(node, holding: true, sheet: &sheet, into: &found)
    return found
  }

  /// Evidence for `node` having the truth `holding`: for a group or `and` that holds (or an `or`
  /// that fails), every part; otherwise the parts that decided it.
  private func collect(
    _ node: ConditionNode, holding: Bool, sheet: inout AnswerSheet, into found: inout [Evidence]
  ) {
    switch node.shape {
    case .all, .any, .and, .or:
      let isAnd = node.shape == .all || node.shape == .and
      let needsAll = isAnd == holding
      for child in node.children where needsAll || child.test(&sheet) == holding {
        collect(child, holding: holding, sheet: &sheet, into: &found)
      }
    case .not:
      if let child = node.children.first, child.shape != .test {
        collect(child, holding: !holding, sheet: &sheet, into: &found)
      } else if let expression = node.expression {
        found.append(leaf(expression, text: node.text, holding: holding, matched: []))
      }
    case .test:
      guard let expression = node.expression else { return }
      let matched = holding ? node.matchedPhrases(&sheet) : []
      found.append(leaf(expression, text: node.text, holding: holding, matched: matched))
    }
  }

  private func leaf(
    _ expression: Expression, text printed: String, holding: Bool, matched: [String]
  )
    -> Evidence
  {
    var text = printed
    // A long list of words reads better as the words that were found.
    if case .mentions(let subject, _, true) = expression.kind, !matched.isEmpty {
      text =
        ExpressionPrinter.print(subject) + " mentions "
        + matched.map { "\"\($0)\"" }.joined(separator: " and ")
    }
    return Evidence(
      condition: holding ? text : "not (\(text))", answers: quotes(in: expression))
  }

  /// The phrases of a `mentions any of [...]` test that the answer holds, for `--why` trees.
  private func matchedPhrases(_ expression: Expression) -> [String] {
    guard case .mentions(let subject, let list, true) = expression.kind,
      case .list(let items) = list.kind
    else { return [] }
    var text: String?
    if case .reference(let name) = subject.kind {
      if case .answered(let answer) = context.state(of: name) {
        text = answer.raw
      } else if case .text(let computed)? = context.computed(name) {
        text = computed
      }
    }
    guard let text else { return [] }
    let words = TextFolding.words(text)
    return items.compactMap { item in
      guard case .text(let phrase) = item.kind,
        ConditionCompiler.mentions(words, TextFolding.words(phrase))
      else { return nil }
      return phrase
    }
  }

  /// The answers an expression reads: the questions it names, and the answers of its tags.
  func quotes(in expression: Expression) -> [AnswerQuote] {
    var names: [String] = []
    ExpressionWalker.references(in: expression) { name in
      if !names.contains(name) { names.append(name) }
    }
    var quotes = names.map(quote)
    var tags: [String] = []
    collectTags(expression) { tag in if !tags.contains(tag) { tags.append(tag) } }
    for tag in tags { quotes += tagged(tag) }
    return quotes
  }

  private func collectTags(_ expression: Expression, _ visit: (String) -> Void) {
    switch expression.kind {
    case .call(_, let arguments):
      for argument in arguments {
        if case .tag(let tag) = argument.kind { visit(tag) } else { collectTags(argument, visit) }
      }
    case .not(let a), .negate(let a), .state(let a, _, _):
      collectTags(a, visit)
    case .and(let a, let b), .or(let a, let b), .arithmetic(_, let a, let b),
      .comparison(_, let a, let b), .isValue(let a, let b, _), .isOneOf(let a, let b, _),
      .includes(let a, let b), .mentions(let a, let b, _), .contains(let a, let b),
      .matches(let a, let b):
      collectTags(a, visit)
      collectTags(b, visit)
    case .list(let items):
      for item in items { collectTags(item, visit) }
    default:
      break
    }
  }

  /// One question's answer as evidence.
  func quote(_ id: String) -> AnswerQuote {
    switch context.state(of: id) {
    case .answered(let answer):
      guard let value = answer.value else {
        return AnswerQuote(question: id, state: .notUnderstood, raw: answer.raw)
      }
      if case .text = value {
        return AnswerQuote(question: id, state: .answered, raw: answer.raw)
      }
      return AnswerQuote(question: id, state: .answered, raw: answer.raw, value: plain(value))
    case .skipped:
      return AnswerQuote(question: id, state: .skipped)
    case .unasked:
      if let value = context.computed(id) {
        return AnswerQuote(question: id, state: .computed, value: plain(value))
      }
      return AnswerQuote(question: id, state: .notAsked)
    }
  }

  /// The answered questions that carry `tag`, in guide order.
  private func tagged(_ tag: String) -> [AnswerQuote] {
    var quotes: [AnswerQuote] = []
    for section in index.guide.sections {
      for case .question(let question) in section.items {
        let own = index.tags[question.id] ?? []
        let live = context.state.liveTags[question.id] ?? []
        guard own.contains(tag) || live.contains(tag),
          case .answered = context.state(of: question.id)
        else { continue }
        var found = quote(question.id)
        found.tag = tag
        quotes.append(found)
      }
    }
    return quotes
  }

  /// A value as conditions name it: a choice by its option value, yes/no, a plain number.
  private func plain(_ value: Value) -> String {
    switch value {
    case .text(let text): return "\"\(text)\""
    case .number(let number): return format(number)
    case .boolean(let flag): return flag ? "yes" : "no"
    case .date(let day): return day.description
    case .choice(let choice): return choice
    case .choices(let choices): return "[" + choices.joined(separator: ", ") + "]"
    }
  }

  // MARK: Trees

  func explain(_ rule: Rule, applies: Bool, fired: Bool, appliesTo: [String]) -> RuleExplanation {
    RuleExplanation(
      rule: rule.id, title: rule.title, phase: rule.phaseLabel, priority: rule.priority,
      applies: applies, appliesTo: appliesTo, fired: fired, when: rule.when.map(node),
      unless: rule.unless.map(node))
  }

  func holds(_ condition: Condition) -> Bool {
    switch condition {
    case .test(let expression): evaluator.holds(expression)
    case .all(let items, _): items.allSatisfy(holds)
    case .any(let items, _): items.contains(where: holds)
    }
  }

  private func node(_ condition: Condition) -> ExplanationNode {
    switch condition {
    case .test(let expression):
      return node(expression)
    case .all(let items, _):
      let children = items.map(node)
      return ExplanationNode(
        kind: .all, text: "all of", value: children.allSatisfy(\.value), seen: [],
        children: children)
    case .any(let items, _):
      let children = items.map(node)
      return ExplanationNode(
        kind: .any, text: "any of", value: children.contains(where: \.value), seen: [],
        children: children)
    }
  }

  private func node(_ expression: Expression) -> ExplanationNode {
    let text = ExpressionPrinter.print(expression)
    switch expression.kind {
    case .and, .or:
      let isAnd: Bool
      if case .and = expression.kind { isAnd = true } else { isAnd = false }
      let children = chain(expression, isAnd: isAnd).map(node)
      return ExplanationNode(
        kind: isAnd ? .all : .any, text: text, value: evaluator.holds(expression), seen: [],
        children: children)
    case .not(let operand):
      return ExplanationNode(
        kind: .not, text: text, value: evaluator.holds(expression), seen: [],
        children: [node(operand)])
    default:
      return ExplanationNode(
        kind: .test, text: text, value: evaluator.holds(expression), seen: seen(expression),
        children: [])
    }
  }

  /// `a and b and c` as its three parts.
  private func chain(_ expression: Expression, isAnd: Bool) -> [Expression] {
    switch expression.kind {
    case .and(let a, let b) where isAnd:
      return chain(a, isAnd: true) + chain(b, isAnd: true)
    case .or(let a, let b) where !isAnd:
      return chain(a, isAnd: false) + chain(b, isAnd: false)
    default:
      return [expression]
    }
  }

  /// What a test saw: the answers it names, and the value of each computed side.
  private func seen(_ expression: Expression) -> [String] {
    var out = quotes(in: expression).map(\.summary)
    if case .mentions(_, _, true) = expression.kind {
      let found = matchedPhrases(expression).map { "\"\($0)\"" }
      out.append(
        found.isEmpty ? "none of the words found" : "found " + found.joined(separator: ", "))
    }
    var sides: [Expression] = []
    switch expression.kind {
    case .comparison(_, let a, let b), .isValue(let a, let b, _):
      sides = [a, b]
    case .isOneOf(let a, _, _), .includes(let a, _), .mentions(let a, _, _), .contains(let a, _),
      .matches(let a, _):
      sides = [a]
    case .call:
      sides = [expression]
    default:
      break
    }
    for side in sides {
      switch side.kind {
      case .arithmetic, .negate, .call:
        let shown = evaluator.value(of: side).map(plain) ?? "no value"
        out.append("\(ExpressionPrinter.print(side)) = \(shown)")
      default:
        break
      }
    }
    return out
  }
}
