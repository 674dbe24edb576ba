import ArgumentParser
import Foundation
import GembaCore
import GembaTerminal

/// `gemba note`: a note added after the call, appended to the interview's transcript.
struct NoteCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "note",
    abstract: "Add a note to an interview after the call.",
    discussion: """
      Names the interview by its transcript file, or by the customer: their latest interview \
      (the name matches ignoring case, accents and spacing; rehearsals are left out). The note \
      is appended to the transcript as a 'note' event with the time it was added; nothing \
      already in the transcript changes. It works on ended interviews too.

        gemba note 'Café Schön' "they called back: the pilot is on for March"
      """
  )

  @Argument(
    help: "A transcript file, or a customer's name (their latest interview).",
    completion: .file(extensions: ["jsonl"]))
  var interview: String

  @Argument(help: "The note; several words need no quotes.")
  var text: [String] = []

  @Option(
    help: "Where transcripts are kept (to find a customer's interviews).", completion: .directory)
  var transcripts: String?

  func validate() throws {
    if text.joined(separator: " ").trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
      throw ValidationError("write the note after the interview: gemba note \(interview) \"…\"")
    }
  }

  func run() throws {
    let path = try transcriptPath()
    let journal: TranscriptJournal
    let contents: TranscriptContents
    do {
      (journal, contents) = try TranscriptJournal.open(path: path)
    } catch TranscriptJournalError.locked {
      throw CommandFailure(
        "another Gemba has this interview open (\(path)); add the note there with ':note', or "
          + "pause or end it there and try again")
    } catch {
      throw CommandFailure("cannot add a note to '\(path)': \(error)")
    }
    for warning in journal.warnings { Console.error("gemba: \(warning)\n") }
    let note = text.joined(separator: " ").trimmingCharacters(in: .whitespacesAndNewlines)
    let now = Date()
    var event = TranscriptEvent(
      .note, t: Timestamp.iso(now.timeIntervalSince1970), ms: Self.offset(contents, at: now))
    event.note = (contents.events.compactMap(\.note).max() ?? 0) + 1
    event.text = note
    let appended = journal.append(event)
    let closed = journal.close()
    guard appended.isSaved, closed.isSaved else {
      throw CommandFailure(
        "the note could not be saved to \(path): \(appended.message ?? closed.message ?? "")")
    }
    let who = contents.header.customer?.name ?? "no customer named"
    Console.out(
      "note \(event.note ?? 1) added to the interview with \(TerminalSafe.neutralize(who)) "
        + "started \(ListCommand.localTime(contents.header.started)) (\(path))\n")
  }

  /// The transcript named, or the latest real interview with the customer named.
  private func transcriptPath() throws -> String {
    try TranscriptFolder.interview(named: interview, transcripts: transcripts)
  }

  /// Milliseconds since the interview started: by the wall clock, as the interview's own clock
  /// is gone, and never before the last event, so offsets keep growing.
  static func offset(_ contents: TranscriptContents, at now: Date) -> Int {
    let last = contents.events.map(\.ms).max() ?? 0
    let parser = ISO8601DateFormatter()
    parser.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
    guard let started = parser.date(from: contents.header.started) else { return last }
    let elapsed = Int((now.timeIntervalSince(started) * 1000).rounded(.down))
    return max(last, elapsed)
  }
}
