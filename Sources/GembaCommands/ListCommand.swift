import ArgumentParser
import Foundation
import GembaCore
import GembaTerminal

/// `gemba list`: the interviews in the transcripts folder, unfinished first.
struct ListCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "list",
    abstract: "List interviews, unfinished first, with how far each got.",
    discussion: """
      Shows each interview's date, customer, guide and how far it got: the questions answered \
      of those on its path (the path follows the answers given), or the section it stopped in. \
      Rehearsals ('gemba run --practice') are left out unless --practice. A file that cannot be \
      read is listed with what is wrong with it.
      """
  )

  enum Format: String, ExpressibleByArgument, CaseIterable {
    case text
    case json
  }

  @Flag(help: "Only interviews that have not ended.")
  var unfinished = false

  @Option(help: "Only interviews with this customer (case, accents and spacing ignored).")
  var customer: String?

  @Flag(help: "Include rehearsals ('gemba run --practice').")
  var practice = false

  @Option(help: "Output format: text for people, json for scripts.")
  var format: Format = .text

  @Option(help: "Where transcripts are kept.", completion: .directory)
  var transcripts: String?

  /// One row of the list.
  struct Row {
    var path: String
    var header: TranscriptHeader
    var progress: InterviewProgress
    var unreadableLines: Int
    /// The customer's name as first written down, for the text list.
    var name: String?
  }

  func run() throws {
    let folder = TranscriptFolder.resolve(transcripts)
    let key = customer.map(CustomerKey.make)
    var rows: [Row] = []
    var broken: [(path: String, reason: String)] = []
    // Most interviews share a few guides: each is parsed once, by its hash.
    var guides: [String: Guide] = [:]
    for interview in TranscriptFolder.interviews(in: folder, includePractice: practice) {
      switch interview.contents {
      case .success(let contents):
        if let key, contents.header.customer?.key != key { continue }
        if unfinished && contents.isFinished { continue }
        // A follow-up's guide has its own Check part, made from its header: not shared.
        let hash = contents.header.followUp == nil ? contents.header.guide.sha256 : nil
        let guide = hash.flatMap { guides[$0] } ?? InterviewProgress.guide(of: contents.header)
        if let hash { guides[hash] = guide }
        rows.append(
          Row(
            path: interview.path, header: contents.header,
            progress: InterviewProgress(contents, guide: guide),
            unreadableLines: contents.problems.count))
      case .failure(let error):
        // A broken file may belong to anyone: it is shown unless a filter could not match it.
        if key == nil { broken.append((interview.path, error.description)) }
      }
    }
    // Each customer by the name first written down, as brief and history name them.
    var first: [String: (started: String, name: String)] = [:]
    for row in rows {
      guard let customer = row.header.customer else { continue }
      if first[customer.key].map({ row.header.started < $0.started }) ?? true {
        first[customer.key] = (row.header.started, customer.name)
      }
    }
    for index in rows.indices {
      rows[index].name = rows[index].header.customer.flatMap { first[$0.key]?.name }
    }
    // Newest first within each group; the folder listing is already newest first.
    rows = rows.filter { !$0.progress.isFinished } + rows.filter { $0.progress.isFinished }
    switch format {
    case .text:
      Console.out(renderText(rows, broken: broken, folder: folder))
    case .json:
      Console.out(Self.renderJSON(rows, broken: broken) + "\n")
    }
  }

  private func renderText(_ rows: [Row], broken: [(path: String, reason: String)], folder: String)
    -> String
  {
    if rows.isEmpty && broken.isEmpty {
      var what = unfinished ? "unfinished interviews" : "interviews"
      if let customer { what += " with '\(TerminalSafe.neutralize(customer))'" }
      return "no \(what) in \(folder)\n"
    }
    let table = rows.map { row -> [String] in
      var customer = row.name ?? "(no customer named)"
      if row.header.practice { customer += " [practice]" }
      let progress = row.progress
      var state = "\(progress.answered) of \(progress.onPath) answered"
      if progress.isFinished {
        state += ", ended"
      } else if let section = progress.lastSection {
        state += ", stopped in \(section)"
      }
      if progress.notes > 0 { state += ", \(progress.notes) note\(progress.notes == 1 ? "" : "s")" }
      if row.unreadableLines > 0 {
        state += ", \(row.unreadableLines) unreadable line\(row.unreadableLines == 1 ? "" : "s")"
      }
      return [
        Self.localTime(row.header.started), customer, row.header.guide.title, state, row.path,
      ].map { TerminalSafe.neutralize($0) }
    }
    // Long cells are cut with '…', so the columns stay aligned and the path stays on the line.
    let limits = [16, 28, 40, 64]
    let widths = (0..<4).map { column in
      min(table.map { $0[column].count }.max() ?? 0, limits[column])
    }
    var out = ""
    var lastGroup: Bool?
    for (row, cells) in zip(rows, table) {
      if lastGroup != row.progress.isFinished {
        if lastGroup != nil { out += "\n" }
        out += row.progress.isFinished ? "ended\n" : "not ended (gemba resume FILE)\n"
        lastGroup = row.progress.isFinished
      }
      var line = " "
      for column in 0..<4 {
        var cell = cells[column]
        if cell.count > widths[column] { cell = cell.prefix(widths[column] - 1) + "…" }
        line +=
          " " + cell + String(repeating: " ", count: max(0, widths[column] - cell.count)) + " "
      }
      out += line + cells[4] + "\n"
    }
    if !broken.isEmpty {
      if !out.isEmpty { out += "\n" }
      out += "cannot be read\n"
      for (path, reason) in broken {
        out += "  \(TerminalSafe.neutralize(path)): \(reason)\n"
      }
    }
    return out
  }

  private struct Entry: Encodable {
    var path: String
    var started: String?
    var customer: String?
    var customerKey: String?
    var interviewer: String?
    var guide: String?
    var guidePath: String?
    var practice: Bool?
    var finished: Bool?
    var answered: Int?
    var skipped: Int?
    var onPath: Int?
    var lastSection: String?
    var notes: Int?
    var unreadableLines: Int?
    var error: String?
  }

  static func renderJSON(_ rows: [Row], broken: [(path: String, reason: String)]) -> String {
    var entries = rows.map { row in
      Entry(
        path: row.path, started: row.header.started, customer: row.header.customer?.name,
        customerKey: row.header.customer?.key, interviewer: row.header.interviewer,
        guide: row.header.guide.title, guidePath: row.header.guide.path,
        practice: row.header.practice, finished: row.progress.isFinished,
        answered: row.progress.answered, skipped: row.progress.skipped,
        onPath: row.progress.onPath, lastSection: row.progress.lastSection,
        notes: row.progress.notes, unreadableLines: row.unreadableLines)
    }
    entries += broken.map { Entry(path: $0.path, error: $0.reason) }
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
    guard let data = try? encoder.encode(entries) else { return "[]" }
    return String(decoding: data, as: UTF8.self)
  }

  /// `2026-11-26 15:05` in the local time zone, from a transcript's UTC start time.
  static func localTime(_ iso: String) -> String {
    let parser = ISO8601DateFormatter()
    parser.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
    guard let date = parser.date(from: iso) else { return iso }
    let formatter = DateFormatter()
    formatter.locale = Locale(identifier: "en_US_POSIX")
    formatter.dateFormat = "yyyy-MM-dd HH:mm"
    return formatter.string(from: date)
  }
}
