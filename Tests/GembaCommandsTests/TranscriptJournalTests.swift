import Foundation
import GembaCore
import Testing

@testable import GembaTerminal

#if canImport(Glibc)
import Glibc
#endif

@Suite("The transcript journal on disk")
struct TranscriptJournalTests {
  // MARK: Creating

  @Test func createMakesPrivateFoldersAndStartsWithTheHeader() throws {
    let scratch = try Scratch()
    let folder = scratch.path + "/clients/acme/transcripts"
    let journal = try TranscriptJournal.create(
      folder: folder, fileName: "acme.jsonl", header: Fixture.header)
    defer { journal.close() }

    #expect(journal.path == folder + "/acme.jsonl")
    #expect(try mode(of: journal.path) == 0o600)
    for created in [scratch.path + "/clients", scratch.path + "/clients/acme", folder] {
      #expect(try mode(of: created) == 0o700, "\(created)")
    }
    let text = try String(contentsOfFile: journal.path, encoding: .utf8)
    #expect(text == TranscriptCodec.line(Fixture.header))
    // The temporary file used to publish the header atomically is gone.
    #expect(try FileManager.default.contentsOfDirectory(atPath: folder) == ["acme.jsonl"])
  }

  @Test func createNeverOverwritesATranscript() throws {
    let scratch = try Scratch()
    let first = try TranscriptJournal.create(
      folder: scratch.path, fileName: "x.jsonl", header: Fixture.header)
    first.append(Fixture.answer("q1", "kept"))
    first.close()

    #expect(throws: TranscriptJournalError.alreadyExists(path: scratch.path + "/x.jsonl")) {
      try TranscriptJournal.create(
        folder: scratch.path, fileName: "x.jsonl", header: Fixture.header)
    }
    #expect(try Fixture.read(scratch.path + "/x.jsonl").events.count == 1)
  }

  // MARK: Appending

  @Test func appendedEventsReadBack() throws {
    let scratch = try Scratch()
    let journal = try TranscriptJournal.create(
      folder: scratch.path, fileName: "x.jsonl", header: Fixture.header)
    defer { journal.close() }
    let events = [
      TranscriptEvent(.shown, t: Fixture.time, ms: 0, q: "purpose"),
      Fixture.answer("purpose", "grow in Asia,\nthen \"Europe\" — später"),
      TranscriptEvent(.skip, t: Fixture.time, ms: 2_000, q: "budget"),
      Fixture.answer("team", "twelve people"),
      TranscriptEvent(.end, t: Fixture.time, ms: 9_000),
    ]
    for event in events {
      let result = journal.append(event)
      #expect(result == AppendResult(pendingCount: 0))
    }
    #expect(journal.pendingCount == 0)

    let contents = try Fixture.read(journal.path)
    #expect(contents.header == Fixture.header)
    #expect(contents.events == events)
    #expect(contents.problems.isEmpty)
  }

  // MARK: Resuming

  @Test func aTornLastLineIsCutOffBeforeAppending() throws {
    let scratch = try Scratch()
    let path = scratch.path + "/x.jsonl"
    let first = try TranscriptJournal.create(
      folder: scratch.path, fileName: "x.jsonl", header: Fixture.header)
    first.append(Fixture.answer("q1", "one"))
    first.append(Fixture.answer("q2", "two"))
    first.close()
    let wholeLength = try size(of: path)
    try appendRaw(#"{"type":"answer","q":"q3","raw":"thr"#, to: path)

    let (journal, contents) = try TranscriptJournal.open(path: path)
    defer { journal.close() }
    #expect(contents.events.map(\.q) == ["q1", "q2"])
    #expect(contents.validLength == wholeLength)
    #expect(journal.warnings.count == 1)
    #expect(journal.warnings.first?.contains("was cut short") == true)
    #expect(journal.warnings.first?.contains(path) == true)
    #expect(try size(of: path) == wholeLength)

    #expect(journal.append(Fixture.answer("q3", "three")).isSaved)
    let after = try Fixture.read(path)
    #expect(after.events.map(\.q) == ["q1", "q2", "q3"])
    #expect(after.problems.isEmpty)
  }

  @Test func aSecondWriterIsRefusedWithAClearMessage() throws {
    let scratch = try Scratch()
    let first = try TranscriptJournal.create(
      folder: scratch.path, fileName: "x.jsonl", header: Fixture.header)
    let path = first.path

    let error = #expect(throws: TranscriptJournalError.self) {
      try TranscriptJournal.open(path: path)
    }
    #expect(error == .locked(path: path))
    let message = error.map { "\($0)" } ?? ""
    #expect(message.contains("another Gemba is writing this interview"))
    #expect(message.contains("close it first"))
    #expect(message.contains(path))

    first.close()
    let (resumed, _) = try TranscriptJournal.open(path: path)
    // A resumed journal holds the lock as well.
    #expect(throws: TranscriptJournalError.locked(path: path)) {
      try TranscriptJournal.open(path: path)
    }
    resumed.close()
  }

  // MARK: Failures

  @Test func aRemovedFolderIsRecreatedAndTheWholeJournalRewritten() throws {
    let scratch = try Scratch()
    let folder = scratch.path + "/transcripts"
    let journal = try TranscriptJournal.create(
      folder: folder, fileName: "acme.jsonl", header: Fixture.header)
    defer { journal.close() }
    journal.append(Fixture.answer("q1", "before"))
    try FileManager.default.removeItem(atPath: folder)

    let result = journal.append(Fixture.answer("q2", "after"))
    #expect(result.isSaved)
    #expect(result.message?.contains("its folder was removed") == true)
    #expect(result.message?.contains("nothing is lost") == true)
    #expect(journal.path == folder + "/acme.rewritten-1.jsonl")
    #expect(try mode(of: folder) == 0o700)
    #expect(try mode(of: journal.path) == 0o600)
    #expect(try Fixture.read(journal.path).events.map(\.q) == ["q1", "q2"])

    #expect(journal.append(Fixture.answer("q3", "later")) == AppendResult(pendingCount: 0))
    #expect(try Fixture.read(journal.path).events.map(\.q) == ["q1", "q2", "q3"])
  }

  @Test func afterAFailedFsyncTheJournalMovesToANewFile() throws {
    let scratch = try Scratch()
    let journal = try TranscriptJournal.create(
      folder: scratch.path, fileName: "x.jsonl", header: Fixture.header)
    defer { journal.close() }
    journal.append(Fixture.answer("q1", "one"))

    let disk = FailingDisk()
    disk.fsyncFailures = 1
    journal.system = disk.system
    let result = journal.append(Fixture.answer("q2", "two"))

    #expect(result.isSaved)
    #expect(result.message?.contains("the disk reported an error") == true)
    #expect(journal.path == scratch.path + "/x.rewritten-1.jsonl")
    #expect(try Fixture.read(journal.path).events.map(\.q) == ["q1", "q2"])
  }

  @Test func aResumedRewriteTakesTheNextNumber() throws {
    let scratch = try Scratch()
    let journal = try TranscriptJournal.create(
      folder: scratch.path, fileName: "x.jsonl", header: Fixture.header)
    let disk = FailingDisk()
    disk.fsyncFailures = 1
    journal.system = disk.system
    journal.append(Fixture.answer("q1", "one"))
    #expect(journal.path == scratch.path + "/x.rewritten-1.jsonl")
    journal.close()

    let (resumed, contents) = try TranscriptJournal.open(
      path: scratch.path + "/x.rewritten-1.jsonl")
    defer { resumed.close() }
    #expect(contents.events.map(\.q) == ["q1"])
    disk.fsyncFailures = 1
    resumed.system = disk.system
    #expect(resumed.append(Fixture.answer("q2", "two")).isSaved)
    #expect(resumed.path == scratch.path + "/x.rewritten-2.jsonl")
    #expect(try Fixture.read(resumed.path).events.map(\.q) == ["q1", "q2"])
  }

  @Test func resumingMakesALooseFilePrivate() throws {
    let scratch = try Scratch()
    let created = try TranscriptJournal.create(
      folder: scratch.path, fileName: "x.jsonl", header: Fixture.header)
    let path = created.path
    created.close()
    #expect(chmod(path, 0o644) == 0)

    let (journal, _) = try TranscriptJournal.open(path: path)
    defer { journal.close() }
    #expect(try mode(of: path) == 0o600)
    #expect(journal.warnings == ["\(path) was readable by others; it is now private (0600)"])
  }

  @Test func eventsStayPendingWhileTheDiskKeepsFailing() throws {
    let scratch = try Scratch()
    let journal = try TranscriptJournal.create(
      folder: scratch.path, fileName: "x.jsonl", header: Fixture.header)
    defer { journal.close() }
    let disk = FailingDisk()
    disk.fsyncFailures = .max
    journal.system = disk.system

    let first = journal.append(Fixture.answer("q1", "one"))
    let second = journal.append(Fixture.answer("q2", "two"))
    #expect(!second.isSaved)
    #expect(second.pendingCount == 2)
    #expect(second.errorCode == EIO)
    for message in [first.message, second.message] {
      #expect(message?.hasPrefix("could not save to \(scratch.path)/x.jsonl") == true)
      #expect(message?.contains("kept in memory") == true)
      #expect(message?.contains("nothing is lost") == true)
    }
    #expect(journal.pendingLines.count == 2)
    #expect(journal.retryPending().pendingCount == 2)

    disk.fsyncFailures = 0
    let retried = journal.retryPending()
    #expect(retried.isSaved)
    #expect(journal.pendingCount == 0)
    #expect(journal.path == scratch.path + "/x.rewritten-1.jsonl")
    #expect(try Fixture.read(journal.path).events.map(\.q) == ["q1", "q2"])
    // Only the published copy remains beside the original: no temporary files.
    #expect(
      try FileManager.default.contentsOfDirectory(atPath: scratch.path).sorted() == [
        "x.jsonl", "x.rewritten-1.jsonl",
      ])
  }

  @Test func aShortWriteLeavesNoPartOfTheLineBehind() throws {
    let scratch = try Scratch()
    let journal = try TranscriptJournal.create(
      folder: scratch.path, fileName: "x.jsonl", header: Fixture.header)
    defer { journal.close() }
    journal.append(Fixture.answer("q1", "one"))
    let lengthBefore = try size(of: journal.path)

    let disk = FailingDisk()
    disk.shortWritesThenFull = true
    journal.system = disk.system
    let result = journal.append(Fixture.answer("q2", String(repeating: "long answer ", count: 50)))
    #expect(result.pendingCount == 1)
    #expect(result.errorCode == ENOSPC)
    #expect(result.message?.contains("no space left on the disk") == true)
    #expect(try size(of: journal.path) == lengthBefore)

    disk.shortWritesThenFull = false
    let retried = journal.retryPending()
    #expect(retried.isSaved)
    #expect(retried.message?.contains("now on disk") == true)
    #expect(journal.path == scratch.path + "/x.jsonl")
    let contents = try Fixture.read(journal.path)
    #expect(contents.events.map(\.q) == ["q1", "q2"])
    #expect(contents.problems.isEmpty)
  }

  @Test(.enabled(if: Tmpfs.canMount, "mounting a tmpfs needs root; the disk-full test is skipped"))
  func aFullDiskKeepsTheAnswerUntilThereIsRoom() throws {
    let scratch = try Scratch()
    let mountPoint = scratch.path + "/small"
    try Tmpfs.mount(at: mountPoint, size: "64k")
    defer { Tmpfs.unmount(mountPoint) }
    let folder = mountPoint + "/transcripts"
    let journal = try TranscriptJournal.create(
      folder: folder, fileName: "x.jsonl", header: Fixture.header)
    defer { journal.close() }
    #expect(journal.append(Fixture.answer("q1", "one")).isSaved)

    let filler = mountPoint + "/filler"
    try fillDisk(with: filler)
    let large = Fixture.answer("q2", String(repeating: "a long answer ", count: 1_500))
    let result = journal.append(large)
    #expect(result.pendingCount == 1)
    #expect(result.errorCode == ENOSPC)
    #expect(
      result.message
        == "could not save to \(folder)/x.jsonl: no space left on the disk — your answers are kept "
        + "in memory and will be saved as soon as possible; nothing is lost")
    let onDisk = try Fixture.read(journal.path)
    #expect(onDisk.events.map(\.q) == ["q1"])
    #expect(onDisk.problems.isEmpty)
    #expect(journal.retryPending().pendingCount == 1)

    try FileManager.default.removeItem(atPath: filler)
    let retried = journal.retryPending()
    #expect(retried.isSaved)
    #expect(journal.path == folder + "/x.jsonl")
    let after = try Fixture.read(journal.path)
    #expect(after.events == [Fixture.answer("q1", "one"), large])
    #expect(after.problems.isEmpty)
  }

  @Test func ignoringTheFileSizeSignalLeavesItIgnored() {
    TranscriptJournal.ignoreFileSizeSignal()
    let previous = signal(SIGXFSZ, SIG_IGN)
    #expect(unsafeBitCast(previous, to: Int.self) == unsafeBitCast(SIG_IGN, to: Int.self))
  }

  @Test func closingSavesNothingTwiceAndRefusesQuietly() throws {
    let scratch = try Scratch()
    let journal = try TranscriptJournal.create(
      folder: scratch.path, fileName: "x.jsonl", header: Fixture.header)
    #expect(journal.close().isSaved)
    let late = journal.append(Fixture.answer("q1", "after closing"))
    #expect(late.pendingCount == 1)
    #expect(late.message?.contains("already closed") == true)
    #expect(journal.pendingLines.first?.contains("after closing") == true)
  }
}

// MARK: Helpers

private enum Fixture {
  static let time = "2026-11-26T14:05:12.345Z"

  static let header = TranscriptHeader(
    id: "0f3c", started: time,
    guide: .init(
      title: "Customer purpose", path: "customer-purpose.guide", version: "1", method: nil,
      sha256: SHA256.hex("title: Customer purpose\n"), source: "title: Customer purpose\n"),
    customer: .init(name: "ACME GmbH"), interviewer: "Kim")

  static func answer(_ question: String, _ raw: String) -> TranscriptEvent {
    var event = TranscriptEvent(.answer, t: time, ms: 1_000, q: question)
    event.raw = raw
    event.value = .text(raw)
    event.understood = true
    return event
  }

  static func read(_ path: String) throws -> TranscriptContents {
    let data = try #require(FileManager.default.contents(atPath: path))
    return try TranscriptCodec.read(Array(data)).get()
  }
}

/// A fresh folder under the temporary folder, removed when the value goes away.
final class Scratch {
  let path: String

  init() throws {
    path =
      FileManager.default.temporaryDirectory.appendingPathComponent(
        "gemba-journal-\(UUID().uuidString)"
      ).path
    try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
  }

  deinit {
    try? FileManager.default.removeItem(atPath: path)
  }
}

/// Disk failures that a healthy disk cannot produce on demand.
final class FailingDisk {
  var fsyncFailures = 0
  var shortWritesThenFull = false
  private var wroteShort = false

  var system: JournalSystem {
    JournalSystem(
      write: { descriptor, pointer, count in
        guard self.shortWritesThenFull else {
          return JournalSystem.live.write(descriptor, pointer, count)
        }
        // Like a disk that fills up mid-line: half the bytes land, then nothing more fits.
        if self.wroteShort {
          self.wroteShort = false
          return -Int(ENOSPC)
        }
        self.wroteShort = true
        return JournalSystem.live.write(descriptor, pointer, max(1, count / 2))
      },
      fsync: { descriptor in
        if self.fsyncFailures > 0 {
          self.fsyncFailures -= 1
          return EIO
        }
        return JournalSystem.live.fsync(descriptor)
      })
  }
}

private struct MountFailed: Error {
  var status: Int32
}

/// A small RAM disk that fills up quickly, for the disk-full test.
private enum Tmpfs {
  static let canMount: Bool = {
    guard geteuid() == 0, let scratch = try? Scratch() else { return false }
    let point = scratch.path + "/probe"
    guard (try? mount(at: point, size: "16k")) != nil else { return false }
    unmount(point)
    return true
  }()

  static func mount(at point: String, size: String) throws {
    try FileManager.default.createDirectory(atPath: point, withIntermediateDirectories: true)
    let status = try run("mount", "-t", "tmpfs", "-o", "size=\(size),mode=0700", "tmpfs", point)
    if status != 0 { throw MountFailed(status: status) }
  }

  static func unmount(_ point: String) {
    _ = try? run("umount", point)
  }

  private static func run(_ arguments: String...) throws -> Int32 {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = arguments
    process.standardOutput = FileHandle.nullDevice
    process.standardError = FileHandle.nullDevice
    try process.run()
    process.waitUntilExit()
    return process.terminationStatus
  }
}

private func fillDisk(with path: String) throws {
  let descriptor = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
  try #require(descriptor >= 0)
  defer { close(descriptor) }
  let chunk = [UInt8](repeating: 0x2E, count: 4_096)
  while true {
    let written = chunk.withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
    if written <= 0 { break }
  }
}

func mode(of path: String) throws -> mode_t {
  var status = stat()
  try #require(stat(path, &status) == 0, "stat \(path)")
  return status.st_mode & 0o777
}

private func size(of path: String) throws -> Int {
  var status = stat()
  try #require(stat(path, &status) == 0, "stat \(path)")
  return Int(status.st_size)
}

private func appendRaw(_ text: String, to path: String) throws {
  let handle = try #require(FileHandle(forWritingAtPath: path))
  defer { try? handle.close() }
  try handle.seekToEnd()
  try handle.write(contentsOf: Data(text.utf8))
}
