import Foundation

/// A table of stats, the one shape every output format is written from.
public struct StatsTable: Sendable, Equatable {
  public var title: String
  /// A sentence under the title: what the numbers mean.
  public var note: String?
  public var columns: [String]
  /// Columns holding numbers: right-aligned.
  public var numeric: Set<Int>
  public var rows: [[String]]
  /// For each row, the length of its bar from 0 to 1, when the table has bars.
  public var bars: [Double]?
  /// Columns left out on a terminal, where width is short (long question texts).
  public var wide: Set<Int> = []
}

extension StatsReport {
  /// The views as tables, in the order they are shown.
  public func tables() -> [StatsTable] {
    var tables: [StatsTable] = []
    for guide in guides {
      let rows = questions.filter { $0.sha == guide.sha }
      guard !rows.isEmpty else { continue }
      tables.append(
        StatsTable(
          title: "Questions: \(guide.title)\(guide.version.map { " \($0)" } ?? "")",
          note:
            "Of \(guide.interviews) interview\(guide.interviews == 1 ? "" : "s") with this guide: how often each question was "
            + "answered, covered in passing or skipped, and the median time spent answering it.",
          columns: [
            "question", "section", "text", "answered", "covered", "skipped", "median", "probes",
          ],
          numeric: [3, 4, 5, 6, 7],
          rows: rows.map { row in
            [
              row.q, row.section, row.question, "\(row.answered)", "\(row.covered)",
              "\(row.skipped)", row.medianSeconds.map(Self.duration) ?? "-", "\(row.probes)",
            ]
          },
          bars: rows.map { Double($0.answered + $0.covered) / Double(max(1, $0.interviews)) },
          wide: [2]))
    }
    tables.append(
      StatsTable(
        title: "Skip reasons", note: "Why questions were left open, most often first.",
        columns: ["reason", "skips"], numeric: [1],
        rows: skipReasons.map { [$0.name, "\($0.count)"] }, bars: Self.bars(skipReasons)))
    tables.append(
      StatsTable(
        title: "Tags", note: "In how many interviews an answer carried each tag.",
        columns: ["tag", "interviews"], numeric: [1], rows: tags.map { [$0.name, "\($0.count)"] },
        bars: tags.map { Double($0.count) / Double(max(1, interviews)) }))
    tables.append(
      StatsTable(
        title: "Rules", note: "In how many interviews each rule fired; 0 means it never did.",
        columns: ["rule", "title", "fired"], numeric: [2],
        rows: rules.map { [$0.id, $0.title, "\($0.fired)"] },
        bars: rules.map { Double($0.fired) / Double(max(1, interviews)) }, wide: [1]))
    if flagsChecked {
      tables.append(
        StatsTable(
          title: "Coaching flags",
          note: "In how many interviews each coaching flag was raised; 0 means never.",
          columns: ["flag", "title", "interviews"], numeric: [2],
          rows: flags.map { [$0.id, $0.title, "\($0.fired)"] },
          bars: flags.map { Double($0.fired) / Double(max(1, interviews)) }, wide: [1]))
      tables.append(
        StatsTable(
          title: "Coaching flags over time",
          note: "Per month: interviews, and the flags raised in them (interviews each).",
          columns: ["month", "interviews", "flags"], numeric: [1],
          rows: flagsOverTime.map { month in
            [
              month.month, "\(month.interviews)",
              month.flags.map { "\($0.name) \($0.count)" }.joined(separator: ", "),
            ]
          }, bars: nil))
    }
    if outcomes.count > 1 || outcomes.first?.outcome != "(none recorded)" {
      let names = outcomes.map(\.outcome)
      var askedRows: [[String]] = []
      let ids = questions.map(\.q).reduce(into: [String]()) {
        if !$0.contains($1) { $0.append($1) }
      }
      for id in ids {
        askedRows.append(
          [id]
            + outcomes.map { outcome in
              let count = outcome.answered.first { $0.name == id }?.count ?? 0
              return Self.percent(count, of: outcome.interviews)
            })
      }
      tables.append(
        StatsTable(
          title: "Outcomes against what was asked",
          note: "Interviews per outcome ("
            + outcomes.map { "\($0.outcome): \($0.interviews)" }.joined(separator: ", ")
            + "), and the share of them in which each question was answered.",
          columns: ["question"] + names, numeric: Set(1...max(1, names.count)), rows: askedRows,
          bars: nil))
      let flagIDs = flags.map(\.id) + rules.map(\.id)
      tables.append(
        StatsTable(
          title: "Outcomes against flags and rules",
          note:
            "The share of each outcome's interviews in which a flag was raised or a rule fired.",
          columns: ["flag or rule"] + names, numeric: Set(1...max(1, names.count)),
          rows: flagIDs.map { id in
            [id]
              + outcomes.map { outcome in
                let count =
                  (outcome.flags.first { $0.name == id } ?? outcome.rules.first { $0.name == id })?
                  .count ?? 0
                return Self.percent(count, of: outcome.interviews)
              }
          }, bars: nil))
    }
    tables.append(
      StatsTable(
        title: "Guide versions",
        note: "Interviews per guide version (two edits of one version differ in their hash).",
        columns: [
          "guide", "version", "hash", "interviews", "finished", "answered", "skipped", "median",
        ],
        numeric: [3, 4, 5, 6, 7],
        rows: guides.map { guide in
          [
            guide.title, guide.version ?? "-", guide.sha, "\(guide.interviews)",
            "\(guide.finished)", "\(guide.answered)", "\(guide.skipped)",
            Self.duration(guide.medianMinutes * 60),
          ]
        },
        bars: guides.map { Double($0.interviews) / Double(max(1, interviews)) }))
    for trend in interviewers {
      tables.append(
        StatsTable(
          title: "Interviewer: \(trend.interviewer)",
          note: "Each interviewer's own trend, month by month, per interview: not a ranking.",
          columns: ["month", "interviews", "answered", "skipped", "probes", "flags"],
          numeric: [1, 2, 3, 4, 5],
          rows: trend.months.map { month in
            [
              month.month, "\(month.interviews)", Self.decimal(month.answeredPerInterview),
              Self.decimal(month.skippedPerInterview), Self.decimal(month.probesPerInterview),
              Self.decimal(month.flagsPerInterview),
            ]
          },
          bars: nil))
    }
    return tables
  }

  static func bars(_ counts: [Count]) -> [Double] {
    let top = Double(counts.map(\.count).max() ?? 1)
    return counts.map { Double($0.count) / max(top, 1) }
  }

  static func percent(_ count: Int, of total: Int) -> String {
    total == 0 ? "-" : "\(Int((Double(count) * 100 / Double(total)).rounded()))%"
  }

  static func decimal(_ value: Double) -> String { A3Report.number(value) }

  /// `42 s`, `3:05 min`.
  static func duration(_ seconds: Double) -> String {
    if seconds < 60 { return "\(A3Report.number(seconds)) s" }
    return A3Report.minutes(seconds)
  }

  /// The heading lines: how many interviews, over which days.
  public var overview: String {
    var text = "\(interviews) interview\(interviews == 1 ? "" : "s"), \(finished) finished"
    if let first, let last { text += first == last ? ", on \(first)" : ", \(first) to \(last)" }
    return text
  }
}
