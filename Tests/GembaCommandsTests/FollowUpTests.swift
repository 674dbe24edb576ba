import Foundation
import GembaTestSupport
import Testing

/// Three meetings with one customer, piped: promises made in the first, checked in the second
/// (one done, one not, one changed, one released), closed in the third; `brief` before the second
/// and third; `history` shows the cycles.
@Suite("Promises across meetings")
struct FollowUpTests {
  static let cases = casesFolder("followup", target: "GembaCommandsTests")
  static let days = ["2026-11-26", "2026-12-10", "2026-12-17"]

  /// The customer as first written down, and as typed later: one customer.
  static let names = ["Ação Müller & Söhne", "acao muller & sohne", "ACAO  Muller Sohne"]

  static func answers(_ meeting: Int) throws -> String {
    try String(
      contentsOf: cases.appendingPathComponent("meeting-\(meeting).answers"), encoding: .utf8)
  }

  /// Runs meeting `number` (from 1) in `folder`; returns what it printed.
  static func meet(_ number: Int, in folder: URL) throws -> BinaryRunner.Output {
    var arguments = [
      "run", "--customer", names[number - 1], "--interviewer", "Dana", "--as-of",
      days[number - 1], "--transcripts", folder.path,
    ]
    if number == 1 { arguments += ["--with", "Sam"] }
    let result = try BinaryRunner.run(arguments, input: try answers(number))
    #expect(result.status == 0, "meeting \(number): \(result.stderr)")
    return result
  }

  /// The transcripts in `folder`, oldest first, each with its interview id.
  static func transcripts(in folder: URL) throws -> [(path: String, id: String, text: String)] {
    let names = try FileManager.default.contentsOfDirectory(atPath: folder.path)
      .filter { $0.hasSuffix(".jsonl") && !$0.hasSuffix(".coach.jsonl") }
    var found: [(path: String, id: String, text: String, started: String)] = []
    for name in names {
      let path = folder.appendingPathComponent(name).path
      let text = try String(contentsOfFile: path, encoding: .utf8)
      let header = try #require(
        try JSONSerialization.jsonObject(with: Data(text.prefix { $0 != "\n" }.utf8))
          as? [String: Any])
      found.append(
        (path, header["id"] as? String ?? "", text, header["started"] as? String ?? ""))
    }
    return found.sorted { $0.started < $1.started }.map { ($0.path, $0.id, $0.text) }
  }

  /// `text` with the interview ids, the folder and start times that change on every run masked.
  static func mask(_ text: String, folder: URL, ids: [String]) -> String {
    var out = text.replacingOccurrences(of: folder.path, with: "<folder>")
    for (offset, id) in ids.enumerated() {
      out = out.replacingOccurrences(of: id, with: "<meeting-\(offset + 1)>")
    }
    out = out.replacingOccurrences(
      of: #"\d{4}-\d\d-\d\dT\d{4}Z_acao-muller-sohne_[0-9a-z]{4}"#, with: "<file>",
      options: .regularExpression)
    return out.replacingOccurrences(
      of: #""started" : "[^"]*""#, with: #""started" : "<started>""#, options: .regularExpression)
  }

  @Test func threeMeetingsMakeCheckAndClosePromises() throws {
    let folder = try BinaryRunner.temporaryFolder()
    let first = try Self.meet(1, in: folder)
    #expect(first.stdout.contains("promises (4):"))
    #expect(first.stdout.contains("(both · by 2027-01-15 · yes-if the café owners agree)"))
    #expect(!first.stdout.contains("follow-up"), "a first meeting has nothing to check")

    let briefs = try (2...3).map { meeting -> String in
      let brief = try BinaryRunner.run(
        [
          "brief", Self.names[meeting - 1], "--as-of", Self.days[meeting - 1], "--transcripts",
          folder.path,
        ], environment: ["COLUMNS": "100"])
      #expect(brief.status == 0, "\(brief.stderr)")
      let result = try Self.meet(meeting, in: folder)
      #expect(result.stdout.contains("follow-up: \(meeting - 1) earlier interview"))
      #expect(result.stdout.contains("with Ação Müller & Söhne"))
      return brief.stdout
    }
    let transcripts = try Self.transcripts(in: folder)
    #expect(transcripts.count == 3)
    // The list counts the Check part as the run's summary did, and names the customer as first
    // written down, as brief and history do.
    let list = try BinaryRunner.run(["list", "--transcripts", folder.path])
    #expect(list.stdout.contains("47 of"), "\(list.stdout)")
    #expect(list.stdout.components(separatedBy: "Ação Müller & Söhne").count == 4, "\(list.stdout)")
    let ids = transcripts.map(\.id)

    // The second meeting opened with the Check part, before the guide's own questions.
    let second = transcripts[1].text
    let firstCheck = try #require(second.range(of: "\"q\":\"check_1_expected\""))
    let purpose = try #require(second.range(of: "\"q\":\"purpose\""))
    #expect(firstCheck.lowerBound < purpose.lowerBound)
    #expect(second.contains("\"replaces\":\"\(ids[0])#3\""))
    // The follow-up rules read the Check part like any answers.
    #expect(second.contains("\"rule\":\"promise-overdue\""))
    #expect(second.contains("\"rule\":\"promise-not-kept\""))

    for (offset, brief) in briefs.enumerated() {
      assertSnapshot(
        Self.mask(brief, folder: folder, ids: ids),
        at: Self.cases.appendingPathComponent("brief-before-meeting-\(offset + 2).txt"))
    }
    for format in ["text", "markdown", "json", "html"] {
      let history = try BinaryRunner.run(
        ["history", Self.names[2], "--transcripts", folder.path, "--format", format],
        environment: ["COLUMNS": "100"])
      #expect(history.status == 0, "\(history.stderr)")
      let name = format == "markdown" ? "md" : format == "text" ? "txt" : format
      assertSnapshot(
        Self.mask(history.stdout, folder: folder, ids: ids),
        at: Self.cases.appendingPathComponent("history.\(name)"))
    }
    let json = try BinaryRunner.run(
      ["history", "Acao Muller Sohne", "--transcripts", folder.path, "--format", "json"])
    let history = try #require(
      try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
    let cycles = try #require(history["cycles"] as? [[String: Any]])
    let outcomes = cycles.map { $0["outcome"] as? String ?? "" }
    #expect(outcomes == ["done", "done", "replaced", "released", "done", "done", "open"])
  }

  /// Two next steps after an `:end` that left the conversation open; the first promise taken.
  static let upToSecondPromise =
    "expect\n:end\n:goto next_step_1\nWe send the plan by 2026-12-01\n"
    + "Anna (customer) sends the logs by 2026-12-04\n:end\n\n"

  @Test func aPromiseStepKilledLosesNoPromiseAndResumesThere() throws {
    let folder = try BinaryRunner.temporaryFolder()
    let running = try BinaryRunner.start([
      "run", "--customer", "Kill Test", "--as-of", "2026-11-26", "--transcripts", folder.path,
    ])
    let collector = running.output
    running.write(Self.upToSecondPromise)
    var waited = 0
    while !collector.text.contains("promise 2:") && waited < 10_000 {
      Thread.sleep(forTimeInterval: 0.001)
      waited += 1
    }
    #expect(collector.text.contains("promised: us · by 2026-12-01"), "\(collector.text)")
    kill(running.process.processIdentifier, SIGKILL)
    running.process.waitUntilExit()
    try? running.input.close()

    let (path, killed) = try InterviewEndToEndTests.transcript(in: folder)
    #expect(killed.components(separatedBy: "\"type\":\"promise\"").count == 2)
    #expect(!killed.contains("\"type\":\"end\""))
    // Only the rest of the promises: Enter for the second, none of the proposals. No `:end`.
    let resumed = try BinaryRunner.run(["resume", path], input: "\n\n")
    #expect(resumed.status == 0, "\(resumed.stderr)")
    #expect(resumed.stdout.contains("carrying on with the promises not yet made"))
    #expect(resumed.stdout.contains("promise 2:\n  \"Anna (customer) sends the logs"))
    #expect(!resumed.stdout.contains("promise 1:"), "\(resumed.stdout)")
    #expect(!resumed.stdout.contains("debrief"), "\(resumed.stdout)")
    #expect(resumed.stdout.contains("left open"), "\(resumed.stdout)")
    let after = try String(contentsOfFile: path, encoding: .utf8)
    let resumedLines = after.split(separator: "\n").drop { !$0.contains("\"type\":\"recovered\"") }
    #expect(!resumedLines.contains { $0.contains("\"type\":\"shown\"") }, "no question again")
    let numbers = after.split(separator: "\n").filter { $0.contains("\"type\":\"promise\"") }
      .map { $0.contains("\"promise\":1,") ? 1 : $0.contains("\"promise\":2,") ? 2 : 0 }
    #expect(numbers == [1, 2])
    #expect(after.split(separator: "\n").last?.contains("\"type\":\"end\"") == true)
  }

  @Test func theEndOfInputAtAPromiseResumesAtThatPromise() throws {
    let folder = try BinaryRunner.temporaryFolder()
    let first = try BinaryRunner.run(
      ["run", "--customer", "Pause Co", "--as-of", "2026-11-26", "--transcripts", folder.path],
      input: Self.upToSecondPromise)
    #expect(first.stdout.contains("paused; continue with"), "\(first.stdout)")
    let (path, paused) = try InterviewEndToEndTests.transcript(in: folder)
    #expect(paused.contains("\"reason\":\"end of input\""))
    let resumed = try BinaryRunner.run(["resume", path], input: ":pause\n")
    #expect(resumed.stdout.contains("promise 2:\n  \"Anna (customer)"), "\(resumed.stdout)")
    let again = try BinaryRunner.run(["resume", path], input: "customer +2w\n\n")
    #expect(again.stdout.contains("promise 2:\n  \"Anna (customer)"), "\(again.stdout)")
    #expect(again.stdout.contains("promised: customer · by 2026-12-10 · yes"), "\(again.stdout)")
    #expect(!again.stdout.contains("expect:"), "\(again.stdout)")
    let after = try String(contentsOfFile: path, encoding: .utf8)
    #expect(after.split(separator: "\n").last?.contains("\"type\":\"end\"") == true)
  }

  @Test func customerTextIsEscapedInHistoryAndNeutralisedInBrief() throws {
    let folder = try BinaryRunner.temporaryFolder()
    let name = "<b>Evil</b> & Co"
    // Straight to the next steps: one in words with an escape sequence and markup in it.
    let answers =
      "expect\n:end\n:goto next_step_1\n"
      + "\u{1B}[31mWe send the <script>plan</script> by 2026-12-01\n:end\n\n\n"
    let run = try BinaryRunner.run(
      ["run", "--customer", name, "--as-of", "2026-11-26", "--transcripts", folder.path],
      input: answers)
    #expect(run.stdout.contains("promised: us · by 2026-12-01 · yes"), "\(run.stdout)")
    #expect(run.status == 0, "\(run.stderr)")
    let html = try BinaryRunner.run(
      ["history", "b evil b co", "--format", "html", "--transcripts", folder.path])
    #expect(html.status == 0, "\(html.stderr)")
    #expect(html.stdout.contains("&lt;b&gt;Evil&lt;/b&gt; &amp; Co"))
    #expect(!html.stdout.contains("<script>"))
    let markdown = try BinaryRunner.run(
      ["history", name, "--format", "markdown", "--transcripts", folder.path])
    #expect(markdown.stdout.contains("\\<b\\>Evil\\</b\\>"))
    let brief = try BinaryRunner.run(
      ["brief", name, "--as-of", "2026-12-05", "--transcripts", folder.path])
    #expect(brief.status == 0, "\(brief.stderr)")
    #expect(!brief.stdout.contains("\u{1B}"))
    #expect(brief.stdout.contains("OVERDUE 4 days"))
  }

  @Test func anAssessmentNotUnderstoodIsNeutralisedInTheBrief() throws {
    let folder = try BinaryRunner.temporaryFolder()
    // Straight to the debrief; the push judged in words that carry escape sequences.
    let answers =
      "expect\n:end\nKim sends \u{1B}]0;pwned\u{07}\u{1B}[2Jthe logs\nKim's own words\n"
      + ":end\n:end\n\n"
    let run = try BinaryRunner.run(
      ["run", "--customer", "Escape Co", "--as-of", "2026-11-26", "--transcripts", folder.path],
      input: answers)
    #expect(run.status == 0, "\(run.stderr)")
    let brief = try BinaryRunner.run(
      ["brief", "Escape Co", "--as-of", "2026-12-01", "--transcripts", folder.path])
    #expect(brief.status == 0, "\(brief.stderr)")
    #expect(brief.stdout.contains("push Kim sends"), "\(brief.stdout)")
    #expect(!brief.stdout.contains("\u{1B}"), "\(brief.stdout)")
    #expect(!brief.stdout.contains("\u{07}"), "\(brief.stdout)")
  }

  @Test func lastAndTheDateHintsSpeakOfThisMeeting() throws {
    let folder = try BinaryRunner.temporaryFolder()
    let run = try BinaryRunner.run(
      ["run", "--customer", "First Co", "--as-of", "2027-01-10", "--transcripts", folder.path],
      input: ":last purpose\n:last purpse\n:goto customer_step_date\n:end\n")
    #expect(run.stdout.contains("no earlier interview with First Co: this is the first"))
    #expect(run.stdout.contains("no question 'purpse'; did you mean 'purpose'?"), "\(run.stdout)")
    #expect(run.stdout.contains("a date: 2027-01-10, today, yesterday"), "\(run.stdout)")
  }

  @Test func aCoachsFileBesideTheTranscriptsIsNotReadAsOne() throws {
    let folder = try BinaryRunner.temporaryFolder()
    _ = try Self.meet(1, in: folder)
    let transcript = try #require(try Self.transcripts(in: folder).first).path
    let replay = try BinaryRunner.run(
      ["replay", transcript, "--coach", "Kim"],
      input: ":comment praise kept to their words\n:quit\n")
    #expect(replay.status == 0, "\(replay.stderr)")
    #expect(
      FileManager.default.fileExists(
        atPath: String(transcript.dropLast(".jsonl".count)) + ".coach.jsonl"))
    for arguments in [
      ["brief", Self.names[0]], ["history", Self.names[0]], ["list"], ["propose"],
    ] {
      let result = try BinaryRunner.run(
        arguments + (arguments[0] == "propose" ? [folder.path] : ["--transcripts", folder.path]))
      #expect(result.status == 0, "\(arguments[0]): \(result.stderr)")
      #expect(!result.stderr.contains("coach"), "\(arguments[0]): \(result.stderr)")
    }
  }

  @Test func briefAndHistoryNameWhatIsThereWhenTheCustomerIsUnknown() throws {
    let folder = try BinaryRunner.temporaryFolder()
    _ = try Self.meet(1, in: folder)
    let brief = try BinaryRunner.run(["brief", "Acme", "--transcripts", folder.path])
    #expect(brief.status != 0)
    #expect(brief.stderr.contains("no interview with 'Acme'"))
    let history = try BinaryRunner.run([
      "history", "acao muller sohn", "--transcripts", folder.path,
    ])
    #expect(history.stderr.contains("did you mean 'Ação Müller & Söhne'"), "\(history.stderr)")
    // The first words of a name find it too.
    let short = try BinaryRunner.run(["brief", "acao muller", "--transcripts", folder.path])
    #expect(short.stderr.contains("did you mean 'Ação Müller & Söhne'"), "\(short.stderr)")
    let missing = folder.appendingPathComponent("nowhere").path
    let none = try BinaryRunner.run(["brief", "acao", "--transcripts", missing])
    #expect(none.status != 0)
    #expect(
      none.stderr.contains("the transcripts folder '\(missing)' does not exist"), "\(none.stderr)")
    let date = try BinaryRunner.run(["brief", "x", "--as-of", "soon"])
    #expect(date.stderr.contains("--as-of takes a date written as 2026-12-10, not 'soon'"))
  }
}
