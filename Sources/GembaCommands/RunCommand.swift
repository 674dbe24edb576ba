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

  func run() throws {
    TranscriptJournal.ignoreFileSizeSignal()
    let settings = UserSettings.load(
      Settings.CommandLine(
        interviewer: options.interviewer, transcripts: options.transcripts, guide: guide,
        rules: options.rules, minutes: options.minutes)
    ).settings
    let source = try GuideSource.resolve(settings.guide.value)
    let today = Day.today()
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
      if case .line(let name) = editor.readLine(prompt: "Who is interviewing? (your name) › ") {
        let trimmed = name.trimmingCharacters(in: .whitespaces)
        interviewer = trimmed.isEmpty ? nil : trimmed
      }
    }
    let now = Date().timeIntervalSince1970
    let id = TranscriptFolder.newID()
    let customer = options.customer.map(TranscriptHeader.Customer.init(name:))
    let header = TranscriptHeader(
      id: id, started: Timestamp.iso(now),
      guide: .init(
        title: parsed.header.title ?? source.path, path: source.path,
        version: parsed.header.version, method: parsed.header.method,
        sha256: loaded.sha256, source: loaded.expanded),
      customer: customer, interviewer: interviewer, with: options.with, practice: practice,
      minutes: settings.minutes.value,
      rules: settings.rules.value.isEmpty ? nil : settings.rules.value)
    let transcripts = settings.transcripts.value
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
    let session = loaded.prepared
    let console = makeConsole(editor: editor, index: session.index, terminal: terminal)
    console.say("\(parsed.header.title ?? source.path): transcript \(journal.path)")
    if practice {
      console.say("practice: this rehearsal is kept apart from real interviews")
    }
    if editor != nil {
      console.say("type :help for commands; Ctrl-D pauses, gemba resume carries on")
    }
    let runner = InterviewRunner(
      journal: journal, session: session, console: console, guidePath: source.path,
      sharing: options.share)
    runner.installSignalHandlers()
    let status = runner.run()
    if status != 0 { throw ExitCode(status) }
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
