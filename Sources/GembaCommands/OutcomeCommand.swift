import ArgumentParser
import Foundation
import GembaCore
import GembaTerminal

/// `gemba outcome`: what came of an interview, recorded beside its transcript.
struct OutcomeCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "outcome",
    abstract: "Record what came of an interview: pilot, won, lost, no-decision or your own word.",
    discussion: """
      Names the interview by its transcript file, or by the customer: their latest interview \
      (the name matches ignoring case, accents and spacing; rehearsals are left out). The \
      outcome is appended to the coach's file beside the transcript (….coach.jsonl, created \
      on first use); the transcript itself is never changed. The latest outcome shows in \
      gemba report and in gemba stats, which sets outcomes against what was asked.

        gemba outcome 'Café Schön' pilot "a four-week pilot in two cafés"
      """
  )

  static let statuses = ["pilot", "won", "lost", "no-decision"]

  @Argument(
    help: "A transcript file, or a customer's name (their latest interview).",
    completion: .file(extensions: ["jsonl"]))
  var interview: String

  @Argument(
    help: ArgumentHelp(
      "pilot, won, lost, no-decision, or a word of your team's own.", valueName: "status"))
  var status: String

  @Argument(help: "What happened, in a few words; several words need no quotes.")
  var text: [String] = []

  @Option(help: "Who records it (default: your interviewer setting, else $USER).")
  var by: String?

  @Option(
    help: "Where transcripts are kept (to find a customer's interviews).", completion: .directory)
  var transcripts: String?

  func validate() throws {
    let word = status.lowercased()
    let allowed = word.unicodeScalars.allSatisfy {
      ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "-"
    }
    guard !word.isEmpty, allowed, word.first != "-" else {
      throw ValidationError(
        "the status '\(TerminalSafe.neutralize(status))' is not one word of letters, digits and "
          + "hyphens; use \(Self.statuses.joined(separator: ", ")) or a word of your own")
    }
  }

  func run() throws {
    let path = try TranscriptFolder.interview(named: interview, transcripts: transcripts)
    let contents = try TranscriptFolder.read(path)
    let now = Timestamp.iso(Date().timeIntervalSince1970)
    let writer: CoachSidecarWriter
    do {
      (writer, _) = try CoachSidecarWriter.open(
        forTranscript: path, interview: contents.header.id, created: now)
    } catch {
      throw CommandFailure("cannot record the outcome beside '\(path)': \(error)")
    }
    for warning in writer.warnings { Console.error("gemba: \(warning)\n") }
    let words = text.joined(separator: " ").trimmingCharacters(in: .whitespacesAndNewlines)
    let outcome = CoachOutcome(
      t: now, by: by ?? Self.recorder(), status: status.lowercased(),
      text: words.isEmpty ? nil : words)
    let appended = writer.append(.outcome(outcome))
    let closed = writer.close()
    guard appended.isSaved, closed.isSaved else {
      throw CommandFailure(
        "the outcome could not be saved to \(writer.path): "
          + (appended.message ?? closed.message ?? ""))
    }
    let who = contents.header.customer?.name ?? "no customer named"
    Console.out(
      "outcome '\(outcome.status)' recorded for the interview with \(TerminalSafe.neutralize(who)) "
        + "started \(ListCommand.localTime(contents.header.started)) (\(writer.path))\n")
  }

  /// Who records it when --by is not given: the interviewer setting, else the login name.
  static func recorder() -> String? {
    if let name = UserSettings.load().settings.interviewer.value, !name.isEmpty { return name }
    return ProcessInfo.processInfo.environment["USER"].flatMap { $0.isEmpty ? nil : $0 }
  }
}
