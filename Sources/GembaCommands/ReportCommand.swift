import ArgumentParser
import Foundation
import GembaCore
import GembaTerminal

/// `gemba report`: an A3-style one-page report of an interview, to paste, print or import.
struct ReportCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "report",
    abstract: "Write an A3-style one-page report of interviews: Markdown, HTML, CSV or JSON.",
    discussion: """
      The A3 has a title; the background (customer, who was there, the interviewer, the date, \
      the guide, what was expected before the call); the current condition (the answers section \
      by section, in the customer's words); the target (purpose and measures they named); the \
      analysis (the four forces as the interviewer assessed them, with their quotes; demand; \
      edges of use; where the relationship stands); countermeasures and plan (the next steps in \
      the customer's words and the promises made, not every rule proposal); and follow-up \
      (what to check and when, questions skipped to ask next time, and the outcome recorded \
      with gemba outcome).

      markdown pastes into a CRM note or a wiki. html is one self-contained page that loads \
      nothing from anywhere, reads on a phone and prints each report on one page, with the time \
      used against each section's budget as a chart. csv has one row per answer (long format) \
      for a spreadsheet or a CRM import; cells a spreadsheet would run as formulas open as \
      text. json holds the report and the interview it was made from.

      The report is written to standard output, or to --out FILE (private to you: it holds \
      what a customer said).
      """
  )

  enum Format: String, ExpressibleByArgument, CaseIterable {
    case markdown
    case html
    case csv
    case json
  }

  @Argument(
    help: "Transcripts (.jsonl), or folders of them.",
    completion: .file(extensions: ["jsonl"]))
  var transcripts: [String]

  @Option(help: "Output format.")
  var format: Format = .markdown

  @Option(
    help: ArgumentHelp(
      "Write the report to this file instead of standard output.", valueName: "file"),
    completion: .file())
  var out: String?

  @Flag(help: "Add the coach's comments from the coach's file beside the transcript.")
  var comments = false

  func validate() throws {
    if transcripts.isEmpty { throw ValidationError("name at least one transcript") }
  }

  func run() throws {
    var records: [(path: String, record: InterviewRecord)] = []
    for path in try TranscriptFolder.files(named: transcripts) {
      let contents = try TranscriptFolder.read(path)
      records.append((path, InterviewRecord(contents)))
    }
    if records.isEmpty {
      throw CommandFailure("no transcripts in \(transcripts.joined(separator: ", "))")
    }
    let reports = records.map { entry in
      let coach = CoachFile.read(besides: entry.path)
      return A3Report(
        entry.record, transcript: Path.lastComponent(entry.path),
        outcomes: (coach?.outcomes ?? []).map {
          A3Report.Outcome(status: $0.status, text: $0.text, by: $0.by, t: $0.t)
        },
        comments: comments
          ? (coach?.comments ?? []).map {
            A3Report.Comment(q: $0.q, kind: $0.kind?.rawValue, text: $0.text, by: $0.by, t: $0.t)
          } : nil)
    }
    let text: String
    switch format {
    case .markdown: text = reports.map { $0.markdown() }.joined(separator: "\n---\n\n")
    case .html: text = A3Report.html(reports)
    case .csv: text = ReportCSV.csv(records.map(\.record))
    case .json:
      text = ReportDocument.json(
        zip(reports, records).map { ReportDocument(a3: $0, interview: $1.record) })
    }
    try OutputFile.write(text, to: out)
  }
}

/// The coach's file beside a transcript, as reports and stats read it.
enum CoachFile {
  /// What the coach's file beside the transcript at `path` holds; nil when there is none. A file
  /// that cannot be read, or lines of it, are reported and left out, never silently.
  static func read(besides path: String) -> CoachSidecarContents? {
    do {
      guard let contents = try CoachSidecarWriter.read(forTranscript: path) else { return nil }
      for problem in contents.problems {
        Console.error(
          "gemba: warning: \(CoachSidecar.path(forTranscript: path)): \(problem); "
            + "the line is left out\n")
      }
      return contents
    } catch {
      Console.error("gemba: warning: the coach's notes beside '\(path)' are left out: \(error)\n")
      return nil
    }
  }
}

/// Where a command's output goes: standard output, or a private file written whole.
enum OutputFile {
  /// Writes `text` to `path` (atomically, readable by the owner only, since reports hold what
  /// customers said), or to standard output when `path` is nil or `-`.
  static func write(_ text: String, to path: String?) throws {
    guard let path, path != "-" else {
      Console.out(text)
      return
    }
    let created = FileManager.default.createFile(
      atPath: path + ".tmp-gemba", contents: Data(text.utf8),
      attributes: [.posixPermissions: 0o600])
    guard created, rename(path + ".tmp-gemba", path) == 0 else {
      let reason = String(cString: strerror(errno))
      unlink(path + ".tmp-gemba")
      throw CommandFailure("cannot write '\(path)': \(reason)")
    }
  }
}
