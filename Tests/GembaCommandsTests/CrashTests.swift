import Foundation
import Testing

@Suite("Crashes lose nothing")
struct CrashTests {
  /// kill -9 at random moments: every answer whose next question was printed is in the
  /// transcript, and the interview resumes to its end.
  @Test func killedAtRandomMomentsLosesNoAcknowledgedAnswer() throws {
    var generator = SystemRandomNumberGenerator()
    var trials = 0
    for trial in 0..<24 {
      let folder = try BinaryRunner.temporaryFolder()
      let running = try BinaryRunner.start([
        "run", "--transcripts", folder.path, "--customer", "Crash \(trial)",
      ])
      let collector = running.output
      let acknowledged = Int.random(in: 0...25, using: &generator)
      var sent = 0
      var stalled = false
      while sent < acknowledged {
        running.write("answer \(trial)-\(sent)\n")
        sent += 1
        var waited = 0
        while collector.questionsShown < sent + 1 {
          Thread.sleep(forTimeInterval: 0.001)
          waited += 1
          if waited > 5000 {
            stalled = true
            break
          }
        }
        if stalled { break }
      }
      #expect(!stalled, "trial \(trial): the interview stopped answering")
      // One more answer in flight, then the kill, at a random moment around its write.
      running.write("answer \(trial)-\(sent)\n")
      if Bool.random(using: &generator) {
        Thread.sleep(forTimeInterval: Double.random(in: 0...0.003, using: &generator))
      }
      kill(running.process.processIdentifier, SIGKILL)
      running.process.waitUntilExit()
      try? running.input.close()

      let found = InterviewEndToEndTests.findTranscript(in: folder)
      guard let (path, text) = found else {
        // Killed before the header was published: only possible with no answer acknowledged.
        #expect(acknowledged == 0, "trial \(trial): no transcript after \(acknowledged) answers")
        continue
      }
      for index in 0..<acknowledged {
        #expect(
          text.contains("\"raw\":\"answer \(trial)-\(index)\""),
          "trial \(trial): acknowledged answer \(index) of \(acknowledged) is missing")
      }
      // Enter at the end: the promises as guessed, and none of the proposals agreed.
      let finish = String(repeating: ":skip\n", count: 80) + ":end\n:end\n" + "\n\n\n\n"
      let resumed = try BinaryRunner.run(["resume", path], input: finish)
      #expect(resumed.status == 0, "trial \(trial): resume failed: \(resumed.stderr)")
      let after = try String(contentsOfFile: path, encoding: .utf8)
      #expect(
        after.contains("\"type\":\"end\""), "trial \(trial): the resumed interview did not end")
      trials += 1
    }
    #expect(trials >= 20)
  }
}
