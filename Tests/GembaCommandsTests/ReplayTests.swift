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
    // Played back, no key is read: the stepping help would promise what does not happen.
    #expect(!result.stdout.contains("Enter or n"))
    #expect(!FileManager.default.fileExists(atPath: CoachSidecar.path(forTranscript: path)))
  }

  /// `text` with the wrapping undone, so a phrase can be found wherever the lines broke.
  static func unwrapped(_ text: String) -> String {
    text.replacingOccurrences(of: #"\n +"#, with: " ", options: .regularExpression)
  }

  @Test func aFollowUpIsReplayedWithItsCheckPartAndTheFactsProposeUses() throws {
    let folder = try BinaryRunner.temporaryFolder()
    _ = try FollowUpTests.meet(1, in: folder)
    _ = try FollowUpTests.meet(2, in: folder)
    let second = try #require(try FollowUpTests.transcripts(in: folder).last).path
    let result = try BinaryRunner.run(
      ["replay", second, "--coach", "Kim"],
      input: [
        ":go check_1_expected", ":actions", ":go 99:00", ":time +500m", ":section", "/yes-if one",
        ":quit",
      ].joined(separator: "\n") + "\n", environment: ["COLUMNS": "100"])
    #expect(result.status == 0, "\(result.stderr)")
    let out = Self.unwrapped(result.stdout)
    // The Check part's step carries its section and budget, as in the run.
    #expect(out.contains("· Last time's promises (customer) · at "))
    let check = try #require(out.range(of: "Last time's promises (customer)"))
    let budget = try #require(
      out.range(of: "section budget", range: check.upperBound..<out.endIndex))
    #expect(!out[check.upperBound..<budget.lowerBound].contains("── "))
    // The rules now see the same follow-up facts as then, and as propose sees them.
    #expect(!out.contains("then only"), "\(result.stdout)")
    #expect(!out.contains("+ now only"), "\(result.stdout)")
    let proposed = try BinaryRunner.run(["propose", second, "--format", "json"])
    #expect(proposed.status == 0, "\(proposed.stderr)")
    let json = try #require(
      try JSONSerialization.jsonObject(with: Data(proposed.stdout.utf8)) as? [[String: Any]])
    let reasons = (json.first?["proposals"] as? [[String: Any]] ?? []).flatMap {
      $0["reasons"] as? [[String: Any]] ?? []
    }
    let rules = reasons.compactMap { $0["rule"] as? String }
    #expect(rules.contains("promise-overdue"))
    let actions = try #require(out.range(of: "recorded then beside the rules' proposals now"))
    #expect(out[actions.lowerBound...].contains("= then and now"))
    for rule in rules {
      #expect(out[actions.lowerBound...].contains("[\(rule)"), "\(rule) is not in :actions")
    }
    // A yes-if promise is shown with what it was conditional on.
    #expect(out.contains("yes-if one café owner agrees"))
    // Past the end, and a :section without a name, say so.
    #expect(out.contains("99:00 is past the end: the interview lasted "))
    #expect(out.contains("+500m is past the end"))
    #expect(out.contains("which section? :section NAME, such as :section before the call"))
  }

  @Test func theCoachsFileWarnsInOneLineAndAnUnnamedCoachIsTold() throws {
    let path = try Self.transcript()
    let first = try BinaryRunner.run(
      ["replay", path, "--coach", "Kim"], input: ":comment praise first\n:quit\n")
    #expect(first.status == 0, "\(first.stderr)")
    let sidecar = CoachSidecar.path(forTranscript: path)
    let handle = try #require(FileHandle(forWritingAtPath: sidecar))
    try handle.seekToEnd()
    try handle.write(contentsOf: Data(#"{"t":"2026-"#.utf8))
    try handle.close()
    let result = try BinaryRunner.run(
      ["replay", path], input: ":comment second\n:comment third\n:quit\n",
      environment: ["COLUMNS": "40", "USER": "", "LOGNAME": ""])
    #expect(result.status == 0, "\(result.stderr)")
    let lines = result.stderr.split(separator: "\n")
    let torn = lines.filter { $0.contains("cut short") }
    #expect(!torn.isEmpty)
    for line in torn {
      #expect(line.hasPrefix("gemba: warning: \(sidecar): "), "\(line)")
    }
    let unnamed = Self.unwrapped(result.stdout)
    #expect(
      unnamed.contains("comments and scores are saved without a name: give one with --coach NAME"))
    #expect(unnamed.components(separatedBy: "saved without a name").count == 2, "said once")
    let saved = try #require(
      CoachSidecar.read(Array(try Self.bytes(sidecar).utf8)).get())
    #expect(saved.comments.map { $0.by ?? "-" } == ["Kim", "-", "-"])
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

    // A rubric that is not there stops replay before it starts, naming the file.
    let gone = try BinaryRunner.run(
      ["replay", path, "--rubric", "/nonexistent.rubric"], input: ":quit\n")
    #expect(gone.status == 1)
    #expect(gone.stderr.contains("cannot read the rubric '/nonexistent.rubric': no such file"))
    #expect(!gone.stderr.contains("SourceLoadError"))
    #expect(gone.stdout.isEmpty)

    // Too many levels is the problem named, and no level is judged against a scale not written.
    try "title: Mine\nscale: 0-20\n\ncriterion a: A\n  0: low\n  20: high\n".write(
      toFile: rubric, atomically: true, encoding: .utf8)
    let wide = try BinaryRunner.run(["replay", path, "--rubric", rubric], input: ":quit\n")
    #expect(wide.stderr.contains("\(rubric):2:8: error: a scale of 21 levels"))
    #expect(wide.stderr.contains("[G703]"))
    #expect(!wide.stderr.contains("outside the scale"))
    #expect(!wide.stderr.contains("does not say what level"))
  }

  @Test func checkReadsARubricAsARubric() throws {
    let folder = try BinaryRunner.temporaryFolder()
    let rubric = folder.appendingPathComponent("bad.rubric").path
    try "title: Mine\nscale: 0-20\n\ncriterion a: A\n  0: low\n".write(
      toFile: rubric, atomically: true, encoding: .utf8)
    for target in [rubric, folder.path] {
      let result = try BinaryRunner.run(["check", "--brief", target])
      #expect(result.status == 1)
      #expect(
        result.stdout.contains("bad.rubric:2:8: error: a scale of 21 levels"), "\(result.stdout)")
      #expect(result.stdout.contains("[G703]"))
      #expect(!result.stdout.contains("G015"), "not read as a guide")
      #expect(result.stdout.contains("1 file checked, 1 error"))
    }
    let shipped = try BinaryRunner.run(
      ["check", "--warnings-as-errors", "scripts/coaching.rubric"])
    #expect(shipped.status == 0, "\(shipped.stdout)")
    #expect(shipped.stdout.contains("1 file checked, no problems found"))
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
