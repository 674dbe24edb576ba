import Foundation
import Testing

/// Collects a child's output as it arrives, from another thread.
final class OutputCollector: @unchecked Sendable {
  // All access goes through `lock`: the pipe's handler runs on a dispatch thread.
  private let lock = NSLock()
  private var data = Data()
  private var ended = false

  func attach(_ pipe: Pipe) {
    pipe.fileHandleForReading.readabilityHandler = { [weak self] handle in
      let chunk = handle.availableData
      guard let self else { return }
      self.lock.lock()
      if chunk.isEmpty {
        self.ended = true
        handle.readabilityHandler = nil
      } else {
        self.data.append(chunk)
      }
      self.lock.unlock()
    }
  }

  /// Waits until the writer has closed the pipe and everything it wrote has been collected: a
  /// process can exit before its last output has reached the handler.
  func waitForEnd(seconds: TimeInterval = 30) {
    let deadline = Date().addingTimeInterval(seconds)
    while Date() < deadline {
      lock.lock()
      let done = ended
      lock.unlock()
      if done { return }
      Thread.sleep(forTimeInterval: 0.005)
    }
  }

  var text: String {
    lock.lock()
    defer { lock.unlock() }
    return String(decoding: data, as: UTF8.self)
  }

  /// Question lines printed so far (they start with the section in brackets).
  var questionsShown: Int {
    text.split(separator: "\n").filter { $0.hasPrefix("[") }.count
  }
}

@Suite("Crashes lose nothing")
struct CrashTests {
  /// kill -9 at random moments: every answer whose next question was printed is in the
  /// transcript, and the interview resumes to its end.
  @Test func killedAtRandomMomentsLosesNoAcknowledgedAnswer() throws {
    var generator = SystemRandomNumberGenerator()
    var trials = 0
    for trial in 0..<24 {
      let folder = try BinaryRunner.temporaryFolder()
      let process = Process()
      process.executableURL = BinaryRunner.binary
      process.arguments = ["run", "--transcripts", folder.path, "--customer", "Crash \(trial)"]
      let input = Pipe()
      let output = Pipe()
      process.standardInput = input
      process.standardOutput = output
      process.standardError = Pipe()
      let collector = OutputCollector()
      collector.attach(output)
      try process.run()
      let acknowledged = Int.random(in: 0...25, using: &generator)
      var sent = 0
      var stalled = false
      while sent < acknowledged {
        input.fileHandleForWriting.write(Data("answer \(trial)-\(sent)\n".utf8))
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
      input.fileHandleForWriting.write(Data("answer \(trial)-\(sent)\n".utf8))
      if Bool.random(using: &generator) {
        Thread.sleep(forTimeInterval: Double.random(in: 0...0.003, using: &generator))
      }
      kill(process.processIdentifier, SIGKILL)
      process.waitUntilExit()
      output.fileHandleForReading.readabilityHandler = nil
      try? input.fileHandleForWriting.close()

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
