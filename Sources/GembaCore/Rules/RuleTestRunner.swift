/// Checks and runs rule test files.
public enum RuleTestRunner {
  /// One expectation of one test, or one coverage check, and how it went.
  public struct Check: Sendable {
    public var name: String
    public var passed: Bool
    /// What to show when it failed: the rule's `--why` tree, or the proposals made.
    public var detail: String?
  }

  public struct Report: Sendable {
    public var tests: Int
    public var checks: [Check]
    /// The rules of the tested files that no test makes fire.
    public var unfired: [String]

    public var passed: Int { checks.filter(\.passed).count }
    public var failed: Int { checks.count - passed }
  }

  /// The day tests run on unless they say otherwise, so a test never depends on the clock.
  public static let defaultToday = Day(checkedYear: 2026, month: 11, day: 26)

  /// Problems in `file` against the rules it tests and the guides: unknown rules, questions,
  /// tags and guides.
  public static func check(_ file: RuleTestFile, rules: RuleSet, guides: [RuleGuide])
    -> [Diagnostic]
  {
    var diagnostics: [Diagnostic] = []
    let ruleIDs = rules.rules.map(\.id)
    for test in file.tests {
      guard let guide = resolveGuide(test, in: file, guides: guides, into: &diagnostics) else {
        continue
      }
      let scope = GuideScope(guide.guide)
      let ids = guide.guide.questions.map(\.id)
      for step in test.steps {
        let id: String
        let range: SourceRange
        switch step {
        case .answer(let question, _, let place), .skip(let question, _, let place),
          .probes(let question, _, let place):
          id = question
          range = place
        case .asked:
          continue
        case .tag(let question, let tags, let place):
          id = question
          range = place
          for tag in tags where !scope.knownTags.contains(tag) {
            diagnostics.append(
              Diagnostic(
                .unknownTag,
                "unknown tag '#\(tag)'\(Suggestion.didYouMean(tag, in: scope.knownTags.sorted()))",
                at: place))
          }
        }
        if case .answer = step, FollowUpFacts.isFact(id), guide.guide.question(id) == nil {
          // A follow-up fact is given as a number.
          if case .answer(_, let raw, _) = step, AnswerParser.number(raw) == nil {
            diagnostics.append(
              Diagnostic(
                .unknownQuestion, "the follow-up fact '\(id)' is a number, not '\(raw)'",
                at: range))
          }
        } else if guide.guide.question(id) == nil {
          diagnostics.append(
            Diagnostic(
              .unknownQuestion,
              "guide '\(guide.stem)' has no question '\(id)'\(Suggestion.didYouMean(id, in: ids))",
              at: range, fixIt: Suggestion.closest(to: id, in: ids)))
        }
      }
      for expectation in test.expectations {
        switch expectation {
        case .fires(let rule, let range), .doesNotFire(let rule, let range):
          if rules.rule(rule) == nil {
            diagnostics.append(
              Diagnostic(
                .unknownRule,
                "no rule '\(rule)' in the rules tested\(Suggestion.didYouMean(rule, in: ruleIDs))",
                at: range, fixIt: Suggestion.closest(to: rule, in: ruleIDs)))
          }
        case .proposes, .doesNotPropose:
          break
        }
      }
    }
    var seen = Set<Diagnostic>()
    return diagnostics.filter { seen.insert($0).inserted }
  }

  /// Runs every test of `file` against `rules`; tests that cannot run count as failed.
  public static func run(
    _ file: RuleTestFile, rules: RuleSet, guides: [RuleGuide], width: Int = 80
  ) -> Report {
    var checks: [Check] = []
    var fired: Set<String> = []
    let renderer = ProposalRenderer(width: width)
    for test in file.tests {
      var problems: [Diagnostic] = []
      guard let guide = resolveGuide(test, in: file, guides: guides, into: &problems) else {
        checks.append(
          Check(
            name: "\(test.title): cannot run",
            passed: false, detail: problems.first.map { "  \($0.message)\n" }))
        continue
      }
      let today = test.today ?? file.today ?? defaultToday
      let state = interview(test, guide: guide.guide, today: today)
      let index = GuideIndex(guide.guide, today: today)
      let prepared = rules.prepared(for: index)
      let computed = givenFacts(test, guide: guide.guide, prepared: prepared, state: state)
      let firing = Set(
        prepared.firing(state: state, computed: computed).map { rules.rules[$0].id })
      fired.formUnion(firing)
      let proposals = prepared.propose(state: state, computed: computed)
      for expectation in test.expectations {
        let name = "\(test.title): \(expectation.description)"
        switch expectation {
        case .fires(let rule, _), .doesNotFire(let rule, _):
          let wanted: Bool
          if case .fires = expectation { wanted = true } else { wanted = false }
          let passed = firing.contains(rule) == wanted
          var detail: String?
          if !passed {
            if let explanation = rules.explain(
              rule, state: state, index: index, computed: computed)
            {
              detail = renderer.why(explanation, guide: guide.stem)
            } else {
              detail = "  no rule '\(rule)' in the rules tested\n"
            }
          }
          checks.append(Check(name: name, passed: passed, detail: detail))
        case .proposes(let text, _), .doesNotPropose(let text, _):
          let wanted: Bool
          if case .proposes = expectation { wanted = true } else { wanted = false }
          let found = proposals.contains { TextFolding.contains($0.text, text) }
          let passed = found == wanted
          var detail: String?
          if !passed {
            detail =
              proposals.isEmpty
              ? "  no proposals\n"
              : proposals.map { "  proposed (\($0.rules.joined(separator: ", "))): \($0.text)\n" }
                .joined()
          }
          checks.append(Check(name: name, passed: passed, detail: detail))
        }
      }
    }
    let tested = Set(file.rulePaths.map(Path.normalize))
    var unfired: [String] = []
    for rule in rules.rules where !fired.contains(rule.id) {
      guard let path = rules.file(ofRule: rule.id), tested.contains(Path.normalize(path)) else {
        continue
      }
      unfired.append(rule.id)
      checks.append(
        Check(
          name: "rule '\(rule.id)' fires in some test", passed: false,
          detail: "  no test makes '\(rule.id)' fire; add one that does\n"))
    }
    return Report(tests: file.tests.count, checks: checks, unfired: unfired)
  }

  /// The guide's computed values with the follow-up facts a test gives (`given
  /// promises_overdue: 1`); nil when it gives none.
  static func givenFacts(
    _ test: RuleTest, guide: Guide, prepared: PreparedRules, state: InterviewState
  ) -> [String: Value]? {
    var facts: [String: Value] = [:]
    for step in test.steps {
      if case .answer(let id, let raw, _) = step, FollowUpFacts.isFact(id),
        guide.question(id) == nil, let number = AnswerParser.number(raw)
      {
        facts[id] = .number(number)
      }
    }
    guard !facts.isEmpty else { return nil }
    return prepared.computedValues(state).merging(facts) { _, given in given }
  }

  /// The interview a test describes, as the engine would have recorded it.
  static func interview(_ test: RuleTest, guide: Guide, today: Day) -> InterviewState {
    var state = InterviewState(guide: guide)
    let parser = AnswerParser(today: today)
    let time = "\(today)T00:00:00.000Z"
    for (offset, step) in test.steps.enumerated() {
      switch step {
      case .answer(let id, let raw, _):
        var event = TranscriptEvent(.answer, t: time, ms: offset, q: id)
        event.raw = raw
        if let question = guide.question(id) {
          let reading = parser.read(raw, for: question)
          event.value = reading.value
          event.understood = reading.understood
        }
        state.apply(event)
      case .skip(let id, let reason, _):
        var event = TranscriptEvent(.skip, t: time, ms: offset, q: id)
        event.reason = reason
        state.apply(event)
      case .tag(let id, let tags, _):
        for tag in tags {
          var event = TranscriptEvent(.tag, t: time, ms: offset, q: id)
          event.tag = tag
          state.apply(event)
        }
      case .asked(let text, _):
        var event = TranscriptEvent(.asked, t: time, ms: offset, q: state.current)
        event.text = text
        state.apply(event)
      case .probes(let id, let count, _):
        for index in 0..<count {
          var event = TranscriptEvent(.probe, t: time, ms: offset, q: id)
          event.index = index
          state.apply(event)
        }
      }
    }
    return state
  }

  /// The guide a test runs on: its own `guide:`, the file's, or the only guide there is.
  static func resolveGuide(
    _ test: RuleTest, in file: RuleTestFile, guides: [RuleGuide],
    into diagnostics: inout [Diagnostic]
  ) -> RuleGuide? {
    guard let selector = test.guide ?? file.guide else {
      if guides.count == 1 { return guides[0] }
      diagnostics.append(
        Diagnostic(
          .testWithoutGuide,
          "test '\(test.title)' names no guide; add 'guide:' to it or at the top of the file",
          at: test.range))
      return nil
    }
    if let guide = guides.first(where: {
      RuleChecker.matches(selector, $0, ruleFile: file.path)
    }) {
      return guide
    }
    var unused: [Diagnostic] = []
    _ = RuleChecker.resolve(
      [selector], in: RuleFile(source: file.source), guides: guides, into: &unused)
    diagnostics += unused
    return nil
  }
}
