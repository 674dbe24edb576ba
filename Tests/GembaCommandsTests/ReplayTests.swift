import Foundation
import GembaCore
import GembaTestSupport
import Testing

#if canImport(Glibc)
import Glibc
#endif

@Suite("gemba replay")
struct ReplayTests {
  static let cases = casesFolder("replay", target: "GembaCommandsTests")
  static let fileName = "2026-11-26T1405Z_cafe-schon-gmbh_7f3k.jsonl"

  /// A copy of the fixture interview in a fresh folder, so the coach's file lands there.
  static func transcript() throws -> String {
    let folder = try BinaryRunner.temporaryFolder()
    let path = folder.appendingPathComponent(fileName).path
    try FileManager.default.copyItem(
      atPath: cases.appendingPathComponent("cafe-schon.jsonl").path, toPath: path)
    return path
  }

  static func bytes(_ path: String) throws -> String {
    try String(contentsOfFile: path, encoding: .utf8)
  }

  /// The coach's file with its wall-clock times masked.
  static func maskTimes(_ text: String) -> String {
    text.replacingOccurrences(
      of: #""(t|created)":"[0-9T:.\-]+Z""#, with: "\"$1\":\"<t>\"", options: .regularExpression)
  }

  @Test func pipedCommandsMatchTheGoldenScreens() throws {
    let path = try Self.transcript()
    let before = SHA256.hex(try Self.bytes(path))
    let commands = [
      "", "", "p", ":go purpose", ":go failure_example",
      ":comment try-next ask for the last time it happened", ":event 27", ":time 20:00",
      ":section next steps", "/re-key", ":score specific-stories 1 one story, not dated",
      ":score next-step 2", ":score next-steps 7", ":comments", ":flags", ":actions",
      ":go nowhere", ":bogus", ":overview", ":quit",
    ]
    let result = try BinaryRunner.run(
      [
        "replay", path, "--coach", "Kim", "--rules",
        Self.cases.appendingPathComponent("now.rules").path,
      ], input: commands.joined(separator: "\n") + "\n",
      environment: ["COLUMNS": "90"])
    #expect(result.status == 0, "\(result.stderr)")
    #expect(result.stderr.isEmpty, "\(result.stderr)")
    assertSnapshot(result.stdout, at: Self.cases.appendingPathComponent("cafe-schon.out"))
    let sidecar = CoachSidecar.path(forTranscript: path)
    assertSnapshot(
      Self.maskTimes(try Self.bytes(sidecar)),
      at: Self.cases.appendingPathComponent("cafe-schon.coach.jsonl"))
    // The salesperson's transcript is never touched.
    #expect(SHA256.hex(try Self.bytes(path)) == before)
    let attributes = try FileManager.default.attributesOfItem(atPath: sidecar)
    #expect((attributes[.posixPermissions] as? Int) == 0o600)
  }

  @Test func anAnswerHoldingEscapeSequencesReachesTheTerminalHarmless() throws {
    let path = try Self.transcript()
    let result = try BinaryRunner.run(
      ["replay", path], input: ":go edges\n:comment \u{1B}[2Jwiped\n:show\n:comments\n",
      environment: ["COLUMNS": "90"])
    #expect(result.status == 0, "\(result.stderr)")
    #expect(!result.stdout.contains("\u{1B}"))
    #expect(!result.stdout.contains("\u{07}"))
    #expect(result.stdout.contains("They re-key it ␛]0;pwned␇␛[2J␛[31minto their"))
    #expect(result.stdout.contains("␛[2Jwiped"))
  }

  @Test func playShowsEveryStepInOrder() throws {
    let path = try Self.transcript()
    let result = try BinaryRunner.run(
      ["replay", path, "--play", "--speed", "100000", "--idle-limit", "0.001"],
      environment: ["COLUMNS": "90"])
    #expect(result.status == 0, "\(result.stderr)")
    #expect(result.stdout.hasPrefix("Replay · Customer purpose 1.0"))
    let first = try #require(result.stdout.range(of: "── 1/37 "))
    let last = try #require(result.stdout.range(of: "── 37/37 "))
    #expect(first.lowerBound < last.lowerBound)
    #expect(result.stdout.contains("interview ended"))
    #expect(!FileManager.default.fileExists(atPath: CoachSidecar.path(forTranscript: path)))
  }

  @Test func badOptionsAndFilesAreReportedClearly() throws {
    let path = try Self.transcript()
    let speed = try BinaryRunner.run(["replay", path, "--play", "--speed", "0"])
    #expect(speed.status != 0)
    #expect(speed.stderr.contains("--speed must be a number above 0"))
    let missing = try BinaryRunner.run(["replay", path + ".nope"])
    #expect(missing.status != 0)
    #expect(missing.stderr.contains("cannot read the transcript"))
    let rubric = URL(fileURLWithPath: path).deletingLastPathComponent()
      .appendingPathComponent("bad.rubric").path
    try "title: Mine\nscale: 1-3\n\ncriterion a: A\n  1: low\n  4: high\n".write(
      toFile: rubric, atomically: true, encoding: .utf8)
    let scored = try BinaryRunner.run(
      ["replay", path, "--rubric", rubric], input: ":score a 1\n:quit\n")
    #expect(scored.status == 0)
    #expect(scored.stderr.contains("\(rubric):6:3: error: level 4 is outside the scale 1-3"))
    #expect(
      scored.stderr.contains(
        "\(rubric):4:1: error: criterion 'a' does not say what levels 2, 3 look like"))
    #expect(scored.stdout.contains("no rubric to score against"))
  }

  @Test func aCoachStepsSearchesCommentsAndScoresAtARealTerminal() throws {
    let path = try Self.transcript()
    let before = SHA256.hex(try Self.bytes(path))
    let folder = URL(fileURLWithPath: path).deletingLastPathComponent()
    let terminal = try PseudoTerminal.start(
      ["replay", path, "--coach", "Kim"], home: folder, columns: 90)
    try terminal.answer("")
    try terminal.waitFor("── 1/37 ")
    try terminal.answer("")
    try terminal.waitFor("── 2/37 ")
    try terminal.answer("p")
    let back = terminal.text().count
    try terminal.answer("/re-key")
    try terminal.waitFor("── 10/37 ", from: back)
    try terminal.answer(":comment praise good open question")
    try terminal.waitFor("comment saved on event 27 (edges)")
    try terminal.answer(":score open-questions 1 one leading question")
    try terminal.waitFor("score saved: open-questions 1 of 3")
    try terminal.answer(":quit")
    #expect(try terminal.waitForExit() == 0)
    #expect(!terminal.text().contains("\u{1B}]0;pwned"))
    let sidecar = try #require(
      CoachSidecar.read(Array(try Self.bytes(CoachSidecar.path(forTranscript: path)).utf8))
        .get())
    #expect(
      sidecar.comments.map { "\($0.event) \($0.q ?? "") \($0.kind?.rawValue ?? "")" } == [
        "27 edges praise"
      ])
    #expect(
      sidecar.scores.map { "\($0.criterion) \($0.level) \($0.by ?? "")" } == [
        "open-questions 1 Kim"
      ])
    #expect(sidecar.header.interview == "7f3k2m9q1x0a")
    #expect(SHA256.hex(try Self.bytes(path)) == before)
  }
}
