import Dispatch
import Foundation
import GembaCore
import GembaTerminal

/// Runs an interview over lines of input: each event is stored (fsynced) before the next
/// question is shown, and a kill or a closed terminal loses nothing that was acknowledged.
final class InterviewRunner: @unchecked Sendable {
  // Shared with the signal handlers, which run on another thread: every use of the journal
  // goes through `lock`.
  private let journal: TranscriptJournal
  private var session: InterviewSession
  private let lock = NSLock()
  private let printer = PlainPrinter()
  private let started = ProcessInfo.processInfo.systemUptime
  private let offsetBase: Int
  private var signalSources: [any DispatchSourceSignal] = []

  init(journal: TranscriptJournal, session: InterviewSession, offsetBase: Int = 0) {
    self.journal = journal
    self.session = session
    self.offsetBase = offsetBase
  }

  /// Now, as a transcript records it.
  func now() -> Moment {
    let elapsed = Int(((ProcessInfo.processInfo.systemUptime - started) * 1000).rounded())
    return Moment(t: Timestamp.iso(Date().timeIntervalSince1970), ms: offsetBase + elapsed)
  }

  /// SIGTERM and SIGHUP append `interrupted` and exit cleanly; the interview can be resumed.
  func installSignalHandlers() {
    for signalNumber in [SIGTERM, SIGHUP, SIGINT] {
      signal(signalNumber, SIG_IGN)
      let source = DispatchSource.makeSignalSource(signal: signalNumber, queue: .global())
      source.setEventHandler { [self] in
        let name =
          signalNumber == SIGTERM ? "SIGTERM" : signalNumber == SIGHUP ? "SIGHUP" : "SIGINT"
        lock.lock()
        var event = TranscriptEvent(.interrupted, t: now().t, ms: now().ms)
        event.signal = name
        let result = journal.append(event)
        _ = journal.close()
        lock.unlock()
        Console.error(
          "\ngemba: stopped by \(name); \(result.isSaved ? "everything is saved" : "some events could not be saved"). "
            + "Continue with: gemba resume \(journal.path)\n")
        exit(result.isSaved ? 0 : 1)
      }
      source.resume()
      signalSources.append(source)
    }
  }

  /// Runs until the interview ends, is paused, or input ends. Returns the exit status.
  func run(reader: inout some LineReader) -> Int32 {
    while true {
      store([])
      if let (event, view) = session.presentNext(at: now()) {
        store([event])
        Console.out(printer.question(view))
      }
      if session.isFinished {
        Console.out("- interview finished; transcript: \(journal.path)\n")
        return close()
      }
      guard let line = reader.readLine(prompt: "") else {
        var pause = TranscriptEvent(.pause, t: now().t, ms: now().ms, q: session.current)
        pause.reason = "end of input"
        store([pause])
        Console.out("- paused at the end of input; continue with: gemba resume \(journal.path)\n")
        return close()
      }
      let step = session.handle(line, at: now())
      store(step.events)
      for message in step.messages { Console.out(printer.message(message)) }
      if step.paused {
        Console.out("- paused; continue with: gemba resume \(journal.path)\n")
        return close()
      }
    }
  }

  /// Stores `events` after anything still pending, saying plainly when the disk refuses.
  private func store(_ events: [TranscriptEvent]) {
    lock.lock()
    defer { lock.unlock() }
    var messages: [String] = []
    var result = journal.retryPending()
    if let message = result.message { messages.append(message) }
    for event in events {
      result = journal.append(event)
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
