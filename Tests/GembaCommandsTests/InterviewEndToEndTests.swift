import Foundation
import GembaTestSupport
import Testing

/// Transcripts with the times and ids that change on every run masked, so two runs compare.
enum TranscriptMask {
  static func mask(_ text: String) -> String {
    var out = ""
    for line in text.split(separator: "\n", omittingEmptySubsequences: true) {
      guard var object = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any]
      else {
        out += "<unreadable>\n"
        continue
      }
      if object["t"] != nil { object["t"] = "<t>" }
      if object["ms"] != nil { object["ms"] = 0 }
      if object["type"] as? String == "header" {
        object["id"] = "<id>"
        object["started"] = "<started>"
        object["gemba"] = "<version>"
        if var guide = object["guide"] as? [String: Any] {
          guide["source"] = "<source>"
          object["guide"] = guide
        }
      }
      let data =
        (try? JSONSerialization.data(
          withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes])) ?? Data()
      out += String(decoding: data, as: UTF8.self) + "\n"
    }
    return out
  }

  /// Output with the transcript's file name (which holds a time and a random id) masked.
  static func maskOutput(_ text: String, folder: String) -> String {
    var out = ""
    for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
      // Section times in the summary depend on the machine's speed.
      if let range = line.range(of: #"\d+:\d\d of \d+ min$"#, options: .regularExpression) {
        out += line[..<range.lowerBound] + "<time>" + line[range].drop(while: { $0 != " " }) + "\n"
        continue
      }
      if let range = line.range(of: folder) {
        out += line[..<range.lowerBound] + "<transcript>\n"
      } else {
        out += line + "\n"
      }
    }
    return String(out.dropLast())
  }
}

@Suite("Interviews end to end")
struct InterviewEndToEndTests {
  static let cases = casesFolder("transcripts", target: "GembaCommandsTests")

  static func transcript(in folder: URL) throws -> (path: String, text: String) {
    try #require(findTranscript(in: folder))
  }

  /// The newest transcript in `folder`, if there is one yet (for polling).
  static func findTranscript(in folder: URL) -> (path: String, text: String)? {
    let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
    guard let name = names.filter({ $0.hasSuffix(".jsonl") }).sorted().last else { return nil }
    let path = folder.appendingPathComponent(name).path
    guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { return nil }
    return (path, text)
  }

  @Test(arguments: [
    (
      "customer-purpose",
      [
        "--customer", "Café Schön GmbH", "--interviewer", "Dana", "--with", "Sam", "--as-of",
        "2026-11-26",
      ]
    ),
    (
      "jtbd-switch",
      [
        "jtbd-switch", "--customer", "Tanaka Logistics", "--interviewer", "Dana", "--as-of",
        "2026-11-26",
      ]
    ),
  ])
  func aWholeDefaultInterviewPipedMatchesItsGoldenTranscript(name: String, arguments: [String])
    throws
  {
    let folder = try BinaryRunner.temporaryFolder()
    let answers = try String(
      contentsOf: Self.cases.appendingPathComponent("\(name).answers"), encoding: .utf8)
    let result = try BinaryRunner.run(
      ["run"] + arguments + ["--transcripts", folder.path], input: answers)
    #expect(result.status == 0, "\(result.stderr)")
    let (path, text) = try Self.transcript(in: folder)
    let attributes = try FileManager.default.attributesOfItem(atPath: path)
    #expect((attributes[.posixPermissions] as? Int) == 0o600)
    #expect(text.split(separator: "\n").last?.contains("\"type\":\"end\"") == true)
    assertSnapshot(
      TranscriptMask.mask(text), at: Self.cases.appendingPathComponent("\(name).jsonl"))
    assertSnapshot(
      TranscriptMask.maskOutput(result.stdout, folder: folder.path),
      at: Self.cases.appendingPathComponent("\(name).out"))
  }

  @Test func theEndOfInputPausesAndResumeFinishes() throws {
    let folder = try BinaryRunner.temporaryFolder()
    let first = try BinaryRunner.run(
      ["run", "--transcripts", folder.path], input: "expect\nhypothesis\n1\n")
    #expect(first.status == 0)
    #expect(first.stdout.contains("paused; continue with: gemba resume"))
    let (path, text) = try Self.transcript(in: folder)
    #expect(text.contains("\"reason\":\"end of input\""))
    let second = try BinaryRunner.run(["resume", path], input: "yes\n")
    #expect(second.status == 0, "\(second.stderr)")
    #expect(second.stdout.contains("resuming Customer purpose"))
    #expect(second.stdout.contains("3 answers so far"))
    let after = try String(contentsOfFile: path, encoding: .utf8)
    #expect(after.contains("\"type\":\"recovered\""))
    #expect(after.contains("\"q\":\"performance_known\",\"raw\":\"yes\""))
  }

  @Test func resumeWithoutATranscriptNeedsConfirmationWhenPiped() throws {
    let folder = try BinaryRunner.temporaryFolder()
    _ = try BinaryRunner.run(["run", "--transcripts", folder.path], input: "expect\n")
    let refused = try BinaryRunner.run(["resume", "--transcripts", folder.path], input: "x\n")
    #expect(refused.status == 1)
    #expect(refused.stderr.contains("add --yes"))
    let accepted = try BinaryRunner.run(
      ["resume", "--yes", "--transcripts", folder.path], input: "x\n")
    #expect(accepted.status == 0)
    #expect(accepted.stdout.contains("1 answers so far") || accepted.stdout.contains("1 answer"))
  }

  @Test func aGuideWithErrorsDoesNotStart() throws {
    let folder = try BinaryRunner.temporaryFolder()
    try "title: T\n# A\n? a (scal): A?\n".write(
      to: folder.appendingPathComponent("broken.guide"), atomically: true, encoding: .utf8)
    let result = try BinaryRunner.run(
      ["run", "broken.guide", "--transcripts", folder.appendingPathComponent("t").path], in: folder)
    #expect(result.status == 1)
    #expect(result.stderr.contains("broken.guide:3:6: error: unknown attribute 'scal'"))
    #expect(result.stderr.contains("cannot start"))
    #expect(!FileManager.default.fileExists(atPath: folder.appendingPathComponent("t").path))
  }

  @Test func resumeAfterTheGuideWasEditedFollowsRenames() throws {
    let folder = try BinaryRunner.temporaryFolder()
    let guide = folder.appendingPathComponent("g.guide")
    try
      "title: G\n# A\n? goal: Goal?\n? size (number): Size?\n? old_q: Old?\n# B (after)\n? done: Done?\n"
      .write(to: guide, atomically: true, encoding: .utf8)
    _ = try BinaryRunner.run(
      ["run", "g.guide", "--transcripts", "t"], in: folder, input: "to grow\n12\nsomething\n")
    try
      "title: G\n# A\n? purpose: Purpose?\n  was: goal\n? size (number): Size?\n? fresh: New question?\n# B (after)\n? done: Done?\n"
      .write(to: guide, atomically: true, encoding: .utf8)
    let (path, _) = try Self.transcript(in: folder.appendingPathComponent("t"))
    let result = try BinaryRunner.run(["resume", path], in: folder, input: "new answer\nyes\n")
    #expect(result.status == 0, "\(result.stderr)")
    #expect(result.stdout.contains("changed since the interview started"))
    #expect(
      result.stdout.contains("no longer has these questions") && result.stdout.contains("old_q"))
    #expect(result.stdout.contains("fresh: New question?"))
    #expect(!result.stdout.contains("purpose: Purpose?"), "the renamed question keeps its answer")
    let text = try String(contentsOfFile: path, encoding: .utf8)
    #expect(text.contains("\"q\":\"fresh\",\"raw\":\"new answer\""))
    #expect(text.contains("\"type\":\"end\""))
  }

  @Test func aSecondProcessOnTheSameInterviewIsRefused() throws {
    let folder = try BinaryRunner.temporaryFolder()
    _ = try BinaryRunner.run(["run", "--transcripts", folder.path], input: "x\n")
    let (path, _) = try Self.transcript(in: folder)
    let running = try BinaryRunner.start(["resume", path])
    defer {
      try? running.input.close()
      running.process.waitUntilExit()
    }
    // Wait until the first resume holds the lock (it has printed and is waiting for input).
    // Up to 30 s: a loaded machine starts a debug build slowly; the loop ends when it is there.
    var held = false
    for _ in 0..<1500 {
      if let text = try? String(contentsOfFile: path, encoding: .utf8), text.contains("recovered") {
        held = true
        break
      }
      Thread.sleep(forTimeInterval: 0.02)
    }
    #expect(held)
    let second = try BinaryRunner.run(["resume", path])
    #expect(second.status == 1)
    #expect(second.stderr.contains("another Gemba is writing this interview"))
  }

  @Test func rulesWithErrorsAreReportedAndTheInterviewGoesOnWithoutProposals() throws {
    let folder = try BinaryRunner.temporaryFolder()
    let rules = """
      title: Broken
      rule r: A rule about a question that is not there
        phase: do
        when: no_such_question is answered
        propose: Something
        because: A reason.
        source: nowhere

      """
    try rules.write(
      to: folder.appendingPathComponent("broken.rules"), atomically: true, encoding: .utf8)
    let result = try BinaryRunner.run(
      [
        "run", "--rules", "broken.rules", "--transcripts", "t", "--interviewer", "Dana",
        "--as-of", "2026-11-26",
      ], in: folder, input: "my expectation\n:actions\n:pause\n")
    #expect(result.status == 0, "\(result.stderr)")
    #expect(
      result.stderr.contains("unknown question or value 'no_such_question'"), "\(result.stderr)")
    #expect(result.stderr.contains("this interview goes on without proposals"))
    #expect(
      result.stderr.components(separatedBy: "goes on without proposals").count == 2,
      "said once")
    #expect(result.stdout.contains("no rules are in force, so nothing is proposed"))
  }

  @Test func sigtermAppendsInterruptedAndTheInterviewResumes() throws {
    let folder = try BinaryRunner.temporaryFolder()
    let running = try BinaryRunner.start(["run", "--transcripts", folder.path])
    let process = running.process
    running.write("my expectation\n")
    var text = ""
    for _ in 0..<3000 {
      if let found = Self.findTranscript(in: folder), found.text.contains("my expectation") {
        text = found.text
        break
      }
      Thread.sleep(forTimeInterval: 0.01)
    }
    #expect(!text.isEmpty)
    process.terminate()
    process.waitUntilExit()
    #expect(process.terminationStatus == 0)
    let (path, after) = try Self.transcript(in: folder)
    #expect(after.contains("\"signal\":\"SIGTERM\""))
    let resumed = try BinaryRunner.run(["resume", path], input: "a hypothesis\n")
    #expect(resumed.stdout.contains("hypothesis"))
  }
}
