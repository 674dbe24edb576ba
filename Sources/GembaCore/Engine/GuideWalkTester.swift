/// Walks a guide many times with made-up answers, the way ChoiceScript's quicktest does: every
/// option of every choice and both sides of every condition should be taken at least once, every
/// question reached, and every walk should reach the end.
public struct GuideWalkTester {
  /// One check and how it went.
  public struct Check: Sendable, Equatable {
    public var name: String
    public var passed: Bool
    public var detail: String?
  }

  public struct Report: Sendable {
    public var checks: [Check]
    public var walks: Int
    public var randomWalks: Int

    public var passed: Int { checks.filter(\.passed).count }
    public var failed: Int { checks.count - passed }
  }

  private let guide: Guide
  private let today = Day(checkedYear: 2026, month: 11, day: 26)
  private var generator: SeededRandom
  private var phrases: [String] = []

  /// Walks `guide`: guided walks until coverage stops growing (at most `maximumWalks`), then
  /// `randomWalks` walks with seeded random answers.
  public static func run(
    _ guide: Guide, seed: UInt64 = 1, maximumWalks: Int = 300, randomWalks: Int = 20
  ) -> Report {
    var tester = GuideWalkTester(guide: guide, seed: seed)
    return tester.run(maximumWalks: maximumWalks, randomWalks: randomWalks)
  }

  private init(guide: Guide, seed: UInt64) {
    self.guide = guide
    self.generator = SeededRandom(seed: seed)
    // Words the guide's own conditions look for, so text answers can make them true.
    var phrases: Set<String> = []
    func collect(_ expression: Expression?) {
      guard let expression else { return }
      Self.literals(in: expression) { phrases.insert($0) }
    }
    for section in guide.sections {
      collect(section.condition)
      for item in section.items {
        switch item {
        case .question(let question):
          collect(question.condition)
          for jump in question.jumps { collect(jump.condition) }
        case .computed(let value): collect(value.expression)
        case .jump(let jump): collect(jump.condition)
        }
      }
    }
    self.phrases = phrases.sorted()
  }

  private struct Coverage {
    var reached: Set<String> = []
    var options: Set<String> = []
    var conditions: [SourceRange: Set<Bool>] = [:]

    var size: Int { reached.count + options.count + conditions.values.reduce(0) { $0 + $1.count } }
  }

  private mutating func run(maximumWalks: Int, randomWalks: Int) -> Report {
    var coverage = Coverage()
    var stuck: [String] = []
    var walks = 0
    var quiet = 0
    while walks < maximumWalks && quiet < 25 {
      let before = coverage.size
      if let problem = walk(guided: true, coverage: &coverage) { stuck.append(problem) }
      walks += 1
      quiet = coverage.size > before ? 0 : quiet + 1
    }
    for _ in 0..<randomWalks {
      if let problem = walk(guided: false, coverage: &coverage) { stuck.append(problem) }
    }
    return Report(
      checks: checks(coverage, stuck: stuck, walks: walks + randomWalks), walks: walks,
      randomWalks: randomWalks)
  }

  private func checks(_ coverage: Coverage, stuck: [String], walks: Int) -> [Check] {
    var checks: [Check] = []
    checks.append(
      Check(
        name: "all \(walks) walks reach the end", passed: stuck.isEmpty,
        detail: stuck.isEmpty ? nil : stuck.prefix(3).joined(separator: "; ")))
    for question in guide.questions {
      let reached = coverage.reached.contains(question.id)
      checks.append(
        Check(
          name: "question '\(question.id)' is asked", passed: reached,
          detail: reached ? nil : "no walk reached it (\(place(question.range)))"))
      for option in question.options {
        let taken = coverage.options.contains("\(question.id)=\(option.value)")
        checks.append(
          Check(
            name: "option '\(option.value)' of '\(question.id)' is taken", passed: taken,
            detail: taken ? nil : "no walk could choose it (\(place(option.range)))"))
      }
    }
    for (range, text) in conditions() {
      let seen = coverage.conditions[range] ?? []
      for side in [true, false] {
        checks.append(
          Check(
            name: "condition '\(text)' (\(place(range))) is \(side)", passed: seen.contains(side),
            detail: seen.contains(side) ? nil : "no walk made it \(side)"))
      }
    }
    return checks
  }

  /// Every condition the flow decides, with its place and source text.
  private func conditions() -> [(SourceRange, String)] {
    var result: [(SourceRange, String)] = []
    func add(_ expression: Expression?) {
      guard let expression else { return }
      result.append((expression.range, ExpressionPrinter.print(expression)))
    }
    for section in guide.sections {
      add(section.condition)
      for item in section.items {
        switch item {
        case .question(let question):
          add(question.condition)
          for jump in question.jumps { add(jump.condition) }
        case .computed: break
        case .jump(let jump): add(jump.condition)
        }
      }
    }
    return result
  }

  private func place(_ range: SourceRange) -> String {
    "\(range.start.path):\(range.start.line):\(range.start.column)"
  }

  /// One walk from the first question to the end; a description of the problem if it got stuck.
  private mutating func walk(guided: Bool, coverage: inout Coverage) -> String? {
    var session = InterviewSession(guide: guide, today: today)
    let trace = ConditionTrace()
    session.startTracing(trace)
    var steps = 0
    let limit = guide.questions.count * 4 + 20
    var clock = 0
    var ended = false
    while !session.isFinished {
      steps += 1
      if steps > limit { break }
      clock += 1
      let moment = Moment(t: "2026-11-26T00:00:00.000Z", ms: clock)
      _ = session.presentNext(at: moment)
      guard let id = session.current, let question = guide.question(id) else {
        // Nothing open: the flow asked to confirm the end (required questions left open).
        _ = session.handle(":end", at: moment)
        ended = true
        continue
      }
      coverage.reached.insert(id)
      let line = answer(for: question, guided: guided, coverage: coverage)
      if case .choice = question.kind,
        let option = AnswerParser(today: today).option(line, in: question.options)
      {
        coverage.options.insert("\(id)=\(option.value)")
      }
      if case .choices = question.kind,
        case .choices(let values)? = AnswerParser(today: today).read(line, for: question).value
      {
        for value in values { coverage.options.insert("\(id)=\(value)") }
      }
      _ = session.handle(line, at: moment)
    }
    for (range, sides) in trace.outcomes {
      coverage.conditions[range, default: []].formUnion(sides)
    }
    if !session.isFinished {
      return "a walk did not finish after \(limit) steps (last at '\(session.current ?? "-")')"
        + (ended ? "" : "")
    }
    return nil
  }

  private mutating func answer(for question: Question, guided: Bool, coverage: Coverage) -> String {
    if generator.chance(0.1) { return ":skip" }
    switch question.kind {
    case .choice:
      let untaken = question.options.filter {
        !coverage.options.contains("\(question.id)=\($0.value)")
      }
      let pool = guided && !untaken.isEmpty ? untaken : question.options
      return generator.pick(pool)?.value ?? ":skip"
    case .choices:
      let untaken = question.options.filter {
        !coverage.options.contains("\(question.id)=\($0.value)")
      }
      let pool = guided && !untaken.isEmpty ? untaken : question.options
      let count = max(1, generator.below(min(pool.count, 3) + 1))
      var picked: [String] = []
      for _ in 0..<count {
        if let option = generator.pick(pool), !picked.contains(option.value) {
          picked.append(option.value)
        }
      }
      return picked.joined(separator: ", ")
    case .scale(let bounds), .number(let bounds, _):
      let low = bounds.low ?? 0
      let high = bounds.high ?? max(low + 100, 100)
      let candidates = [low, high, (low + high) / 2, low + 1, high - 1].map { $0.rounded() }
      return format(generator.pick(candidates) ?? low)
    case .yesNo:
      return generator.chance(0.5) ? "yes" : "no"
    case .date:
      return generator.pick(["today", "2026-01-15", "2025-06-01", "2027-03-31"]) ?? "today"
    case .text:
      if !phrases.isEmpty, generator.chance(0.5), let phrase = generator.pick(phrases) {
        return "they said \(phrase), more or less"
      }
      return generator.pick(["a specific story", "I don't know", "usually it works"]) ?? "x"
    }
  }

  private static func literals(in expression: Expression, _ visit: (String) -> Void) {
    switch expression.kind {
    case .text(let text): visit(text)
    case .list(let items), .call(_, let items):
      for item in items { literals(in: item, visit) }
    case .not(let a), .negate(let a), .state(let a, _, _):
      literals(in: a, visit)
    case .and(let a, let b), .or(let a, let b), .arithmetic(_, let a, let b),
      .comparison(_, let a, let b), .isValue(let a, let b, _), .isOneOf(let a, let b, _),
      .includes(let a, let b), .mentions(let a, let b, _), .contains(let a, let b),
      .matches(let a, let b):
      literals(in: a, visit)
      literals(in: b, visit)
    default:
      break
    }
  }
}
