import Foundation
import GembaTestSupport
import Testing

@testable import GembaCore

/// The A3 report in each format, from an interview driven through the engine, and the writers'
/// escaping.
@Suite("A3 reports")
struct ReportTests {
  static let cases = casesFolder("report")

  static let guide = """
    title: Small purpose
    version: 2.1
    method: lean-customer-purpose

    # Before the call (before, 2 min)
    ? expect: What do I expect to learn?
      tags: expectation

    # Purpose (customer, 3 min)
    ? purpose: What is your business there to do for its customers?
      probe: Tell me about the last customer you got it right for.
      tags: purpose
    ? measures: How do you know "{purpose}" is happening?
      tags: measure
    ? last_demand: Tell me about the last request that came in.
      tags: demand, failure-demand

    # Edges (customer, 1 min)
    ? edges: What happens just before and after?
      tags: edge-of-use, workaround

    # The forces as heard (after, 2 min)
    ? push (assess 0...3): How strong is the push?
      labels: not heard ... strong
      tags: push
    ? push_quote: Their words for the push.
      tags: push
    ? habit (assess 0...3): How strong is the habit?
      tags: habit

    # Next steps (after, 2 min)
    ? next_step_1: The first next step, in their words.
      tags: next-step, promise
    ? step_date (date): When is it due?
      tags: next-step
    """

  /// A whole interview with a probe, a note filed and one not, a skip, an edit, a tag, and
  /// answers that try to break every format.
  static func interview() -> (TranscriptContents, InterviewRecord) {
    var driver = SessionDriver(guide)
    driver.say("Whether they measure anything end to end")
    driver.say(":probe")
    driver.say("We keep cafés open | every *morning*")
    driver.say(":note they keep a spreadsheet")
    driver.say("=HYPERLINK(\"http://evil.example\",\"click\")")
    driver.say("<script>alert(1)</script> a café wrote \"the fridge is warm\"")
    driver.say(":file 1 last_demand")
    driver.say(":tag workaround last_demand")
    driver.say(":skip ran out of time")
    driver.say("3")
    driver.say("\"we lost the client's trust that week\"")
    driver.say(":edit purpose We keep cafés open every morning")
    driver.say("2")
    driver.say("-Anna sends a week of call logs by Friday\u{1B}[31m")
    driver.say(":note @Tom to check")
    driver.say("2026-12-04")
    var events = driver.events
    var promise = TranscriptEvent(.promise, t: "2026-11-26T14:40:00.000Z", ms: 60_000)
    promise.text = "Anna sends a week of call logs"
    promise.owner = "customer"
    promise.due = "2026-12-04"
    promise.answer = "yes-if"
    promise.conditions = "their IT agrees"
    events.append(promise)
    let header = TranscriptHeader(
      id: "abc123def456", started: "2026-11-26T14:05:00.000Z",
      guide: .init(
        title: "Small purpose", path: "small.guide", version: "2.1",
        method: "lean-customer-purpose", sha256: SHA256.hex(guide), source: guide),
      customer: .init(name: "Café Schön GmbH"), interviewer: "Dana", with: ["Anna Berger"],
      minutes: 30)
    let contents = TranscriptContents(header: header, events: events, problems: [], validLength: 0)
    return (contents, InterviewRecord(contents))
  }

  static func report(comments: Bool = true) -> A3Report {
    let (_, record) = interview()
    return A3Report(
      record, transcript: "2026-11-26T1405Z_cafe-schon-gmbh_abc1.jsonl",
      outcomes: [
        .init(
          status: "pilot", text: "a 4-week pilot in two cafés", by: "Dana",
          t: "2026-12-10T09:00:00.000Z")
      ],
      comments: comments
        ? [
          .init(
            q: "purpose", kind: "praise", text: "Good: their words, not ours", by: "Kim",
            t: "2026-11-27T08:00:00.000Z")
        ] : nil)
  }

  @Test func theRecordHoldsEveryQuestionHandledWithItsTime() {
    let (_, record) = Self.interview()
    #expect(
      record.rows.map(\.id) == [
        "expect", "purpose", "measures", "last_demand", "edges", "push", "push_quote", "habit",
        "next_step_1", "step_date",
      ])
    let purpose = record.rows.first { $0.id == "purpose" }
    #expect(purpose?.revisions == ["We keep cafés open | every *morning*"])
    #expect(purpose?.probes == 1)
    #expect(record.rows.first { $0.id == "edges" }?.skipReason == "ran out of time")
    #expect(record.rows.first { $0.id == "last_demand" }?.notes == ["they keep a spreadsheet"])
    #expect(record.rows.first { $0.id == "last_demand" }?.tags.contains("workaround") == true)
    #expect(record.notes == ["@Tom to check"])
    #expect(record.isFinished)
    // Every second between events is charged to the question on screen.
    #expect(record.rows.allSatisfy { $0.seconds > 0 })
    #expect(record.sections.first { $0.title == "Purpose" }.map { $0.secondsUsed > 0 } == true)
    #expect(record.promises.first?.answer == "yes-if")
  }

  @Test func markdownCSVAndHTMLMatchTheirSnapshots() {
    let report = Self.report()
    assertSnapshot(report.markdown(), at: Self.cases.appendingPathComponent("small.md"))
    assertSnapshot(A3Report.html([report]), at: Self.cases.appendingPathComponent("small.html"))
    assertSnapshot(
      ReportCSV.csv([Self.interview().1]), at: Self.cases.appendingPathComponent("small.csv"))
  }

  @Test func commentsAreLeftOutUnlessAskedFor() {
    #expect(!Self.report(comments: false).markdown().contains("Coach comments"))
    #expect(Self.report().markdown().contains("## Coach comments"))
  }

  @Test func aFormulaInAnAnswerOpensAsText() throws {
    let csv = ReportCSV.csv([Self.interview().1])
    let rows = try #require(CSVReader.parse(csv))
    #expect(rows.first == ReportCSV.columns)
    for row in rows.dropFirst() {
      #expect(row.count == ReportCSV.columns.count)
      for cell in row {
        if let first = cell.unicodeScalars.first {
          #expect(!"=+-@\t\r".unicodeScalars.contains(first), "\(cell)")
        }
      }
    }
    #expect(csv.contains("'=HYPERLINK(\"\"http://evil.example\"\",\"\"click\"\")"))
    #expect(csv.contains("'-Anna sends"))
    #expect(ReportEscaping.csvField("-12.5") == "-12.5")
    #expect(ReportEscaping.csvField("+49 40 123") == "'+49 40 123")
    #expect(ReportEscaping.csvField("@SUM(A1)") == "'@SUM(A1)")
    #expect(ReportEscaping.csvField("\tx") == "' x")
    #expect(ReportEscaping.csvField("\r=1") == "\"'\n=1\"")
  }

  @Test func theHTMLPageLoadsNothingFromAnywhere() {
    let html = A3Report.html([Self.report()])
    for forbidden in ["<script", "<link", "<img", "<iframe", "@import", "url(", "src=", "href="] {
      #expect(!html.lowercased().contains(forbidden), "\(forbidden)")
    }
    #expect(html.contains("default-src 'none'"))
    #expect(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"))
    #expect(html.contains("<svg class=\"chart\""))
    #expect(!html.contains("\u{1B}"))
  }

  @Test(arguments: 0..<200)
  func writersStayWellFormedForAnyAnswer(seed: Int) throws {
    var random = SeededRandom(seed: UInt64(seed))
    let alphabet: [Character] = [
      "=", "+", "-", "@", "\t", "\r", "\n", "\"", ",", "'", "<", ">", "&", "|", "*", "_", "`",
      "#", "[", "]", "\\", "\u{1B}", "\u{07}", "\u{0}", "\u{7F}", "\u{85}", "a", "b", " ", "é",
      "1", ".", ")", "~", ":",
    ]
    let text = String((0..<random.below(24)).map { _ in alphabet[random.below(alphabet.count)] })

    let field = ReportEscaping.csvField(text)
    let parsed = try #require(CSVReader.parse(field + "\r\n"), "\(field.debugDescription)")
    #expect(parsed.count == 1 && parsed[0].count == 1, "\(field.debugDescription)")
    let cell = parsed[0][0]
    if let first = cell.unicodeScalars.first {
      #expect(!"=+-@\t\r".unicodeScalars.contains(first) || Double(cell) != nil, "\(cell)")
    }
    #expect(!cell.unicodeScalars.contains { $0.value < 0x20 && $0 != "\n" || $0.value == 0x7F })

    let html = ReportEscaping.html(text)
    #expect(!html.contains { "<>\"'".contains($0) }, "\(html)")
    #expect(
      !html.unicodeScalars.contains {
        ($0.value < 0x20 && $0 != "\n") || (0x7F...0x9F).contains($0.value)
      })

    let markdown = ReportEscaping.markdown(text)
    #expect(
      !markdown.unicodeScalars.contains {
        ($0.value < 0x20 && $0 != "\n") || (0x7F...0x9F).contains($0.value)
      })
    for line in markdown.split(separator: "\n") {
      // Nothing at the start of a line may begin a heading, a list, a quote or a code block.
      if let first = line.first { #expect(!"#-+>=`*".contains(first), "\(markdown)") }
    }
    let characters = Array(markdown)
    for (index, character) in characters.enumerated() where "*_`[]<>|~".contains(character) {
      #expect(index > 0 && characters[index - 1] == "\\", "\(markdown)")
    }
  }
}

/// A small RFC 4180 reader: nil when the text is not well-formed CSV.
enum CSVReader {
  static func parse(_ text: String) -> [[String]]? {
    var rows: [[String]] = []
    var row: [String] = []
    var field = ""
    var quoted = false
    var characters = Array(text.unicodeScalars)[...]
    var atFieldStart = true
    while let scalar = characters.popFirst() {
      if quoted {
        if scalar == "\"" {
          if characters.first == "\"" {
            characters.removeFirst()
            field.unicodeScalars.append("\"")
          } else {
            quoted = false
            guard let next = characters.first, next == "," || next == "\r" else {
              return nil
            }
          }
        } else {
          field.unicodeScalars.append(scalar)
        }
        continue
      }
      switch scalar {
      case "\"":
        guard atFieldStart else { return nil }
        quoted = true
        atFieldStart = false
      case ",":
        row.append(field)
        field = ""
        atFieldStart = true
      case "\r":
        guard characters.popFirst() == "\n" else { return nil }
        row.append(field)
        rows.append(row)
        row = []
        field = ""
        atFieldStart = true
      case "\n":
        return nil
      default:
        field.unicodeScalars.append(scalar)
        atFieldStart = false
      }
    }
    if quoted || !row.isEmpty || !field.isEmpty { return nil }
    return rows
  }
}
