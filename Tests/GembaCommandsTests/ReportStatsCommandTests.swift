import Foundation
import GembaCore
import GembaTerminal
import GembaTestSupport
import Testing

/// `gemba report` and `gemba stats` through the binary, over the example interviews.
@Suite("gemba report and gemba stats, end to end")
struct ReportStatsCommandTests {
  static let examples = BinaryRunner.repositoryRoot.appendingPathComponent("transcripts/examples")

  static func exampleFiles() throws -> [URL] {
    try FileManager.default.contentsOfDirectory(atPath: examples.path)
      .filter { $0.hasSuffix(".jsonl") && !$0.hasSuffix(".coach.jsonl") }.sorted()
      .map { examples.appendingPathComponent($0) }
  }

  /// The examples copied into a new folder, so an index written beside them goes away with it.
  static func copyOfExamples() throws -> URL {
    let folder = try BinaryRunner.temporaryFolder()
    for name in try FileManager.default.contentsOfDirectory(atPath: examples.path)
    where name.hasSuffix(".jsonl") {
      try FileManager.default.copyItem(
        at: examples.appendingPathComponent(name), to: folder.appendingPathComponent(name))
    }
    return folder
  }

  @Test func theExamplesAreReadableAndShowWhatTheyPromise() throws {
    let files = try Self.exampleFiles()
    #expect(files.count >= 3)
    var guides = Set<String>()
    var seen = Set<TranscriptEvent.Kind>()
    for file in files {
      let contents = try TranscriptCodec.read(Array(Data(contentsOf: file))).get()
      #expect(contents.problems.isEmpty, "\(file.lastPathComponent)")
      #expect(contents.isFinished, "\(file.lastPathComponent)")
      guides.insert(contents.header.guide.path)
      seen.formUnion(contents.events.map(\.type))
      // The guide copy inside each still parses without errors.
      let parsed = GuideParser.parse(
        path: contents.header.guide.path, text: contents.header.guide.source)
      #expect(!parsed.diagnostics.hasErrors)
    }
    #expect(
      guides == ["<built-in>/customer-purpose.guide", "<built-in>/jtbd-switch.guide"])
    for kind: TranscriptEvent.Kind in [.skip, .edit, .probe, .note, .file, .tag, .covered] {
      #expect(seen.contains(kind), "no example has a '\(kind)' event")
    }
  }

  @Test(arguments: ["markdown", "html", "csv", "json"])
  func everyExampleGivesAReportInEachFormat(format: String) throws {
    for file in try Self.exampleFiles() {
      let result = try BinaryRunner.run(["report", file.path, "--format", format])
      #expect(result.status == 0, "\(result.stderr)")
      #expect(result.stderr.isEmpty, "\(result.stderr)")
      #expect(!result.stdout.isEmpty)
      switch format {
      case "markdown": #expect(result.stdout.contains("## Countermeasures and plan"))
      case "html": #expect(result.stdout.hasPrefix("<!DOCTYPE html>"))
      case "csv": #expect(result.stdout.hasPrefix("interview,date,customer,interviewer"))
      default:
        let decoded = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8))
        #expect((decoded as? [Any])?.count == 1)
      }
    }
  }

  @Test func aReportWrittenToAFileIsPrivate() throws {
    let folder = try BinaryRunner.temporaryFolder()
    let out = folder.appendingPathComponent("a3.html")
    let file = try #require(try Self.exampleFiles().first)
    let result = try BinaryRunner.run(["report", file.path, "--format", "html", "--out", out.path])
    #expect(result.status == 0, "\(result.stderr)")
    let attributes = try FileManager.default.attributesOfItem(atPath: out.path)
    #expect((attributes[.posixPermissions] as? Int) == 0o600)
    #expect(try String(contentsOf: out, encoding: .utf8).contains("</html>"))
  }

  @Test func aMissingOrBrokenTranscriptIsNamed() throws {
    let missing = try BinaryRunner.run(["report", "no-such.jsonl"])
    #expect(missing.status != 0)
    #expect(missing.stderr.contains("no such transcript or folder 'no-such.jsonl'"))
    let folder = try BinaryRunner.temporaryFolder()
    let broken = folder.appendingPathComponent("broken.jsonl")
    try "not json\n".write(to: broken, atomically: true, encoding: .utf8)
    let result = try BinaryRunner.run(["report", broken.path])
    #expect(result.status != 0)
    #expect(result.stderr.contains("cannot read the transcript"))
  }

  /// What `gemba stats --format json` prints, as text (to compare runs) and read.
  static func statsText(_ arguments: [String]) throws -> String {
    let result = try BinaryRunner.run(["stats", "--format", "json"] + arguments)
    #expect(result.status == 0, "\(result.stderr)")
    return result.stdout
  }

  static func statsJSON(_ arguments: [String]) throws -> [String: Any] {
    let result = try BinaryRunner.run(["stats", "--format", "json"] + arguments)
    #expect(result.status == 0, "\(result.stderr)")
    return try #require(
      try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
  }

  @Test func statsOverTheExamples() throws {
    let folder = try Self.copyOfExamples()
    let stats = try Self.statsJSON([folder.path])
    #expect(stats["interviews"] as? Int == 3)
    let questions = try #require(stats["questions"] as? [[String: Any]])
    let purpose = try #require(
      questions.first {
        $0["q"] as? String == "purpose" && $0["guide"] as? String == "Customer purpose"
      })
    #expect(purpose["answered"] as? Int == 2)
    let reasons = try #require(stats["skipReasons"] as? [[String: Any]])
    #expect(reasons.contains { $0["name"] as? String == "ran out of time" })
    let rules = try #require(stats["rules"] as? [[String: Any]])
    #expect(rules.contains { ($0["fired"] as? Int ?? 0) > 0 })
    let interviewers = try #require(stats["interviewers"] as? [[String: Any]])
    #expect(interviewers.map { $0["interviewer"] as? String } == ["Dana", "Priya"])
    #expect(
      FileManager.default.fileExists(
        atPath: folder.appendingPathComponent(".gemba-index.sqlite").path))
    // Every other format too.
    for format in ["text", "markdown", "csv", "html"] {
      let result = try BinaryRunner.run(["stats", folder.path, "--format", format])
      #expect(result.status == 0, "\(result.stderr)")
      #expect(result.stdout.contains("purpose"))
    }
  }

  @Test func theIndexFollowsChangedAndDeletedTranscripts() throws {
    let folder = try Self.copyOfExamples()
    let first = try Self.statsJSON([folder.path])
    #expect(first["interviews"] as? Int == 3)
    let files = try FileManager.default.contentsOfDirectory(atPath: folder.path)
      .filter { $0.hasSuffix(".jsonl") && !$0.hasSuffix(".coach.jsonl") }.sorted()
    // Changed: a question skipped during the interview answered after all.
    let changed = folder.appendingPathComponent(files[0])
    let handle = try FileHandle(forWritingTo: changed)
    try handle.seekToEnd()
    try handle.write(
      contentsOf: Data(
        ("{\"ms\":999999,\"q\":\"anything_else\",\"raw\":\"later words\","
          + "\"t\":\"2026-11-26T18:00:00.000Z\",\"type\":\"answer\",\"understood\":true,"
          + "\"value\":\"later words\"}\n").utf8))
    try handle.close()
    func answered(_ stats: [String: Any]) -> Int? {
      (stats["questions"] as? [[String: Any]])?.filter { $0["q"] as? String == "anything_else" }
        .compactMap { $0["answered"] as? Int }.reduce(0, +)
    }
    let afterChange = try Self.statsJSON([folder.path])
    #expect(answered(afterChange) == (answered(first) ?? 0) + 1)
    #expect(
      try Self.statsText([folder.path]) == Self.statsText([folder.path, "--no-index"]))
    // Deleted: it leaves the stats and the index.
    try FileManager.default.removeItem(at: folder.appendingPathComponent(files[1]))
    let afterDelete = try Self.statsJSON([folder.path])
    #expect(afterDelete["interviews"] as? Int == 2)
    #expect(
      try Self.statsText([folder.path]) == Self.statsText([folder.path, "--no-index"]))
    // A damaged index is only a copy: it is made again.
    try "garbage".write(
      to: folder.appendingPathComponent(".gemba-index.sqlite"), atomically: true, encoding: .utf8)
    #expect(try Self.statsJSON([folder.path])["interviews"] as? Int == 2)
  }

  @Test func anyRuleFileGivesTheCoachingFlags() throws {
    let folder = try Self.copyOfExamples()
    let flags = try BinaryRunner.temporaryFolder().appendingPathComponent("coaching.rules")
    try """
    title: Flags for the test
    applies to: customer-purpose

    rule closing-skipped: The closing question was skipped
      phase: check
      when: anything_else is skipped
      propose: Ask the closing question next time
      because: it is where the customer tells what was missed

    rule never-fires: A flag that never fires
      phase: check
      when: anything_else is answered and not (anything_else is answered)
      propose: Nothing
      because: it cannot fire
    """.write(to: flags, atomically: true, encoding: .utf8)
    let stats = try Self.statsJSON([folder.path, "--flags", flags.path])
    #expect(stats["flagsChecked"] as? Bool == true)
    let counted = try #require(stats["flags"] as? [[String: Any]])
    #expect(counted.map { $0["id"] as? String } == ["closing-skipped", "never-fires"])
    #expect(counted.map { $0["fired"] as? Int } == [2, 0])
    let months = try #require(stats["flagsOverTime"] as? [[String: Any]])
    #expect(months.count == 1)
    let text = try BinaryRunner.run(["stats", folder.path, "--flags", flags.path])
    #expect(text.stdout.contains("Coaching flags over time"))
    #expect(text.stdout.contains("closing-skipped 2"))
    let missing = try BinaryRunner.run(["stats", folder.path, "--flags", "no-such.rules"])
    #expect(missing.status != 0)
    #expect(missing.stderr.contains("no such coaching rule file 'no-such.rules'"))
  }

  @Test func rehearsalsAreLeftOut() throws {
    let folder = try BinaryRunner.temporaryFolder()
    let run = try BinaryRunner.run(
      ["run", "--practice", "--customer", "Acme", "--transcripts", folder.path],
      input: "expect\n:end\n:end\n")
    #expect(run.status == 0, "\(run.stderr)")
    let practice = folder.appendingPathComponent("practice")
    for name in try FileManager.default.contentsOfDirectory(atPath: practice.path) {
      try FileManager.default.moveItem(
        at: practice.appendingPathComponent(name), to: folder.appendingPathComponent(name))
    }
    #expect(try Self.statsJSON([folder.path])["interviews"] as? Int == 0)
  }
}

/// `gemba outcome`, and where outcomes show.
@Suite("gemba outcome, end to end")
struct OutcomeCommandTests {
  @Test func anOutcomeGoesBesideTheTranscriptAndShowsInReportsAndStats() throws {
    let folder = try ReportStatsCommandTests.copyOfExamples()
    let transcript = try #require(
      try FileManager.default.contentsOfDirectory(atPath: folder.path)
        .first { $0.contains("backerei-hoffmann") && !$0.hasSuffix(".coach.jsonl") })
    let path = folder.appendingPathComponent(transcript)
    let before = try Data(contentsOf: path)
    // By customer name, ignoring case and accents: their latest interview.
    let recorded = try BinaryRunner.run(
      [
        "outcome", "backerei HOFFMANN", "no-decision", "they", "will", "call", "in", "spring",
        "--transcripts", folder.path, "--by", "Dana",
      ])
    #expect(recorded.status == 0, "\(recorded.stderr)")
    #expect(recorded.stdout.contains("outcome 'no-decision' recorded"))
    #expect(try Data(contentsOf: path) == before, "the transcript itself never changes")
    let sidecar = CoachSidecar.path(forTranscript: path.path)
    let contents = try CoachSidecar.read(Array(Data(contentsOf: URL(fileURLWithPath: sidecar))))
      .get()
    #expect(contents.outcomes.map(\.status) == ["no-decision"])
    #expect(contents.outcomes.first?.text == "they will call in spring")
    #expect(contents.outcomes.first?.by == "Dana")
    let attributes = try FileManager.default.attributesOfItem(atPath: sidecar)
    #expect((attributes[.posixPermissions] as? Int) == 0o600)

    let report = try BinaryRunner.run(["report", path.path])
    #expect(report.stdout.contains("- no-decision: they will call in spring (Dana,"))
    let stats = try ReportStatsCommandTests.statsJSON([folder.path])
    let outcomes = try #require(stats["outcomes"] as? [[String: Any]])
    #expect(outcomes.map { $0["outcome"] as? String }.contains("no-decision"))
    #expect(outcomes.map { $0["outcome"] as? String }.contains("pilot"))
  }

  @Test func aStatusMustBeOneWord() throws {
    let result = try BinaryRunner.run(["outcome", "x.jsonl", "won it!"])
    #expect(result.status != 0)
    #expect(result.stderr.contains("is not one word of letters, digits and hyphens"))
  }

  @Test func commentsShowOnlyWhenAskedFor() throws {
    let folder = try ReportStatsCommandTests.copyOfExamples()
    let transcript = try #require(
      try FileManager.default.contentsOfDirectory(atPath: folder.path)
        .first { $0.contains("nordlicht") && !$0.hasSuffix(".coach.jsonl") })
    let path = folder.appendingPathComponent(transcript).path
    let contents = try TranscriptCodec.read(Array(Data(contentsOf: URL(fileURLWithPath: path))))
      .get()
    let (writer, _) = try CoachSidecarWriter.open(
      forTranscript: path, interview: contents.header.id, created: "2026-11-27T08:00:00.000Z")
    writer.append(
      .comment(
        CoachComment(
          t: "2026-11-27T08:01:00.000Z", by: "Kim", event: 3, q: "deciding", kind: .tryNext,
          text: "Ask what almost stopped them, then wait")))
    writer.close()
    let plain = try BinaryRunner.run(["report", path])
    #expect(!plain.stdout.contains("Coach comments"))
    let with = try BinaryRunner.run(["report", path, "--comments", "--format", "html"])
    #expect(with.status == 0, "\(with.stderr)")
    #expect(
      with.stdout.contains("try-next at deciding:</b> Ask what almost stopped them, then wait"))
  }
}
