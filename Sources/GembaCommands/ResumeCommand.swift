import ArgumentParser
import Foundation
import GembaCore
import GembaTerminal

/// `gemba resume`: carry on an interview that stopped.
struct ResumeCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "resume",
    abstract: "Continue an interrupted interview where it stopped.",
    discussion: """
      With no transcript, offers the newest unfinished interview in the transcripts folder. The \
      interview is rebuilt from its transcript and continues at the first open question. If the \
      guide was edited since, answers follow their question ids (and 'was:' renames); questions \
      that no longer exist are listed, and new ones are asked.
      """
  )

  @Argument(help: "The transcript to continue.", completion: .file(extensions: ["jsonl"]))
  var transcript: String?

  @Option(
    help: "Where transcripts are kept (to find the newest unfinished one).", completion: .directory)
  var transcripts: String?

  @Flag(name: .shortAndLong, help: "Do not ask before resuming the newest unfinished interview.")
  var yes = false

  @Flag(help: "The customer can see the screen: hide hints, tags and assessments.")
  var share = false

  func run() throws {
    TranscriptJournal.ignoreFileSizeSignal()
    var path = transcript
    if path == nil {
      let folder = TranscriptFolder.resolve(transcripts)
      guard let (found, contents) = TranscriptFolder.newestUnfinished(in: folder) else {
        throw CommandFailure("no unfinished interview in '\(folder)'")
      }
      let who = contents.header.customer?.name ?? "no customer named"
      let question =
        "Resume the interview with \(who) started \(contents.header.started) "
        + "(\(contents.header.guide.title), \(contents.events.filter { $0.type == .answer }.count) answers)?"
      if !yes {
        guard TerminalInfo.current().inputIsTerminal else {
          throw CommandFailure(
            "\(question)\nName the transcript (gemba resume \(found)) or add --yes to resume without asking."
          )
        }
        Console.out(question + " [y/N] ")
        let answer = readLine()?.trimmingCharacters(in: .whitespaces).lowercased() ?? ""
        guard answer == "y" || answer == "yes" else { throw CommandFailure("not resumed") }
      }
      path = found
    }
    guard let path else { return }
    let journal: TranscriptJournal
    let contents: TranscriptContents
    do {
      (journal, contents) = try TranscriptJournal.open(path: path)
    } catch {
      throw CommandFailure("cannot resume '\(path)': \(error)")
    }
    for warning in journal.warnings { Console.error("gemba: \(warning)\n") }
    // A torn last line the journal cut off is reported once, by the journal.
    let torn = journal.warnings.isEmpty ? nil : contents.problems.last { $0.isTornLastLine }
    for problem in contents.problems where problem != torn {
      Console.error("gemba: \(path): \(problem)\n")
    }
    if contents.isFinished {
      throw CommandFailure("the interview in '\(path)' has already ended")
    }
    // A follow-up's Check part is made again from the header, on the guide as it was asked.
    let guide =
      contents.header.followUp == nil
      ? try resolveGuide(contents.header, transcript: path)
      : InterviewProgress.guide(of: contents.header)
    let today = contents.header.asOf.flatMap { Day(iso: $0) } ?? Day.today()
    var session = InterviewSession(guide: guide, today: today)
    session.restore(contents.events)
    if !session.state.unknownQuestions.isEmpty {
      Console.out(
        "- the guide no longer has these questions; their answers stay in the transcript: "
          + "\(session.state.unknownQuestions.joined(separator: ", "))\n")
    }
    let terminal = TerminalInfo.current()
    let editor = terminal.isInteractive ? LineEditor() : nil
    let console = makeConsole(editor: editor, index: session.index, terminal: terminal)
    var events = contents.events
    // Earlier interviews with the customer, for :last; this one is not among them.
    let customer = contents.header.customer.map { named in
      CustomerFiles.record(
        name: named.name, folder: (path as NSString).deletingLastPathComponent,
        reportsUnreadable: false
      ).excluding(interview: contents.header.id)
    }
    let runner = InterviewRunner(
      journal: journal, session: session, console: console, events: events,
      guidePath: contents.header.guide.path, sharing: share,
      rules: Self.loadRules(contents.header, guide: guide),
      customer: customer)
    let moment = runner.now()
    var recovered = TranscriptEvent(.recovered, t: moment.t, ms: moment.ms)
    if !contents.problems.isEmpty { recovered.dropped = contents.problems.count }
    events.append(recovered)
    let result = journal.append(recovered)
    if let message = result.message { Console.error("gemba: \(message)\n") }
    console.say(
      "resuming \(contents.header.guide.title) with "
        + "\(contents.header.customer?.name ?? "no customer named"): "
        + "\(session.state.answers.count) answers so far; transcript \(journal.path)")
    runner.installSignalHandlers()
    let status = runner.run()
    if status != 0 { throw ExitCode(status) }
  }

  /// The guide to continue with: as it is now when it can be read and checks clean, else the
  /// copy the transcript carries.
  private func resolveGuide(_ header: TranscriptHeader, transcript: String) throws -> Guide {
    if let source = GuideSource.current(recordedAt: header.guide.path) {
      let expanded = GuideExpander.expand(
        path: source.path, text: source.text, loader: source.loader)
      if SHA256.hex(expanded) != header.guide.sha256 {
        let (guide, diagnostics) = GuideChecker.parseAndCheck(
          path: source.path, text: source.text, loader: source.loader)
        if !diagnostics.hasErrors {
          Console.out(
            "- the guide '\(source.path)' changed since the interview started; answers follow "
              + "their question ids\n")
          return guide
        }
        Console.error(
          "gemba: the guide '\(source.path)' now has errors; continuing with the copy in the transcript\n"
        )
      } else {
        return GuideChecker.parseAndCheck(
          path: source.path, text: source.text, loader: source.loader
        ).guide
      }
    }
    let (guide, diagnostics) = GuideChecker.parseAndCheck(
      path: header.guide.path, text: header.guide.source)
    if let error = diagnostics.first(where: { $0.severity == .error }) {
      // Which transcript and what is wrong with its copy: the guide file itself is gone or
      // changed, so this copy is all there is to look at.
      throw CommandFailure(
        "cannot resume '\(transcript)': the copy of the guide it carries has errors ("
          + DiagnosticRenderer(colored: false).headline(error)
          + "), and '\(header.guide.path)' cannot be used instead; the transcript may be damaged")
    }
    return guide
  }
}

extension ResumeCommand {
  /// The rules the interview started with, read and checked on another thread (see
  /// `InterviewRunner.rules`).
  static func loadRules(_ header: TranscriptHeader, guide: Guide) -> @Sendable () -> LiveRules {
    let (paths, guidePath) = (header.rules ?? [], header.guide.path)
    return { RuleFiles.liveRules(paths, guide: guide, guidePath: guidePath) }
  }
}
