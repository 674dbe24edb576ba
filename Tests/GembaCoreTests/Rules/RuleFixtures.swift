import Foundation
import GembaTestSupport

@testable import GembaCore

/// The default guides and rules from `scripts/`, as the rule tests use them.
enum RuleFixtures {
  static func read(_ name: String) -> String {
    let url = repositoryRoot().appendingPathComponent("scripts").appendingPathComponent(name)
    return String(decoding: FileManager.default.contents(atPath: url.path) ?? Data(), as: UTF8.self)
  }

  /// Both default guides, by the paths the built-in ones have.
  static let guides: [RuleGuide] = ["customer-purpose", "jtbd-switch"].map { name in
    let path = "\(name).guide"
    let parsed = GuideParser.parse(path: path, text: read(path))
    return RuleGuide(path: path, guide: parsed.guide)
  }

  static func guide(_ name: String) -> Guide {
    guides.first { $0.stem == name }?.guide ?? guides[0].guide
  }

  static let defaultRules: RuleFile = RuleParser.parse(
    path: "next-steps.rules", text: read("next-steps.rules")
  ).file

  /// Rules parsed from `text`; the test fails on none of their diagnostics.
  static func rules(_ text: String, path: String = "test.rules") -> RuleSet {
    RuleSet([RuleParser.parse(path: path, text: text).file])
  }

  /// An interview of `guide` with `answers` given in the customer's words, `skips` skipped.
  static func interview(
    _ guide: Guide, answers: [(String, String)] = [], skips: [String] = [],
    tags: [(String, String)] = [], today: Day = RuleTestRunner.defaultToday
  ) -> InterviewState {
    var test = RuleTest(title: "t", range: SourceRange(path: "t", line: 1, column: 1))
    let here = SourceRange(path: "t", line: 1, column: 1)
    test.steps =
      answers.map { .answer(question: $0.0, raw: $0.1, range: here) }
      + skips.map { .skip(question: $0, reason: nil, range: here) }
      + tags.map { .tag(question: $0.0, tags: [$0.1], range: here) }
    return RuleTestRunner.interview(test, guide: guide, today: today)
  }
}

/// How the diagnostics cases and the examples in docs/diagnostics.md check rule and rule test
/// files: against the default guides, plus a small follow-up guide with a renamed question
/// (`method: follow-up`, file `follow-up.guide`); rule tests against the default rules.
enum RuleCases {
  static let followUp = """
    title: Follow-up
    method: follow-up

    # Last time (before)
    ? promised: What did we promise last time?
    # Debrief (after)
    ? pull_now (assess 0...3): How strong is the pull now?
      was: pull_score
    """

  static let guides: [RuleGuide] =
    RuleFixtures.guides + [
      RuleGuide(
        path: "follow-up.guide",
        guide: GuideParser.parse(path: "follow-up.guide", text: followUp).guide)
    ]

  static func check(rules text: String, path: String) -> [Diagnostic] {
    RuleChecker.parseAndCheck(path: path, text: text, guides: guides).diagnostics
  }

  static func check(test text: String, path: String) -> [Diagnostic] {
    let parsed = RuleTestParser.parse(path: path, text: text)
    let rules = RuleSet([RuleFixtures.defaultRules])
    return parsed.diagnostics + RuleTestRunner.check(parsed.file, rules: rules, guides: guides)
  }
}
