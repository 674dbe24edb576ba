import Foundation

/// Interviews as long-format CSV, one row per answer, and as JSON for programs.
public enum ReportCSV {
  /// The header row's fields, in order.
  public static let columns = [
    "interview", "date", "customer", "interviewer", "section", "question id", "question",
    "answer", "parsed value", "tags", "skipped", "skip reason", "edited", "seconds",
  ]

  /// A header row, then one row for every question answered, covered or skipped in each of
  /// `records`, in the guide's order. RFC 4180: CRLF line ends, fields quoted when needed; a
  /// field a spreadsheet would run as a formula opens as text (``ReportEscaping/csvField(_:)``).
  public static func csv(_ records: [InterviewRecord]) -> String {
    var out = ReportEscaping.csvRecord(columns)
    for record in records {
      for row in record.rows {
        out += ReportEscaping.csvRecord([
          record.id, record.day, record.customer ?? "", record.interviewer ?? "", row.section,
          row.id, row.question, row.raw ?? "", row.value ?? "", row.tags.joined(separator: ";"),
          row.status == .skipped ? "yes" : "no", row.skipReason ?? "",
          row.revisions.isEmpty ? "no" : "yes", A3Report.number(row.seconds),
        ])
      }
    }
    return out
  }
}

/// One interview's report for programs: the A3 and the interview it was made from.
public struct ReportDocument: Sendable, Codable {
  public var a3: A3Report
  public var interview: InterviewRecord

  public init(a3: A3Report, interview: InterviewRecord) {
    self.a3 = a3
    self.interview = interview
  }

  /// Pretty-printed JSON with sorted keys, so it diffs well.
  public static func json(_ documents: [ReportDocument]) -> String {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
    let data = (try? encoder.encode(documents)) ?? Data("[]".utf8)
    return String(decoding: data, as: UTF8.self) + "\n"
  }
}
