import Foundation
import Testing

@Suite("Disk trouble loses nothing")
struct DiskTroubleTests {
  static let guide = "title: T\n# A\n? a: A?\n? b: B?\n? c: C?\n? d: D?\n? e: E?\n"

  static func answers(_ count: Int, length: Int = 300) -> [String] {
    (1...count).map { "answer \($0) " + String(repeating: "x", count: length) }
  }

  /// A file-size limit (SIGXFSZ ignored) makes writes fail as on a full disk: Gemba says so,
  /// carries on, and hands every unsaved answer back rather than dropping it.
  @Test func aFileSizeLimitIsReportedAndNoAnswerIsDropped() throws {
    let folder = try BinaryRunner.temporaryFolder()
    try Self.guide.write(
      to: folder.appendingPathComponent("g.guide"), atomically: true, encoding: .utf8)
    // The limit is 1 MB, not less: a ThreadSanitizer build (make tsan) cannot start under a
    // smaller one (its runtime dies with SIGBUS), so the answers are long enough to pass it.
    let answers = Self.answers(5, length: 300_000)
    let running = try BinaryRunner.start(
      ["-c", "ulimit -f 1024; exec \"$0\" run g.guide --transcripts t", BinaryRunner.binary.path],
      in: folder, executable: URL(fileURLWithPath: "/bin/sh"))
    let (process, outputCollector, errorCollector) = (
      running.process, running.output, running.errors
    )
    running.write(answers.map { $0 + "\n" }.joined())
    try running.input.close()
    process.waitUntilExit()
    errorCollector.waitForEnd()
    outputCollector.waitForEnd()
    let stderr = errorCollector.text
    #expect(process.terminationStatus == 1)
    #expect(stderr.contains("the file has reached the largest size allowed"))
    #expect(stderr.contains("your answers are kept in memory"))
    #expect(outputCollector.text.contains("[A] e: E?"), "the interview carried on")
    let transcript =
      InterviewEndToEndTests.findTranscript(in: folder.appendingPathComponent("t"))?.text ?? ""
    for answer in answers {
      let saved =
        transcript.contains(answer) || stderr.contains(answer)
        || rescued(answer)
      #expect(saved, "an answer was dropped: \(answer.prefix(10))")
    }
  }

  private func rescued(_ answer: String) -> Bool {
    let folder = NSTemporaryDirectory()
    let names = (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []
    return names.filter { $0.hasPrefix("gemba-unsaved-") }.contains { name in
      (try? String(contentsOfFile: folder + "/" + name, encoding: .utf8))?.contains(answer) ?? false
    }
  }

  /// The transcripts folder removed in the middle of an interview: writes to the unlinked file
  /// would still succeed, so Gemba checks, and writes the whole journal again in a new folder.
  @Test func aRemovedFolderIsRecreatedWithTheWholeInterview() throws {
    let folder = try BinaryRunner.temporaryFolder()
    try Self.guide.write(
      to: folder.appendingPathComponent("g.guide"), atomically: true, encoding: .utf8)
    let transcripts = folder.appendingPathComponent("t")
    let running = try BinaryRunner.start(["run", "g.guide", "--transcripts", "t"], in: folder)
    let (process, collector, errorCollector) = (running.process, running.output, running.errors)
    running.write("first\nsecond\n")
    // A loaded machine can take seconds to start a debug build: wait for the third question
    // (two answers stored) however long it takes, up to a limit that only a hang reaches.
    let deadline = Date().addingTimeInterval(30)
    while collector.questionsShown < 3 && Date() < deadline { Thread.sleep(forTimeInterval: 0.002) }
    try #require(collector.questionsShown >= 3, "the interview did not get going")
    try FileManager.default.removeItem(at: transcripts)
    running.write("third\nfourth\nfifth\n")
    try running.input.close()
    process.waitUntilExit()
    errorCollector.waitForEnd()
    #expect(process.terminationStatus == 0, "\(errorCollector.text)")
    #expect(errorCollector.text.contains("written again"), "\(errorCollector.text)")
    let names = (try? FileManager.default.contentsOfDirectory(atPath: transcripts.path)) ?? []
    let rewritten = names.first { $0.contains(".rewritten-") }
    let text = try rewritten.map {
      try String(contentsOfFile: transcripts.appendingPathComponent($0).path, encoding: .utf8)
    }
    for answer in ["first", "second", "third", "fourth", "fifth"] {
      #expect(text?.contains("\"raw\":\"\(answer)\"") == true, "\(answer) is missing")
    }
    #expect(text?.contains("\"type\":\"end\"") == true)
  }
}
