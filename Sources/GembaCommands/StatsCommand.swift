import ArgumentParser
import Foundation
import GembaCore
import GembaIndex
import GembaTerminal

/// `gemba stats`: views across many interviews, for a coach and a sales team.
struct StatsCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "stats",
    abstract: "Views across many interviews: questions, skips, tags, rules, flags and outcomes.",
    discussion: """
      Reads the transcripts named (files, folders, or patterns such as 'transcripts/2026-11*'), \
      by default every interview in the transcripts folder, and shows: per question how often it \
      was answered, covered in passing or skipped, and the median time spent on it; why \
      questions were skipped; tags by the number of interviews they came up in; how often each \
      rule fired, and which never did; coaching flags, and how they change month by month; \
      outcomes (gemba outcome) against what was asked and flagged; each guide version; and each \
      interviewer's own trend over the months, never a ranking of people. Rehearsals are left \
      out.

      Coaching flags come from a rule file: --flags FILE, else scripts/coaching.rules in the \
      current folder when it exists, else the coaching rules built into Gemba.

      Stats keep an index (.gemba-index.sqlite) beside the transcripts, so the next look is \
      fast. It is only a copy: a transcript that changed, or was removed, is read again or left \
      out, and the index can be deleted at any time. --no-index reads every file.
      """
  )

  enum Format: String, ExpressibleByArgument, CaseIterable {
    case text
    case markdown
    case csv
    case json
    case html
  }

  @Argument(
    help: "Transcripts, folders of them, or patterns (default: the transcripts folder).",
    completion: .file(extensions: ["jsonl"]))
  var paths: [String] = []

  @Option(help: "Output format.")
  var format: Format = .text

  @Option(
    help: ArgumentHelp(
      "Write the stats to this file instead of standard output.", valueName: "file"),
    completion: .file())
  var out: String?

  @Option(
    name: .customLong("rules"),
    help: ArgumentHelp(
      "A rule file or a folder of them; repeat for more (default: the built-in rules).",
      valueName: "path"),
    completion: .file(extensions: ["rules"]))
  var rulePaths: [String] = []

  @Option(
    name: .customLong("flags"),
    help: ArgumentHelp("The coaching rule file whose rules are the flags.", valueName: "file"),
    completion: .file(extensions: ["rules"]))
  var flagsPath: String?

  @Option(help: "The transcripts folder, when no path is named.")
  var transcripts: String?

  @Flag(help: "Read every transcript; neither use nor update the index.")
  var noIndex = false

  func run() throws {
    let files = try transcriptFiles()
    let rules = try RuleFiles.proposalRules(rulePaths, guides: [])
    let flagRules = try loadFlags()
    let derivation = [
      GembaVersion.current, rules.hash, flagRules?.hash ?? "no-flags",
    ].joined(separator: " ")
    let reader = SummaryReader(rules: rules, flags: flagRules)
    let found = InterviewIndex.summaries(
      of: files, derivation: derivation, useIndex: !noIndex, summarize: reader.summarize)
    for warning in found.warnings { Console.error("gemba: warning: \(warning)\n") }
    var summaries: [InterviewSummary] = []
    for (file, entry) in found.entries {
      switch entry {
      case .interview(let summary, _): summaries.append(summary)
      case .practice: break
      case .unreadable(let reason):
        Console.error("gemba: warning: '\(file)' is left out: \(reason)\n")
      }
    }
    let report = StatsReport(
      summaries, questions: found.questions,
      rules: rules.rules.map { StatsReport.RuleName(id: $0.id, title: $0.title) },
      flags: flagRules.map { $0.rules.map { StatsReport.RuleName(id: $0.id, title: $0.title) } })
    let text: String
    switch format {
    case .text:
      let width = max(40, TerminalInfo.columns())
      text = StatsRenderer.text(report) { note in
        TextWrap.wrap(TerminalSafe.neutralize(note), width: width, indent: "  ")
          .map { $0 + "\n" }.joined()
      }
    case .markdown: text = StatsRenderer.markdown(report)
    case .csv: text = StatsRenderer.csv(report)
    case .json: text = StatsRenderer.json(report)
    case .html: text = StatsRenderer.html(report)
    }
    try OutputFile.write(text, to: out)
  }

  /// The transcripts named, or those in the transcripts folder; patterns are expanded here when
  /// the shell did not.
  private func transcriptFiles() throws -> [String] {
    if paths.isEmpty {
      let folder = TranscriptFolder.resolve(transcripts)
      guard FileManager.default.fileExists(atPath: folder) else {
        throw CommandFailure("no transcripts folder at '\(folder)'; name transcripts or a folder")
      }
      return TranscriptFolder.transcripts(in: folder).sorted()
    }
    var named: [String] = []
    for path in paths {
      if !FileManager.default.fileExists(atPath: path), path.contains(where: { "*?[".contains($0) })
      {
        let matches = Self.glob(path).filter {
          TranscriptFolder.isTranscriptName(Path.lastComponent($0))
        }
        if matches.isEmpty { throw CommandFailure("no transcripts match '\(path)'") }
        named += matches
      } else {
        named.append(path)
      }
    }
    return try TranscriptFolder.files(named: named)
  }

  private static func glob(_ pattern: String) -> [String] {
    var found = glob_t()
    defer { globfree(&found) }
    guard Glibc.glob(pattern, 0, nil, &found) == 0 else { return [] }
    return (0..<Int(found.gl_pathc)).compactMap { index in
      found.gl_pathv[index].map { String(cString: $0) }
    }.sorted()
  }

  /// The coaching rules: --flags, else scripts/coaching.rules when it exists, else the built-in
  /// coaching rules; nil when there are none.
  private func loadFlags() throws -> RuleSet? {
    if let flagsPath {
      guard
        FileManager.default.fileExists(atPath: flagsPath) || BuiltInRules.named(flagsPath) != nil
      else { throw CommandFailure("no such coaching rule file '\(flagsPath)'") }
      return try RuleFiles.proposalRules([flagsPath], guides: [])
    }
    // The team's own copy first, as for guides: scripts/, else what is built in.
    if FileManager.default.fileExists(atPath: Self.defaultFlags) {
      return try RuleFiles.proposalRules([Self.defaultFlags], guides: [])
    }
    if let builtIn = BuiltInRules.named("coaching.rules") {
      return try RuleFiles.proposalRules([builtIn.path], guides: [])
    }
    return nil
  }

  static let defaultFlags = "scripts/coaching.rules"
}

/// Reads one transcript into what stats need, on any thread: guides and prepared rules are
/// worked out once per guide (and day) and shared.
final class SummaryReader: @unchecked Sendable {
  private let rules: RuleSet
  private let flags: RuleSet?
  private let lock = NSLock()
  private var guides: [String: (guide: Guide, questions: [InterviewSummary.Question])] = [:]
  private var prepared: [String: (rules: PreparedRules, flags: PreparedRules?)] = [:]

  init(rules: RuleSet, flags: RuleSet?) {
    self.rules = rules
    self.flags = flags
  }

  func summarize(_ path: String) -> IndexEntry {
    guard let data = FileManager.default.contents(atPath: path) else {
      return .unreadable("it cannot be read")
    }
    let contents: TranscriptContents
    switch TranscriptCodec.read(Array(data)) {
    case .success(let read): contents = read
    case .failure(let error): return .unreadable("\(error)")
    }
    if contents.header.practice { return .practice }
    let (guide, questions) = self.guide(of: contents.header)
    var state = InterviewState(guide: guide)
    let record = InterviewRecord(contents, guide: guide, state: &state)
    let (rulesHere, flagsHere) = self.prepared(
      guide, sha: contents.header.guide.sha256, day: record.day)
    let fired = rulesHere.firing(state: state).map { rules.rules[$0].id }
    let flagged =
      flagsHere.map { prepared in
        prepared.firing(state: state).map { prepared.set.rules[$0].id }
      } ?? []
    let outcome = CoachFile.read(besides: path)?.outcomes.last?.status
    let summary = InterviewSummary(
      record, file: Path.lastComponent(path), rules: fired, flags: flagged, outcome: outcome)
    return .interview(summary, questions: questions)
  }

  private func guide(of header: TranscriptHeader) -> (Guide, [InterviewSummary.Question]) {
    lock.lock()
    if let known = guides[header.guide.sha256] {
      lock.unlock()
      return known
    }
    lock.unlock()
    let guide = InterviewProgress.guide(of: header)
    let entry = (guide, InterviewSummary.questions(of: guide))
    lock.lock()
    guides[header.guide.sha256] = entry
    lock.unlock()
    return entry
  }

  private func prepared(_ guide: Guide, sha: String, day: String) -> (
    PreparedRules, PreparedRules?
  ) {
    let key = sha + " " + day
    lock.lock()
    if let known = prepared[key] {
      lock.unlock()
      return known
    }
    lock.unlock()
    let index = GuideIndex(guide, today: Day(iso: day) ?? RuleTestRunner.defaultToday)
    let entry = (rules.prepared(for: index), flags?.prepared(for: index))
    lock.lock()
    prepared[key] = entry
    lock.unlock()
    return entry
  }
}
