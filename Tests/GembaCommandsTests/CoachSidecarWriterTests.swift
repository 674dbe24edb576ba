import Foundation
import GembaCore
import Testing

@testable import GembaTerminal

#if canImport(Glibc)
import Glibc
#endif

@Suite("The coach sidecar on disk")
struct CoachSidecarWriterTests {
  private static let created = "2026-11-27T09:12:00.000Z"

  private static func comment(_ text: String, at event: Int = 3) -> CoachEvent {
    .comment(
      CoachComment(
        t: "2026-11-27T09:13:00.000Z", by: "Kim", event: event, q: "purpose", kind: .praise,
        text: text))
  }

  /// A transcript file with some bytes in it, to check it is never touched.
  private static func transcript(in scratch: Scratch) throws -> String {
    let path = scratch.path + "/2026-11-26T1405Z_acme_7f3k.jsonl"
    try Data("{\"type\":\"header\"}\n{\"type\":\"end\"}\n".utf8).write(
      to: URL(fileURLWithPath: path))
    return path
  }

  @Test func firstUseCreatesAPrivateSidecarWithItsHeader() throws {
    let scratch = try Scratch()
    let transcript = try Self.transcript(in: scratch)
    let (writer, contents) = try CoachSidecarWriter.open(
      forTranscript: transcript, interview: "7f3k", created: Self.created)
    defer { writer.close() }

    #expect(writer.path == scratch.path + "/2026-11-26T1405Z_acme_7f3k.coach.jsonl")
    #expect(contents.events.isEmpty)
    #expect(try mode(of: writer.path) == 0o600)
    let text = try String(contentsOfFile: writer.path, encoding: .utf8)
    #expect(
      text
        == CoachSidecar.line(
          CoachSidecarHeader(
            interview: "7f3k", transcript: "2026-11-26T1405Z_acme_7f3k.jsonl",
            created: Self.created)))
    // Only the transcript and its sidecar: the temporary file is gone.
    #expect(
      try FileManager.default.contentsOfDirectory(atPath: scratch.path).sorted() == [
        "2026-11-26T1405Z_acme_7f3k.coach.jsonl", "2026-11-26T1405Z_acme_7f3k.jsonl",
      ])
  }

  @Test func eventsAreAppendedAndReadBackAcrossOpenings() throws {
    let scratch = try Scratch()
    let transcript = try Self.transcript(in: scratch)
    let (first, _) = try CoachSidecarWriter.open(
      forTranscript: transcript, interview: "7f3k", created: Self.created)
    #expect(first.append(Self.comment("one")).isSaved)
    first.close()

    let (second, contents) = try CoachSidecarWriter.open(
      forTranscript: transcript, interview: "7f3k", created: "2026-12-01T00:00:00.000Z")
    #expect(contents.events == [Self.comment("one")])
    #expect(contents.header.created == Self.created)
    #expect(second.append(Self.comment("two")).isSaved)
    second.close()

    let read = try #require(try CoachSidecarWriter.read(forTranscript: transcript))
    #expect(read.events == [Self.comment("one"), Self.comment("two")])
  }

  @Test func theTranscriptIsNeverAltered() throws {
    let scratch = try Scratch()
    let transcript = try Self.transcript(in: scratch)
    let before = SHA256.hex(try String(contentsOfFile: transcript, encoding: .utf8))
    let (writer, _) = try CoachSidecarWriter.open(
      forTranscript: transcript, interview: "7f3k", created: Self.created)
    for number in 1...5 { writer.append(Self.comment("comment \(number)", at: number)) }
    writer.close()
    #expect(SHA256.hex(try String(contentsOfFile: transcript, encoding: .utf8)) == before)
  }

  @Test func aSecondWriterIsRefusedWhileTheFirstHoldsTheLock() throws {
    let scratch = try Scratch()
    let transcript = try Self.transcript(in: scratch)
    let (writer, _) = try CoachSidecarWriter.open(
      forTranscript: transcript, interview: "7f3k", created: Self.created)
    defer { writer.close() }
    #expect(throws: CoachSidecarError.file(.locked(path: writer.path))) {
      try CoachSidecarWriter.open(
        forTranscript: transcript, interview: "7f3k", created: Self.created)
    }
    #expect(
      CoachSidecarError.file(.locked(path: writer.path)).description
        == "another Gemba is writing the coach's file \(writer.path); close it first")
  }

  @Test func aSidecarOfAnotherInterviewIsNotWrittenTo() throws {
    let scratch = try Scratch()
    let transcript = try Self.transcript(in: scratch)
    let (writer, _) = try CoachSidecarWriter.open(
      forTranscript: transcript, interview: "7f3k", created: Self.created)
    writer.close()
    let size = try FileManager.default.attributesOfItem(atPath: writer.path)[.size] as? Int
    #expect(
      throws: CoachSidecarError.otherInterview(path: writer.path, found: "7f3k", expected: "zz99")
    ) {
      try CoachSidecarWriter.open(
        forTranscript: transcript, interview: "zz99", created: Self.created)
    }
    #expect(try FileManager.default.attributesOfItem(atPath: writer.path)[.size] as? Int == size)
  }

  @Test func aTornLastLineIsCutOffBeforeAppending() throws {
    let scratch = try Scratch()
    let transcript = try Self.transcript(in: scratch)
    let (writer, _) = try CoachSidecarWriter.open(
      forTranscript: transcript, interview: "7f3k", created: Self.created)
    writer.append(Self.comment("kept"))
    writer.close()
    let handle = try #require(FileHandle(forWritingAtPath: writer.path))
    try handle.seekToEnd()
    try handle.write(contentsOf: Data("{\"type\":\"comment\",\"t\":".utf8))
    try handle.close()

    #expect(try CoachSidecarWriter.read(forTranscript: transcript)?.problems.map(\.line) == [3])
    let (reopened, contents) = try CoachSidecarWriter.open(
      forTranscript: transcript, interview: "7f3k", created: Self.created)
    #expect(contents.events == [Self.comment("kept")])
    #expect(reopened.warnings.first?.contains("the coach's file continues") == true)
    reopened.append(Self.comment("after"))
    reopened.close()
    let read = try #require(try CoachSidecarWriter.read(forTranscript: transcript))
    #expect(read.problems.isEmpty)
    #expect(read.events == [Self.comment("kept"), Self.comment("after")])
  }

  @Test func afterAFailedFsyncTheSidecarIsWrittenAgainUnderItsOwnName() throws {
    let scratch = try Scratch()
    let transcript = try Self.transcript(in: scratch)
    let (writer, _) = try CoachSidecarWriter.open(
      forTranscript: transcript, interview: "7f3k", created: Self.created)
    defer { writer.close() }
    writer.append(Self.comment("one"))
    let disk = FailingDisk()
    disk.fsyncFailures = 1
    writer.system = disk.system

    let result = writer.append(Self.comment("two"))
    #expect(result.isSaved)
    #expect(result.message?.contains("written again in its place") == true)
    #expect(writer.path == CoachSidecar.path(forTranscript: transcript))
    #expect(try mode(of: writer.path) == 0o600)
    let read = try #require(try CoachSidecarWriter.read(forTranscript: transcript))
    #expect(read.events == [Self.comment("one"), Self.comment("two")])
    // The lock moved with the new file: a second writer is still refused.
    #expect(throws: CoachSidecarError.self) {
      try CoachSidecarWriter.open(
        forTranscript: transcript, interview: "7f3k", created: Self.created)
    }
  }

  @Test func noSidecarReadsAsNone() throws {
    let scratch = try Scratch()
    let transcript = try Self.transcript(in: scratch)
    #expect(try CoachSidecarWriter.read(forTranscript: transcript) == nil)
  }

  @Test func aFileThatIsNotASidecarIsReportedNotOverwritten() throws {
    let scratch = try Scratch()
    let transcript = try Self.transcript(in: scratch)
    let path = CoachSidecar.path(forTranscript: transcript)
    try Data("my own notes\n".utf8).write(to: URL(fileURLWithPath: path))
    #expect(
      throws: CoachSidecarError.unreadable(path: path, .notASidecar("it is not JSON"))
    ) {
      try CoachSidecarWriter.open(
        forTranscript: transcript, interview: "7f3k", created: Self.created)
    }
    #expect(try String(contentsOfFile: path, encoding: .utf8) == "my own notes\n")
  }
}
