import Dispatch
import Foundation
import GembaCore
import GembaTerminal

/// What the salesperson needs to see about where the interview stands.
struct InterviewStatus {
  var section: String
  var part: Part
  /// Open questions left on the path in this section, and sections still to come.
  var leftInSection: Int
  var sectionsAhead: Int
  var sectionSeconds: Int
  var sectionBudgetMinutes: Int?
  var totalSeconds: Int
  var meetingMinutes: Int?
  var sharing: Bool
}

/// What a console brings back from the person or the pipe.
enum ConsoleInput {
  case line(String)
  /// Ctrl-C: the line was cleared; nothing ends.
  case interrupted
  /// End of input, or Ctrl-D on an empty line: the interview pauses.
  case end
}

/// How an interview meets its user: plain lines for pipes, a line editor for a person.
protocol InterviewConsole: AnyObject {
  /// Whether Ctrl-C should stop the program (a pipe) or only clear the line (a person).
  var stopsOnInterrupt: Bool { get }
  func show(_ view: QuestionView, status: InterviewStatus)
  func show(_ message: SessionMessage, status: InterviewStatus)
  func say(_ text: String)
  func read(status: InterviewStatus) -> ConsoleInput
  /// Reads a line outside the questions (the promises at the end), after `prompt`.
  func read(prompt: String) -> ConsoleInput
  /// The `reason` a pause records when ``read(status:)`` brings back `.end`: the end of piped
  /// input, or Ctrl-D at the terminal.
  var endReason: String { get }
}

/// The plain console: one line in, plain lines out.
final class PlainConsole: InterviewConsole {
  private var reader = PlainLineReader()
  private let printer = PlainPrinter()
  let stopsOnInterrupt = true
  let endReason = "end of input"

  func show(_ view: QuestionView, status: InterviewStatus) { Console.out(printer.question(view)) }
  func show(_ message: SessionMessage, status: InterviewStatus) {
    Console.out(printer.message(message))
  }
  func say(_ text: String) {
    Console.out("- \(TerminalSafe.neutralize(text, keepingNewlines: true))\n")
  }
  func read(status: InterviewStatus) -> ConsoleInput {
    reader.readLine(prompt: "").map(ConsoleInput.line) ?? .end
  }
  func read(prompt: String) -> ConsoleInput {
    reader.readLine(prompt: "").map(ConsoleInput.line) ?? .end
  }
}

/// Runs an interview: each event is stored (fsynced) before the next question is shown, and a
/// kill or a closed terminal loses nothing that was acknowledged.
final class InterviewRunner: @unchecked Sendable {
  // Shared with the signal handlers, which run on another thread: every use of the journal
  // goes through `lock`.
  let journal: TranscriptJournal
  var session: InterviewSession
  let console: any InterviewConsole
  /// The rules that propose next actions (`:actions`, and at the end); nil without any.
  let rules: RuleSet?
  /// The customer's earlier interviews, for `:last`; nil when there are none.
  let customer: CustomerRecord?
  private let lock = NSLock()
  private let started = ProcessInfo.processInfo.systemUptime
  private let offsetBase: Int
  private var signalSources: [any DispatchSourceSignal] = []
  var events: [TranscriptEvent]
  private let guidePath: String?
  private let followUp: FollowUp?
  private let meetingMinutes: Int?
  private var sharing: Bool
  private var waitingForShareOff = false
  private var sectionStartMs: [String: Int] = [:]

  init(
    journal: TranscriptJournal, session: InterviewSession, console: any InterviewConsole,
    events: [TranscriptEvent] = [], guidePath: String? = nil, sharing: Bool = false,
    rules: RuleSet? = nil, customer: CustomerRecord? = nil
  ) {
    self.journal = journal
    self.session = session
    self.session.endWaits = true
    self.rules = rules
    self.customer = customer
    self.followUp = journal.header.followUp
    self.console = console
    self.events = events
    self.offsetBase = (events.map(\.ms).max() ?? -1) + 1
    self.guidePath = guidePath
    self.meetingMinutes = journal.header.minutes
    self.sharing = sharing
  }

  /// Now, as a transcript records it.
  func now() -> Moment {
    let elapsed = Int(((ProcessInfo.processInfo.systemUptime - started) * 1000).rounded())
    return Moment(t: Timestamp.iso(Date().timeIntervalSince1970), ms: offsetBase + elapsed)
  }

  /// SIGTERM and SIGHUP (and, for a pipe, SIGINT) append `interrupted` and exit cleanly; the
  /// interview can be resumed. For a person, Ctrl-C between prompts is ignored.
  func installSignalHandlers() {
    var stopping = [SIGTERM, SIGHUP]
    if console.stopsOnInterrupt { stopping.append(SIGINT) } else { signal(SIGINT, SIG_IGN) }
    // The line editor saves the handlers it finds as it starts reading a line and puts them back
    // as it stops: a source that registered in between found its handler replaced by SIG_IGN,
    // and a later SIGTERM could be lost. So the first line waits for the registrations.
    let registered = DispatchGroup()
    for signalNumber in stopping {
      signal(signalNumber, SIG_IGN)
      let source = DispatchSource.makeSignalSource(signal: signalNumber, queue: .global())
      source.setEventHandler { [self] in
        let name =
          signalNumber == SIGTERM ? "SIGTERM" : signalNumber == SIGHUP ? "SIGHUP" : "SIGINT"
        lock.lock()
        let moment = now()
        var event = TranscriptEvent(.interrupted, t: moment.t, ms: moment.ms)
        event.signal = name
        let result = journal.append(event)
        _ = journal.close()
        lock.unlock()
        Console.error(
          "\ngemba: stopped by \(name); "
            + "\(result.isSaved ? "everything is saved" : "some events could not be saved"). "
            + "Continue with: gemba resume \(journal.path)\n")
        exit(result.isSaved ? 0 : 1)
      }
      registered.enter()
      source.setRegistrationHandler { registered.leave() }
      source.resume()
      signalSources.append(source)
    }
    _ = registered.wait(timeout: .now() + 2)
  }

  /// Runs until the interview ends, is paused, or input ends. Returns the exit status.
  func run() -> Int32 {
    if session.isReadyToEnd {
      console.say("the end was confirmed: carrying on with the promises not yet made")
    } else if session.current == nil && !session.isFinished {
      // Resumed after every question was handled: the end comes next.
      let step = session.handle(":end", at: now())
      record(step.events)
      for message in step.messages { console.show(message, status: status()) }
    }
    while true {
      store([])
      presentNextQuestion()
      if session.isReadyToEnd {
        guard takePromises() else {
          console.say("paused; continue with: gemba resume \(journal.path)")
          return close()
        }
        record(session.end(at: now()))
      }
      if session.isFinished {
        console.say(summary())
        return close()
      }
      switch console.read(status: status()) {
      case .end:
        let moment = now()
        var pause = TranscriptEvent(.pause, t: moment.t, ms: moment.ms, q: session.current)
        pause.reason = console.endReason
        store([pause])
        console.say("paused; continue with: gemba resume \(journal.path)")
        return close()
      case .interrupted:
        continue
      case .line(let line):
        if handleOwnCommand(line) { continue }
        if waitingForShareOff && !line.hasPrefix(":") {
          // Nothing said is refused: while the debrief waits, what is typed is kept as a note.
          let step = session.handle(":note \(line)", at: now())
          record(step.events)
          for message in step.messages { console.show(message, status: status()) }
          continue
        }
        let step = session.handle(line, at: now())
        // The answer and the next question's `shown` are stored with one fsync, then printed.
        let next = step.paused ? nil : prepareNextQuestion()
        record(step.events + (next.map { [$0.event] } ?? []))
        for message in step.messages { console.show(message, status: status()) }
        if let next { show(next) }
        if step.paused {
          console.say("paused; continue with: gemba resume \(journal.path)")
          return close()
        }
      }
    }
  }

  private func presentNextQuestion() {
    guard let next = prepareNextQuestion() else { return }
    record([next.event])
    show(next)
  }

  /// The next question and its `shown` event, not yet stored or printed; nil when nothing new
  /// is to be shown (or the debrief waits for the screen share to end).
  private func prepareNextQuestion() -> (event: TranscriptEvent, view: QuestionView)? {
    if sharing, let id = session.current, session.view(of: id)?.part == .after {
      if !waitingForShareOff {
        waitingForShareOff = true
        console.say(
          "the debrief waits until the screen is no longer shared; type :share off when the "
            + "customer cannot see it")
      }
      return nil
    }
    waitingForShareOff = false
    return session.presentNext(at: now())
  }

  private func show(_ next: (event: TranscriptEvent, view: QuestionView)) {
    if sectionStartMs[next.view.section] == nil {
      sectionStartMs[next.view.section] = next.event.ms
    }
    console.show(next.view, status: status())
  }

  /// Commands the runner answers itself, around the engine: sharing the screen, reloading the
  /// guide.
  private func handleOwnCommand(_ line: String) -> Bool {
    let trimmed = line.trimmingCharacters(in: .whitespaces)
    switch trimmed {
    case ":hint" where sharing:
      console.say("hints are hidden while the screen is shared (:share off shows them)")
      return true
    case ":share on", ":share":
      sharing = true
      console.say("sharing: hints, tags, assessments and coach notes are hidden")
      return true
    case ":share off":
      sharing = false
      console.say("no longer sharing")
      session.showAgain()
      return true
    case ":reload":
      reload()
      return true
    case ":actions":
      console.say(actions())
      return true
    default:
      if trimmed == ":last" || trimmed.hasPrefix(":last ") {
        console.say(last(String(trimmed.dropFirst(5)).trimmingCharacters(in: .whitespaces)))
        return true
      }
      return false
    }
  }

  /// Reads the guide again after an author edited it, keeping every answer.
  private func reload() {
    guard let guidePath, let source = GuideSource.current(recordedAt: guidePath) else {
      console.say("this guide cannot be read again from a file; carrying on as it is")
      return
    }
    let (guide, diagnostics) = GuideChecker.parseAndCheck(
      path: source.path, text: source.text, loader: source.loader)
    if diagnostics.hasErrors {
      var sources: [String: SourceFile] = [:]
      for file in guide.files { sources[file.path] = file }
      console.say(
        "the guide now has errors, so it was not reloaded:\n"
          + DiagnosticRenderer(colored: false, showsSource: false).render(
            all: diagnostics.filter { $0.severity == .error }, sources: sources))
      return
    }
    let reloaded =
      followUp == nil
      ? guide
      : FollowUpCheck.guide(
        source: GuideExpander.expand(path: source.path, text: source.text, loader: source.loader),
        path: source.path, followUp: followUp)
    var fresh = InterviewSession(guide: reloaded, today: session.index.today)
    fresh.endWaits = true
    fresh.restore(events)
    session = fresh
    console.say("guide reloaded; \(session.state.answers.count) answers kept")
  }

  func status() -> InterviewStatus {
    let nowMs = now().ms
    let view = session.current.flatMap { session.view(of: $0) }
    let section = view?.section ?? ""
    // What is left in this section, and how many later sections still have something to ask:
    // counted by the engine, as the outline shows them, without building the outline.
    let groups = session.openQuestionsBySection()
    let position = groups.firstIndex { $0.title == section }
    let left = position.map { groups[$0].open } ?? 0
    let sectionsAhead = position.map { groups[($0 + 1)...].filter { $0.open > 0 }.count } ?? 0
    let budget = session.index.guide.sections.first { $0.title == section }?.budgetMinutes
    return InterviewStatus(
      section: section, part: view?.part ?? .customer, leftInSection: left,
      sectionsAhead: sectionsAhead,
      sectionSeconds: max(0, nowMs - (sectionStartMs[section] ?? nowMs)) / 1000,
      sectionBudgetMinutes: budget, totalSeconds: max(0, nowMs) / 1000,
      meetingMinutes: meetingMinutes, sharing: sharing)
  }

  /// Covered, skipped, time per section against its budget, and where the transcript is.
  private func summary() -> String {
    var answered = 0
    var skipped = 0
    var covered = 0
    for line in session.outline() {
      switch line.status {
      case .answered: answered += 1
      case .skipped: skipped += 1
      case .covered: covered += 1
      default: break
      }
    }
    var out =
      "interview finished: \(answered) answered, \(covered) covered in passing, "
      + "\(skipped) skipped"
    let open = session.openRequired()
    if !open.isEmpty { out += "; required but open: \(open.joined(separator: ", "))" }
    var seconds: [String: Int] = [:]
    var previous: (section: String, ms: Int)?
    for event in events where event.type == .shown || event.type == .end {
      if let previous { seconds[previous.section, default: 0] += (event.ms - previous.ms) / 1000 }
      let section = event.q.flatMap { session.index.section(of: $0)?.title } ?? ""
      previous = (section, event.ms)
    }
    for section in session.index.guide.sections where seconds[section.title] != nil {
      let used = seconds[section.title] ?? 0
      let budget = section.budgetMinutes.map { " of \($0) min" } ?? ""
      out += "\n  \(section.title): \(used / 60):\(String(format: "%02d", used % 60))\(budget)"
    }
    let required = Set(open)
    let leftOpen = session.openOnPath().filter { !required.contains($0) }
    if !leftOpen.isEmpty {
      out += "\nleft open (\(leftOpen.count)): \(leftOpen.joined(separator: ", "))"
    }
    out += endSummary()
    out += "\ntranscript: \(journal.path)"
    return out
  }

  /// Stores events and remembers them (for reload and the summary).
  func record(_ new: [TranscriptEvent]) {
    events += new
    store(new)
  }

  /// Stores `events` after anything still pending, saying plainly when the disk refuses.
  private func store(_ events: [TranscriptEvent]) {
    lock.lock()
    defer { lock.unlock() }
    var messages: [String] = []
    let retried = journal.retryPending()
    if let message = retried.message { messages.append(message) }
    if !events.isEmpty {
      let result = journal.append(contentsOf: events)
      if let message = result.message, !messages.contains(message) { messages.append(message) }
    }
    // Said every time: a move to a new file, or a disk that still refuses, must not go unseen.
    for message in messages { Console.error("gemba: \(message)\n") }
  }

  private func close() -> Int32 {
    lock.lock()
    defer { lock.unlock() }
    let result = journal.close()
    if !result.isSaved {
      Console.error("gemba: \(result.message ?? "some events could not be saved")\n")
      Console.error(rescue(journal.pendingLines))
      return 1
    }
    return 0
  }

  /// The last resort when the transcript's disk never came back: the events not yet saved go to a
  /// file in the temporary folder, and if even that fails, to standard error, so they can be
  /// appended by hand. Nothing is dropped without a word.
  private func rescue(_ lines: [String]) -> String {
    let text = lines.joined()
    let name = "gemba-unsaved-\(Path.lastComponent(journal.path))"
    for folder in [NSTemporaryDirectory(), NSHomeDirectory()] {
      let path = (folder as NSString).appendingPathComponent(name)
      if FileManager.default.createFile(
        atPath: path, contents: Data(text.utf8), attributes: [.posixPermissions: 0o600])
      {
        return "gemba: the \(lines.count) unsaved events are in \(path); append them to "
          + "\(journal.path) once the disk has room (cat \(path) >> \(journal.path))\n"
      }
    }
    return "gemba: the \(lines.count) unsaved events follow; append them to \(journal.path):\n"
      + text
  }
}
