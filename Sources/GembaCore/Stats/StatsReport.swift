/// Views across many interviews: what is asked, answered and skipped, which tags, rules and
/// coaching flags come up, what came of the interviews, per guide version and per interviewer.
///
/// Interviewers each get their own trend over time, in alphabetical order: never a ranking or a
/// comparison, since targets on people get gamed (METHOD.md §5).
public struct StatsReport: Sendable, Equatable, Codable {
  /// A rule or a coaching flag, by id, with its title.
  public struct RuleName: Sendable, Equatable, Codable {
    public var id: String
    public var title: String

    public init(id: String, title: String) {
      self.id = id
      self.title = title
    }
  }

  public struct QuestionStats: Sendable, Equatable, Codable {
    public var guide: String
    /// The first 8 characters of the guide's SHA-256, as in ``GuideStats/sha``.
    public var sha: String
    public var section: String
    public var q: String
    public var question: String
    /// Interviews of this guide: how often the question could have come up.
    public var interviews: Int
    public var answered: Int
    /// Answered in passing.
    public var covered: Int
    public var skipped: Int
    /// Median seconds spent on it, over the interviews that answered it.
    public var medianSeconds: Double?
    public var probes: Int
    public var edited: Int
  }

  public struct Count: Sendable, Equatable, Codable {
    public var name: String
    public var count: Int
  }

  public struct RuleStats: Sendable, Equatable, Codable {
    public var id: String
    public var title: String
    /// Interviews it fired for.
    public var fired: Int
  }

  /// One month of coaching flags: how many interviews, and how many raised each flag.
  public struct FlagMonth: Sendable, Equatable, Codable {
    public var month: String
    public var interviews: Int
    public var flags: [Count]
  }

  /// The interviews with one outcome, and what was asked in them.
  public struct OutcomeStats: Sendable, Equatable, Codable {
    public var outcome: String
    public var interviews: Int
    /// Per question, how many of these interviews answered it (or covered it).
    public var answered: [Count]
    public var flags: [Count]
    public var rules: [Count]
  }

  public struct GuideStats: Sendable, Equatable, Codable {
    public var title: String
    public var version: String?
    /// The first 8 characters of the guide's SHA-256: two edits of one version differ here.
    public var sha: String
    public var interviews: Int
    public var finished: Int
    public var answered: Int
    public var skipped: Int
    public var medianMinutes: Double
  }

  /// One interviewer's month.
  public struct InterviewerMonth: Sendable, Equatable, Codable {
    public var month: String
    public var interviews: Int
    public var answeredPerInterview: Double
    public var skippedPerInterview: Double
    public var probesPerInterview: Double
    public var flagsPerInterview: Double
  }

  public struct InterviewerTrend: Sendable, Equatable, Codable {
    public var interviewer: String
    public var months: [InterviewerMonth]
  }

  public var interviews: Int
  public var finished: Int
  public var first: String?
  public var last: String?
  public var questions: [QuestionStats]
  public var skipReasons: [Count]
  public var tags: [Count]
  public var rules: [RuleStats]
  /// Whether coaching flags were looked for (a coaching rule file was found).
  public var flagsChecked: Bool
  public var flags: [RuleStats]
  public var flagsOverTime: [FlagMonth]
  public var outcomes: [OutcomeStats]
  public var guides: [GuideStats]
  public var interviewers: [InterviewerTrend]

  /// Works out the views over `summaries`. `questions` names each guide's questions by its
  /// SHA-256; `rules` and `flags` are every rule and coaching rule in force, so those that never
  /// fired are listed too (`flags` nil when no coaching rule file was used).
  public init(
    _ summaries: [InterviewSummary], questions: [String: [InterviewSummary.Question]],
    rules: [RuleName], flags: [RuleName]?
  ) {
    interviews = summaries.count
    finished = summaries.filter(\.isFinished).count
    let days = summaries.map { String($0.started.prefix(10)) }.sorted()
    first = days.first
    last = days.last

    // Per guide and question, in the guide's order.
    var byGuide: [String: [InterviewSummary]] = [:]
    for summary in summaries { byGuide[summary.guideSHA256, default: []].append(summary) }
    var questionStats: [QuestionStats] = []
    var guideStats: [GuideStats] = []
    let guideOrder = byGuide.keys.sorted { lhs, rhs in
      let left = byGuide[lhs]?.first
      let right = byGuide[rhs]?.first
      return (left?.guideTitle ?? "", left?.guideVersion ?? "", lhs)
        < (right?.guideTitle ?? "", right?.guideVersion ?? "", rhs)
    }
    for sha in guideOrder {
      let group = byGuide[sha] ?? []
      guard let sample = group.first else { continue }
      var seconds: [String: [Double]] = [:]
      var counts: [String: (answered: Int, covered: Int, skipped: Int, probes: Int, edited: Int)] =
        [:]
      var answeredTotal = 0
      var skippedTotal = 0
      for summary in group {
        for answer in summary.answers {
          var count = counts[answer.q] ?? (0, 0, 0, 0, 0)
          switch answer.status {
          case .answered:
            count.answered += 1
            answeredTotal += 1
            seconds[answer.q, default: []].append(answer.seconds)
          case .covered:
            count.covered += 1
            answeredTotal += 1
          case .skipped:
            count.skipped += 1
            skippedTotal += 1
          }
          count.probes += answer.probes
          count.edited += answer.edited ? 1 : 0
          counts[answer.q] = count
        }
      }
      var known = questions[sha] ?? []
      for q in counts.keys.sorted() where !known.contains(where: { $0.q == q }) {
        known.append(InterviewSummary.Question(q: q, section: "", text: q))
      }
      for question in known {
        let count = counts[question.q] ?? (0, 0, 0, 0, 0)
        questionStats.append(
          QuestionStats(
            guide: sample.guideTitle, sha: String(sha.prefix(8)), section: question.section,
            q: question.q,
            question: question.text, interviews: group.count, answered: count.answered,
            covered: count.covered, skipped: count.skipped,
            medianSeconds: Self.median(seconds[question.q] ?? []), probes: count.probes,
            edited: count.edited))
      }
      guideStats.append(
        GuideStats(
          title: sample.guideTitle, version: sample.guideVersion, sha: String(sha.prefix(8)),
          interviews: group.count, finished: group.filter(\.isFinished).count,
          answered: answeredTotal, skipped: skippedTotal,
          medianMinutes: (Self.median(group.map(\.seconds)) ?? 0) / 60))
    }
    self.questions = questionStats
    self.guides = guideStats

    var reasons: [String: Int] = [:]
    var tagInterviews: [String: Int] = [:]
    var ruleCounts: [String: Int] = [:]
    var flagCounts: [String: Int] = [:]
    for summary in summaries {
      var tags = Set<String>()
      for answer in summary.answers {
        if answer.status == .skipped {
          reasons[answer.skipReason ?? "(no reason given)", default: 0] += 1
        } else {
          tags.formUnion(answer.tags)
        }
      }
      for tag in tags { tagInterviews[tag, default: 0] += 1 }
      // A rule or flag is named once per interview.
      for rule in summary.rules { ruleCounts[rule, default: 0] += 1 }
      for flag in summary.flags { flagCounts[flag, default: 0] += 1 }
    }
    skipReasons = Self.sorted(reasons)
    self.tags = Self.sorted(tagInterviews)
    self.rules = Self.ruleStats(rules, counts: ruleCounts)
    flagsChecked = flags != nil
    self.flags = Self.ruleStats(flags ?? [], counts: flagCounts)

    var months: [String: [InterviewSummary]] = [:]
    for summary in summaries { months[summary.month, default: []].append(summary) }
    flagsOverTime = months.keys.sorted().map { month in
      let group = months[month] ?? []
      var counts: [String: Int] = [:]
      for summary in group { for flag in summary.flags { counts[flag, default: 0] += 1 } }
      return FlagMonth(month: month, interviews: group.count, flags: Self.sorted(counts))
    }

    var byOutcome: [String: [InterviewSummary]] = [:]
    for summary in summaries {
      byOutcome[summary.outcome ?? "(none recorded)", default: []].append(summary)
    }
    outcomes = byOutcome.keys.sorted().map { outcome in
      let group = byOutcome[outcome] ?? []
      var answered: [String: Int] = [:]
      var flagged: [String: Int] = [:]
      var fired: [String: Int] = [:]
      for summary in group {
        for answer in summary.answers where answer.status != .skipped {
          answered[answer.q, default: 0] += 1
        }
        for flag in summary.flags { flagged[flag, default: 0] += 1 }
        for rule in summary.rules { fired[rule, default: 0] += 1 }
      }
      return OutcomeStats(
        outcome: outcome, interviews: group.count, answered: Self.sorted(answered),
        flags: Self.sorted(flagged), rules: Self.sorted(fired))
    }

    var byInterviewer: [String: [InterviewSummary]] = [:]
    for summary in summaries {
      byInterviewer[summary.interviewer ?? "(not named)", default: []].append(summary)
    }
    interviewers = byInterviewer.keys.sorted().map { name in
      var perMonth: [String: [InterviewSummary]] = [:]
      for summary in byInterviewer[name] ?? [] {
        perMonth[summary.month, default: []].append(summary)
      }
      return InterviewerTrend(
        interviewer: name,
        months: perMonth.keys.sorted().map { month in
          let group = perMonth[month] ?? []
          var answered = 0
          var skipped = 0
          var probes = 0
          var flags = 0
          for summary in group {
            for answer in summary.answers {
              if answer.status == .skipped { skipped += 1 } else { answered += 1 }
              probes += answer.probes
            }
            flags += summary.flags.count
          }
          let count = Double(max(1, group.count))
          return InterviewerMonth(
            month: month, interviews: group.count,
            answeredPerInterview: Double(answered) / count,
            skippedPerInterview: Double(skipped) / count,
            probesPerInterview: Double(probes) / count, flagsPerInterview: Double(flags) / count)
        })
    }
  }

  static func median(_ values: [Double]) -> Double? {
    if values.isEmpty { return nil }
    let sorted = values.sorted()
    let middle = sorted.count / 2
    return sorted.count % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2
  }

  /// Most first, then by name.
  static func sorted(_ counts: [String: Int]) -> [Count] {
    counts.map { Count(name: $0.key, count: $0.value) }.sorted {
      ($1.count, $0.name) < ($0.count, $1.name)
    }
  }

  /// Every rule in force with how often it fired, most first; those that never fired last, in
  /// their files' order.
  static func ruleStats(_ names: [RuleName], counts: [String: Int]) -> [RuleStats] {
    var stats = names.map { RuleStats(id: $0.id, title: $0.title, fired: counts[$0.id] ?? 0) }
    for (id, count) in counts where !names.contains(where: { $0.id == id }) {
      stats.append(RuleStats(id: id, title: id, fired: count))
    }
    let order = Dictionary(stats.enumerated().map { ($1.id, $0) }, uniquingKeysWith: { a, _ in a })
    return stats.sorted { lhs, rhs in
      if lhs.fired != rhs.fired { return lhs.fired > rhs.fired }
      return (order[lhs.id] ?? 0) < (order[rhs.id] ?? 0)
    }
  }
}
