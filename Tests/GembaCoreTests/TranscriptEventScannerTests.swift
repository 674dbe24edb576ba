import Foundation
import GembaTestSupport
import Testing

@testable import GembaCore

/// The fast event reader gives what Foundation's decoder gives, or leaves the line to it.
@Suite("Transcript event scanner")
struct TranscriptEventScannerTests {
  static func decoded(_ line: String) -> TranscriptEvent? {
    try? JSONDecoder().decode(TranscriptEvent.self, from: Data(line.utf8))
  }

  static func scanned(_ line: String) -> TranscriptEvent? {
    TranscriptEventScanner.event(Array(line.utf8)[...])
  }

  @Test func itKnowsEveryFieldOfAnEvent() {
    let fields = Mirror(reflecting: TranscriptEvent(.shown, t: "", ms: 0)).children.compactMap(
      \.label)
    #expect(Set(fields) == TranscriptEventScanner.knownKeys)
  }

  @Test func everyLineOfTheExamplesReadsAsTheDecoderReadsIt() throws {
    let folder = repositoryRoot().appendingPathComponent("transcripts/examples")
    let names = try FileManager.default.contentsOfDirectory(atPath: folder.path)
      .filter { $0.hasSuffix(".jsonl") && !$0.hasSuffix(".coach.jsonl") }
    #expect(!names.isEmpty)
    for name in names {
      let text = try String(contentsOf: folder.appendingPathComponent(name), encoding: .utf8)
      for line in text.split(separator: "\n").dropFirst() {
        let scanned = Self.scanned(String(line))
        #expect(scanned != nil, "\(line)")
        #expect(scanned == Self.decoded(String(line)), "\(line)")
      }
    }
  }

  @Test(arguments: 0..<300)
  func randomEventsReadAlike(seed: Int) {
    var random = SeededRandom(seed: UInt64(seed) &+ 7)
    let pieces = ["a", "é", "\"", "\\", "\n", "\u{1}", "😀", "/", " ", "{", "}", ",", ":", "1"]
    func text() -> String {
      (0..<random.below(8)).map { _ in pieces[random.below(pieces.count)] }.joined()
    }
    let kinds = TranscriptEvent.Kind.allCases
    var event = TranscriptEvent(
      kinds[random.below(kinds.count)], t: text(), ms: random.below(2_000_000) - 1000)
    if random.below(2) == 0 { event.q = text() }
    if random.below(2) == 0 { event.raw = text() }
    if random.below(3) == 0 { event.understood = random.below(2) == 0 }
    if random.below(3) == 0 { event.warnings = [text(), text()] }
    if random.below(3) == 0 { event.note = random.below(100) }
    if random.below(3) == 0 { event.offPath = [] }
    switch random.below(7) {
    case 0: event.value = .text(text())
    case 1: event.value = .number(Double(random.below(10_000)) / 8 - 100)
    case 2: event.value = .boolean(random.below(2) == 0)
    case 3: event.value = .date(Day.fromOrdinal(random.below(30_000)))
    case 4: event.value = .choice(text())
    case 5: event.value = .choices([text(), text()])
    default: break
    }
    let line = String(TranscriptCodec.line(event).dropLast())
    #expect(Self.scanned(line) == event, "\(line)")
    #expect(Self.decoded(line) == event, "\(line)")
  }

  @Test(arguments: [
    "{\"type\":\"shown\",\"t\":\"x\",\"ms\":1.5}",
    "{\"type\":\"later-kind\",\"t\":\"x\",\"ms\":1}",
    "{\"type\":\"shown\",\"t\":\"x\",\"ms\":1,\"ms\":2}",
    "{\"type\":\"shown\",\"t\":\"x\"}",
    "{\"type\":\"shown\",\"t\":\"x\",\"ms\":01}",
    "{\"type\":\"answer\",\"t\":\"x\",\"ms\":1,\"value\":{\"date\":\"2026-13-45\"}}",
    "{\"type\":\"shown\",\"t\":\"x\",\"ms\":1} trailing",
    "{\"type\":\"shown\",\"t\":\"\\ud800\",\"ms\":1}",
    "not json",
  ])
  func whatItDoesNotFullyUnderstandIsLeftToTheDecoder(line: String) {
    #expect(Self.scanned(line) == nil)
  }

  @Test func unknownFieldsAreSkippedAsTheDecoderSkipsThem() {
    let line =
      "{\"later\":{\"a\":[1,true,null,\"x\"]},\"ms\":3,\"q\":\"purpose\",\"t\":\"x\",\"type\":\"hint\"}"
    #expect(Self.scanned(line) != nil)
    #expect(Self.scanned(line) == Self.decoded(line))
  }
}
