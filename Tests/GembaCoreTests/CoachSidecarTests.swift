import Foundation
import GembaCore
import Testing

@Suite("The coach sidecar's format")
struct CoachSidecarTests {
  private static let header = CoachSidecarHeader(
    interview: "7f3k", transcript: "2026-11-26T1405Z_acme-cafe_7f3k.jsonl",
    created: "2026-11-27T09:12:00.000Z")

  private static let events: [CoachEvent] = [
    .comment(
      CoachComment(
        t: "2026-11-27T09:13:00.000Z", by: "Kim", event: 4, q: "purpose", kind: .tryNext,
        text: "ask for the last time it happened,\nnot \"usually\"")),
    .comment(
      CoachComment(
        t: "2026-11-27T09:14:00.000Z", by: nil, event: 0, q: nil, kind: nil, text: "good call")),
    .score(
      CoachScore(
        t: "2026-11-27T09:15:00.000Z", by: "Kim", criterion: "specific-stories", level: 2,
        text: "two stories, one anchored", rubric: RubricReference(title: "Coaching", version: "1"))
    ),
    .outcome(
      CoachOutcome(t: "2026-12-20T10:00:00.000Z", by: "Dana", status: "pilot", text: nil)),
  ]

  @Test(arguments: [
    ("/x/2026-11-26T1405Z_acme-cafe_7f3k.jsonl", "/x/2026-11-26T1405Z_acme-cafe_7f3k.coach.jsonl"),
    ("a.rewritten-1.jsonl", "a.rewritten-1.coach.jsonl"),
    ("notes.txt", "notes.txt.coach.jsonl"),
    ("/x/.jsonl", "/x/.jsonl.coach.jsonl"),
  ])
  func pathReplacesTheFinalJsonlSuffix(transcript: String, sidecar: String) {
    #expect(CoachSidecar.path(forTranscript: transcript) == sidecar)
  }

  @Test func headerLineHasTheDocumentedFields() throws {
    let line = CoachSidecar.line(Self.header)
    #expect(line.hasSuffix("\n"))
    #expect(
      line == "{\"created\":\"2026-11-27T09:12:00.000Z\",\"format\":\"gemba-coach\","
        + "\"interview\":\"7f3k\",\"transcript\":\"2026-11-26T1405Z_acme-cafe_7f3k.jsonl\","
        + "\"type\":\"header\",\"version\":1}\n")
  }

  @Test func eventLinesHaveTheDocumentedFields() {
    #expect(
      CoachSidecar.line(Self.events[0])
        == "{\"by\":\"Kim\",\"event\":4,\"kind\":\"try-next\",\"q\":\"purpose\","
        + "\"t\":\"2026-11-27T09:13:00.000Z\",\"text\":\"ask for the last time it happened,\\n"
        + "not \\\"usually\\\"\",\"type\":\"comment\"}\n")
    #expect(
      CoachSidecar.line(Self.events[2])
        == "{\"by\":\"Kim\",\"criterion\":\"specific-stories\",\"level\":2,"
        + "\"rubric\":{\"title\":\"Coaching\",\"version\":\"1\"},\"t\":\"2026-11-27T09:15:00.000Z\","
        + "\"text\":\"two stories, one anchored\",\"type\":\"score\"}\n")
    #expect(
      CoachSidecar.line(Self.events[3])
        == "{\"by\":\"Dana\",\"status\":\"pilot\",\"t\":\"2026-12-20T10:00:00.000Z\","
        + "\"type\":\"outcome\"}\n")
  }

  @Test func everyEventReadsBackAsWritten() throws {
    let text = CoachSidecar.line(Self.header) + Self.events.map(CoachSidecar.line).joined()
    let contents = try CoachSidecar.read(Array(text.utf8)).get()
    #expect(contents.header == Self.header)
    #expect(contents.events == Self.events)
    #expect(contents.problems.isEmpty)
    #expect(contents.validLength == text.utf8.count)
    #expect(contents.comments.map(\.event) == [4, 0])
    #expect(contents.scores.map(\.level) == [2])
    #expect(contents.outcomes.map(\.status) == ["pilot"])
  }

  @Test func unknownFieldsAndEventTypesAreIgnored() throws {
    let text =
      CoachSidecar.line(Self.header)
      + "{\"type\":\"highlight\",\"t\":\"2026-11-27T09:13:00.000Z\",\"from\":3}\n"
      + "{\"type\":\"outcome\",\"t\":\"2026-11-27T09:13:00.000Z\",\"status\":\"won\","
      + "\"value\":12000}\n"
      + "{\"type\":\"score\",\"t\":\"x\",\"criterion\":\"c\",\"level\":1,"
      + "\"rubric\":{\"title\":\"R\",\"version\":3}}\n"
    let contents = try CoachSidecar.read(Array(text.utf8)).get()
    #expect(contents.problems.isEmpty)
    #expect(contents.outcomes.map(\.status) == ["won"])
    #expect(contents.scores.first?.rubric == RubricReference(title: "R", version: "3"))
  }

  @Test func garbageLinesAreSkippedAndReportedByLineNumber() throws {
    let text =
      CoachSidecar.line(Self.header)
      + CoachSidecar.line(Self.events[0])
      + "not json at all\n"
      + "{\"type\":\"score\",\"t\":\"x\",\"criterion\":\"c\",\"level\":\"high\"}\n"
      + "{\"type\":\"comment\",\"t\":\"x\",\"event\":-2,\"text\":\"before the start\"}\n"
      + "{\"type\":\"comment\",\"t\":\"x\",\"event\":2,\"kind\":\"meh\",\"text\":\"t\"}\n"
      + CoachSidecar.line(Self.events[3])
    let contents = try CoachSidecar.read(Array(text.utf8)).get()
    #expect(contents.events == [Self.events[0], Self.events[3]])
    #expect(contents.problems.map(\.line) == [3, 4, 5, 6])
    #expect(contents.problems[0].message == "not a readable event (it is not JSON); it is skipped")
    #expect(contents.problems[1].message.contains("'level' has the wrong kind of value"))
    #expect(contents.problems[2].message.contains("0 (the whole interview) or more"))
    #expect(contents.problems[3].message.contains("'kind'"))
  }

  @Test func aTornLastLineIsLeftOutWithAWarning() throws {
    let whole = CoachSidecar.line(Self.header) + CoachSidecar.line(Self.events[0])
    let torn = String(CoachSidecar.line(Self.events[2]).dropLast(9))
    let contents = try CoachSidecar.read(Array((whole + torn).utf8)).get()
    #expect(contents.events == [Self.events[0]])
    #expect(contents.validLength == whole.utf8.count)
    #expect(
      contents.problems.map(\.description) == [
        "line 3: the last line was cut short (a write was interrupted); it is left out"
      ])
  }

  @Test func filesThatAreNotSidecarsAreRefusedWithWhy() {
    func read(_ text: String) -> CoachSidecarReadError? {
      if case .failure(let error) = CoachSidecar.read(Array(text.utf8)) { return error }
      return nil
    }
    #expect(read("") == .empty)
    #expect(read("hello\n") == .notASidecar("it is not JSON"))
    #expect(
      read("{\"format\":\"gemba-transcript\",\"version\":1}\n")
        == .notASidecar("format is 'gemba-transcript'"))
    #expect(read("{\"format\":\"gemba-coach\",\"version\":9}\n") == .unsupportedVersion(9))
    #expect(
      read("{\"format\":\"gemba-coach\",\"version\":1}\n")
        == .notASidecar("a header field is missing or malformed"))
    let header = CoachSidecar.line(Self.header)
    #expect(read(String(header.dropLast())) == .notASidecar("the header line was cut short"))
    #expect(CoachSidecarReadError.unsupportedVersion(9).description.contains("update Gemba"))
  }
}
