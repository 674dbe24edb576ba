import ArgumentParser
import Foundation
import GembaCore
import GembaTerminal

/// `gemba replay`: a coach's REPL over a finished or unfinished interview.
struct ReplayCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "replay",
    abstract: "Step through an interview as a coach: comment, score, see flags.",
    discussion: """
      The first screen sets the expectation written before the call beside what happened. Enter \
      (or n) steps forward and p back; :go jumps to an event, a question, a section or a time; \
      /REGEX searches. :comment and :score write to a file beside the transcript \
      (NAME.coach.jsonl); the transcript itself is never changed. :flags shows the coaching \
      flags, :actions the proposals recorded then beside the rules' proposals now. Not on a \
      terminal, commands are read one a line. :help lists every command.
      """
  )

  @Argument(help: "The transcript to replay.", completion: .file(extensions: ["jsonl"]))
  var transcript: String

  @Flag(help: "Play the interview back in time instead of stepping through it.")
  var play = false

  @Option(help: "With --play: how many times faster than it happened (default 1).")
  var speed: Double = 1

  @Option(
    name: .customLong("idle-limit"),
    help: "With --play: the longest pause, in seconds, however long the silence was (default 2).")
  var idleLimit: Double = 2

  @Option(
    help: "Who writes the comments and scores (default: your interviewer setting, else $USER).")
  var coach: String?

  @Option(
    help: "The rubric to score against (default: the built-in coaching.rubric).",
    completion: .file(extensions: ["rubric"]))
  var rubric: String?

  @Option(
    name: .customLong("rules"),
    help:
      "Rule files whose proposals :actions compares (default: those the interview used, else the built-in ones); repeat for several.",
    completion: .file(extensions: ["rules"]))
  var rulePaths: [String] = []

  @Option(
    name: .customLong("coaching-rules"),
    help: "The coach's flag rules (default: the built-in coaching.rules).",
    completion: .file(extensions: ["rules"]))
  var coachingRules: String?

  func validate() throws {
    guard speed > 0, speed.isFinite else {
      throw ValidationError("--speed must be a number above 0, like 2 or 0.5")
    }
    guard idleLimit >= 0, idleLimit.isFinite else {
      throw ValidationError("--idle-limit must be 0 or more seconds")
    }
  }

  func run() throws {
    guard let data = FileManager.default.contents(atPath: transcript) else {
      throw CommandFailure("cannot read the transcript '\(transcript)'")
    }
    let contents: TranscriptContents
    switch TranscriptCodec.read(Array(data)) {
    case .success(let read): contents = read
    case .failure(let error):
      throw CommandFailure("cannot replay '\(transcript)': \(error)")
    }
    for problem in contents.problems {
      Console.error("gemba: warning: \(transcript): \(problem)\n")
    }
    let guide = Self.guideAsAsked(contents.header)
    let timeline = ReplayTimeline(
      contents: contents, guide: guide, today: ProposeCommand.day(of: contents.header))
    let width = max(40, min(TerminalInfo.columns(), 100))
    if play {
      playBack(timeline, width: width)
      return
    }

    var sidecar: CoachSidecarContents?
    do {
      sidecar = try CoachSidecarWriter.read(forTranscript: transcript)
    } catch {
      Console.error("gemba: warning: \(error); comments already made are not shown\n")
    }
    for problem in sidecar?.problems ?? [] {
      Console.error(
        "gemba: warning: \(CoachSidecar.path(forTranscript: transcript)): \(problem)\n")
    }
    let setup = try makeSetup(timeline: timeline, guide: guide, width: width)
    let session = ReplaySession(
      timeline: timeline, setup: setup, sidecar: sidecar, print: { Console.out($0) })
    defer { session.close() }
    session.show()

    let terminal = TerminalInfo.current()
    if terminal.isInteractive, let editor = LineEditor() {
      let words = session.completions
      editor.completer = { _ in words }
      while true {
        switch editor.readLine(prompt: session.prompt) {
        case .line(let line):
          if !line.trimmingCharacters(in: .whitespaces).isEmpty { editor.remember(line) }
          if !session.handle(line) { return }
        case .action:
          continue
        case .interrupted:
          continue
        case .endOfInput:
          return
        }
      }
    }
    var reader = PlainLineReader()
    while let line = reader.readLine(prompt: "") {
      if !session.handle(line) { return }
    }
  }

  /// The guide as the questions were asked: the copy in the transcript's header, else the
  /// guide as it is now.
  ///
  /// A follow-up's Check part belongs to the guide as asked: it is made from the header's
  /// `followUp` by ``InterviewProgress/guide(of:)``, as `propose` and `resume` make it, so the
  /// steps carry its section and budget and the rules see the same follow-up facts.
  static func guideAsAsked(_ header: TranscriptHeader) -> Guide {
    let (guide, diagnostics) = GuideChecker.parseAndCheck(
      path: header.guide.path, text: header.guide.source)
    guard !diagnostics.hasErrors, !guide.questions.isEmpty else {
      return ProposeCommand.guide(for: header)
    }
    return header.followUp == nil ? guide : InterviewProgress.guide(of: header)
  }

  private func makeSetup(timeline: ReplayTimeline, guide: Guide, width: Int) throws
    -> ReplaySession.Setup
  {
    var setup = ReplaySession.Setup(
      transcriptPath: transcript, coach: coachName(), rubric: nil, rubricProblem: nil,
      coachingRules: nil, coachingRulesName: "coaching.rules", rules: nil, rulesProblem: nil,
      width: width, now: { Timestamp.iso(Date().timeIntervalSince1970) })
    let rubricPath = rubric ?? BuiltInRules.rubric.path
    let text: String
    switch RuleFiles.read(rubricPath) {
    case .success(let read): text = read
    case .failure(let error):
      // A rubric asked for by name and not there is a mistake to fix before scoring, not
      // something to find out at the first :score.
      throw CommandFailure("cannot read the rubric '\(rubricPath)': \(error.message)")
    }
    let (parsed, diagnostics) = RubricParser.parse(path: rubricPath, text: text)
    if diagnostics.hasErrors {
      let renderer = DiagnosticRenderer(colored: TerminalInfo.current().colorsErrors)
      Console.error(
        renderer.render(
          all: diagnostics, sources: [rubricPath: SourceFile(path: rubricPath, text: text)]))
      let errors = diagnostics.filter { $0.severity == .error }.count
      setup.rubricProblem =
        "\(rubricPath) has \(errors) error\(errors == 1 ? "" : "s"); fix it and replay again"
      Console.error("gemba: \(setup.rubricProblem ?? ""); :score is not available\n")
    } else {
      setup.rubric = parsed
    }
    let guides = [(guide.files.first?.path ?? "", guide)]
    let coachingPath = coachingRules ?? BuiltInRules.coaching.path
    do {
      setup.coachingRules = try RuleFiles.proposalRules([coachingPath], guides: guides)
      setup.coachingRulesName = Path.lastComponent(coachingPath)
    } catch {
      Console.error("gemba: \(error); :flags is not available\n")
    }
    do {
      setup.rules = try RuleFiles.proposalRules(ruleFilesNow(timeline.header), guides: guides)
    } catch {
      setup.rulesProblem = "\(error)"
      Console.error("gemba: \(error); :actions is not available\n")
    }
    return setup
  }

  /// The rules `:actions` compares with: `--rules`, else the rule files the interview started
  /// with when they are still there, else the built-in ones.
  private func ruleFilesNow(_ header: TranscriptHeader) -> [String] {
    if !rulePaths.isEmpty { return rulePaths }
    let recorded = (header.rules ?? []).filter {
      $0.hasPrefix("<built-in>/") || FileManager.default.fileExists(atPath: $0)
    }
    return recorded
  }

  private func coachName() -> String? {
    if let coach, !coach.isEmpty { return coach }
    if let name = UserSettings.load().settings.interviewer.value, !name.isEmpty { return name }
    let user = ProcessInfo.processInfo.environment["USER"] ?? ""
    return user.isEmpty ? nil : user
  }

  /// Prints each step as its time comes, scaled by `speed`, no pause longer than `idleLimit`.
  private func playBack(_ timeline: ReplayTimeline, width: Int) {
    let screen = ReplayScreen(timeline: timeline, width: width)
    Console.out(screen.overview(stepping: false))
    for number in timeline.steps.indices.map({ $0 + 1 }) {
      let timing = timeline.timing(ofStep: number)
      Console.out(screen.step(number))
      guard number < timeline.steps.count else { break }
      let seconds = min(Double(timing.duration) / 1000 / speed, idleLimit)
      if seconds > 0 { usleep(useconds_t(seconds * 1_000_000)) }
    }
  }
}
