import ArgumentParser
import Foundation
import GembaCore
import GembaTerminal

/// `gemba run`: a live interview.
struct RunCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "run",
    abstract: "Run an interview with a guide (by default, the customer-purpose guide).",
    discussion: """
      Every answer is saved in a transcript the moment it is given. Answers are typed one a \
      line; commands start with ':' (type :help during the interview to list them), and an \
      answer that itself starts with ':' is typed '::'. A line ending in '\\' goes on to the \
      next line.

      Answers can be piped in: 'gemba run my.guide < answers.txt' writes the same transcript a \
      person would. The end of input pauses the interview; 'gemba resume' carries on.

      The guide, your name, the meeting length, rules and the transcripts folder default to your \
      settings ('gemba config' shows them); an option given here wins.
      """
  )

  @Argument(
    help: "A guide file, or the name of a built-in guide (customer-purpose, jtbd-switch).",
    completion: .file(extensions: ["guide"]))
  var guide: String?

  @OptionGroup var options: InterviewOptions

  @Flag(
    help: ArgumentHelp(
      "Rehearse: the transcript is marked practice and kept apart from real interviews.",
      discussion:
        "Practice transcripts go to the practice/ folder inside the transcripts folder and are left out of 'gemba list' (unless --practice) and of stats and history."
    ))
  var practice = false

  @Option(
    name: .customLong("as-of"),
    help: ArgumentHelp(
      "The day the meeting counts as, for due dates and answers such as 'today' (2026-12-10).",
      discussion:
        "By default today. Open promises from earlier meetings are judged against it (overdue or not); tests and replays give a fixed day."
    ))
  var asOf: String?

  func validate() throws {
    if let asOf, Day(iso: asOf) == nil {
      throw ValidationError("--as-of takes a date written as 2026-12-10, not '\(asOf)'")
    }
  }

  func run() throws {
    TranscriptJournal.ignoreFileSizeSignal()
    let settings = UserSettings.load(
      Settings.CommandLine(
        interviewer: options.interviewer, transcripts: options.transcripts, guide: guide,
        rules: options.rules, minutes: options.minutes)
    ).settings
    let source = try GuideSource.resolve(settings.guide.value)
    let today = asOf.flatMap { Day(iso: $0) } ?? Day.today()
    // The session (the guide's index and the first walk of its flow) is made while the guide is
    // checked, so a large guide's first question comes sooner.
    guard let loaded = source.load(preparing: { InterviewSession(guide: $0, today: today) }) else {
      throw ExitCode(1)
    }
    let parsed = loaded.guide
    let terminal = TerminalInfo.current()
    let editor = terminal.isInteractive ? LineEditor() : nil
    var interviewer = settings.interviewer.value
    if interviewer == nil, let editor {
      // Asked once, so the transcript says who interviewed.
      interviewer = Self.askInterviewer(editor)
    }
    let now = Date().timeIntervalSince1970
    let id = TranscriptFolder.newID()
    let customer = options.customer.map(TranscriptHeader.Customer.init(name:))
    let transcripts = settings.transcripts.value
    // A follow-up opens with the promises still open from earlier meetings (CAPD: check first).
    let record = options.customer.map { CustomerFiles.record(name: $0, folder: transcripts) }
    let open = record?.openPromises ?? []
    let followUp = open.isEmpty ? nil : FollowUp(asOf: today.description, promises: open)
    let guide =
      followUp == nil
      ? parsed : FollowUpCheck.guide(source: loaded.expanded, path: source.path, followUp: followUp)
    // The rules are read and checked against the guide on another thread once the first
    // question is shown: on a large guide that check costs as much as the rest of the start.
    let (ruleFiles, guidePath) = (settings.rules.value, source.path)
    let readRules: @Sendable () -> LiveRules = {
      RuleFiles.liveRules(ruleFiles, guide: guide, guidePath: guidePath)
    }
    let header = TranscriptHeader(
      id: id, started: Timestamp.iso(now),
      guide: .init(
        title: parsed.header.title ?? source.path, path: source.path,
        version: parsed.header.version, method: parsed.header.method,
        sha256: loaded.sha256, source: loaded.expanded),
      customer: customer, interviewer: interviewer, with: options.with, practice: practice,
      minutes: settings.minutes.value,
      rules: settings.rules.value.isEmpty ? nil : settings.rules.value, asOf: asOf,
      followUp: followUp)
    let folder = practice ? TranscriptFolder.practiceFolder(in: transcripts) : transcripts
    let journal: TranscriptJournal
    do {
      journal = try TranscriptJournal.create(
        folder: folder,
        fileName: TranscriptFolder.fileName(started: now, customer: customer, id: id),
        header: header)
    } catch {
      throw CommandFailure("cannot start the transcript in '\(folder)': \(error)")
    }
    // A follow-up's guide has its Check part: the session prepared from the guide alone is for
    // a first meeting.
    let session =
      followUp == nil ? loaded.prepared : InterviewSession(guide: guide, today: today)
    let console = makeConsole(editor: editor, index: session.index, terminal: terminal)
    console.say("\(parsed.header.title ?? source.path): transcript \(journal.path)")
    if let record, let last = record.meetings.last {
      var said =
        "follow-up: \(record.meetings.count) earlier "
        + "interview\(record.meetings.count == 1 ? "" : "s") with \(record.name), the last on "
        + "\(last.day); :last ID shows what they said then"
      console.say(said)
      if !open.isEmpty {
        let overdue = open.filter { $0.isOverdue(on: today) }.count
        said =
          "it opens with the \(open.count) open promise\(open.count == 1 ? "" : "s")"
          + (overdue > 0 ? " (\(overdue) overdue)" : "") + " from earlier meetings"
      }
      console.say(said)
    }
    if practice {
      console.say("practice: this rehearsal is kept apart from real interviews")
    }
    if editor != nil {
      console.say("type :help for commands; Ctrl-D pauses, gemba resume carries on")
    }
    let runner = InterviewRunner(
      journal: journal, session: session, console: console, guidePath: source.path,
      sharing: options.share,
      rules: readRules,
      customer: record)
    runner.installSignalHandlers()
    let status = runner.run()
    if status != 0 { throw ExitCode(status) }
  }
}

extension RunCommand {
  /// Asks who is interviewing: a name, or Enter for none. A line that starts with ':' is a
  /// command typed before the interview started, not a name, and is asked about again; Ctrl-C
  /// clears the line as it does everywhere else.
  static func askInterviewer(_ editor: LineEditor) -> String? {
    while true {
      switch editor.readLine(
        prompt: "Who is interviewing? (your name, or Enter to leave it out) › ")
      {
      case .line(let name):
        let trimmed = name.trimmingCharacters(in: .whitespaces)
        if trimmed.hasPrefix(":") {
          let message =
            "· the interview starts once you have said who you are: type your name, or press "
            + "Enter to leave it out (--interviewer NAME, or interviewer in 'gemba config', "
            + "saves this question)"
          Console.out(
            TextWrap.wrap(message, width: TerminalInfo.columns() - 1).joined(separator: "\n")
              + "\n")
          continue
        }
        return trimmed.isEmpty ? nil : trimmed
      case .interrupted, .action:
        continue
      case .endOfInput:
        return nil
      }
    }
  }
}

/// The line editor for a person at a terminal; plain lines for a pipe or TERM=dumb.
func makeConsole(editor: LineEditor?, index: GuideIndex, terminal: TerminalInfo)
  -> any InterviewConsole
{
  guard let editor else { return PlainConsole() }
  return LiveConsole(
    editor: editor, index: index, colored: terminal.colorsOutput,
    history: CommandHistory(path: CommandHistory.defaultPath()))
}

/// The options every interview takes.
struct InterviewOptions: ParsableArguments {
  @Option(help: "Who the interview is with (a person or a company).")
  var customer: String?

  @Option(help: "Who is interviewing.")
  var interviewer: String?

  @Option(
    name: .customLong("with"), parsing: .upToNextOption,
    help: "Who else is there (several names may follow).")
  var with: [String] = []

  @Option(
    help: ArgumentHelp(
      "Where transcripts are kept.",
      discussion:
        "Default: ./transcripts when it exists, else $GEMBA_TRANSCRIPTS, else your settings, else the user's data folder."
    ),
    completion: .directory)
  var transcripts: String?

  @Option(
    help: "Rule files to propose next actions from.", completion: .file(extensions: ["rules"]))
  var rules: [String] = []

  @Option(help: "How long the meeting is meant to last, in minutes.")
  var minutes: Int?

  @Flag(
    help:
      "The customer can see the screen: hide hints, tags and assessments; the debrief waits for ':share off'."
  )
  var share = false
}

extension Day {
  /// Today in the local time zone.
  ///
  /// Read with localtime_r rather than Foundation's Calendar, which loads ICU's locale and time
  /// zone data: a few milliseconds before the first question, for a number the C library has.
  static func today() -> Day {
    var now = time(nil)
    var parts = tm()
    if localtime_r(&now, &parts) != nil,
      let day = Day(
        year: Int(parts.tm_year) + 1900, month: Int(parts.tm_mon) + 1, day: Int(parts.tm_mday))
    {
      return day
    }
    // Without a usable local time zone, the day in UTC.
    return Day.fromOrdinal(Int(now) / 86_400)
  }
}
