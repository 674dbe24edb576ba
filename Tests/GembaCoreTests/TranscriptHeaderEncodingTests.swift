import Foundation
import Testing

@testable import GembaCore

/// The header's guide source is escaped by Gemba's own writer, not Foundation's encoder (which is
/// slow on megabytes of text); the line must be byte for byte what the encoder would write.
@Suite("Transcript header encoding")
struct TranscriptHeaderEncodingTests {
  private static let pieces = [
    "a", "Z", " ", "\n", "\r", "\t", "\u{8}", "\u{C}", "\u{0}", "\u{1}", "\u{1B}", "\u{1F}",
    "\u{7F}", "\"", "\\", "/", "é", "東京", "😀", "\u{2028}", "\u{FEFF}", "\"source\":\"\"", "{",
    "}", "? q: Why?\n", "  - yes\n",
  ]

  private static func encoderLine(_ header: TranscriptHeader) throws -> String {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
    return String(decoding: try encoder.encode(header), as: UTF8.self) + "\n"
  }

  private static func header(source: String, customer: String) -> TranscriptHeader {
    TranscriptHeader(
      id: "abc123def456", started: "2026-11-26T14:05:00.000Z",
      guide: .init(
        title: "T \"quoted\"", path: "/tmp/a b.guide", version: "1.0", method: nil,
        sha256: SHA256.hex(source), source: source),
      customer: .init(name: customer), interviewer: "Dana", with: ["Sam"], minutes: 45)
  }

  @Test("Random sources, control characters and all, give the encoder's exact line")
  func randomSourcesMatchTheEncoder() throws {
    var generator = SeededRandom(seed: 2026)
    for _ in 0..<300 {
      let length = Int.random(in: 0...40, using: &generator)
      let source = (0..<length).map { _ in Self.pieces.randomElement(using: &generator)! }
        .joined()
      let customer = Self.pieces.randomElement(using: &generator)! + "\"source\":\"\""
      let header = Self.header(source: source, customer: customer)
      let line = TranscriptCodec.line(header)
      #expect(line == (try Self.encoderLine(header)), "source: \(source.debugDescription)")
      let read = try #require(try? TranscriptCodec.read(Array(line.utf8)).get())
      #expect(read.header == header)
    }
  }

  @Test("A default guide's header is the encoder's line")
  func builtInSizedSource() throws {
    let source = String(repeating: "? q: What happened \"last\" time?\n\t- a\\b\n", count: 2_000)
    let header = Self.header(source: source, customer: "ACME Café")
    #expect(TranscriptCodec.line(header) == (try Self.encoderLine(header)))
  }
}
