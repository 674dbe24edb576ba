import Foundation
import GembaCore

#if canImport(Glibc)
import Glibc
#endif

/// Why a coach sidecar could not be opened, created or read.
public enum CoachSidecarError: Error, Sendable, Equatable, CustomStringConvertible {
  /// The file is there but is not a coach file this Gemba can read.
  case unreadable(path: String, CoachSidecarReadError)
  /// The file's header names another interview than the transcript it sits beside.
  case otherInterview(path: String, found: String, expected: String)
  /// Creating, locking, reading or writing the file failed.
  case file(TranscriptJournalError)

  public var description: String {
    switch self {
    case .unreadable(let path, let error):
      return "cannot use the coach's file \(path): \(error)"
    case .otherInterview(let path, let found, let expected):
      return "the coach's file \(path) belongs to interview '\(found)', not to '\(expected)' "
        + "beside it; move it away or rename it, nothing was written"
    case .file(.locked(let path)):
      return "another Gemba is writing the coach's file \(path); close it first"
    case .file(let error):
      return error.description
    }
  }
}

/// The durable writer of a coach sidecar: each comment, score or outcome is written with one
/// write on O_APPEND and fsynced under a lock before ``append(_:)`` returns, exactly as
/// transcript events are (see ``TranscriptJournal``). The transcript itself is never opened for
/// writing.
///
/// Not `Sendable`: one replay is driven from one thread.
public final class CoachSidecarWriter {
  /// The sidecar file.
  public var path: String { file.path }
  /// The header the sidecar holds.
  public let header: CoachSidecarHeader
  /// What opening found and repaired (a torn last line cut off, loose permissions tightened).
  public var warnings: [String] { file.warnings }
  /// How many events are waiting in memory to be written.
  public var pendingCount: Int { file.pendingCount }
  /// The JSON lines not yet on disk, oldest first.
  public var pendingLines: [String] { file.pendingLines }

  /// The calls that touch the disk, replaceable by tests.
  var system: JournalSystem {
    get { file.system }
    set { file.system = newValue }
  }

  private let file: DurableJournal

  private init(file: DurableJournal, header: CoachSidecarHeader) {
    self.file = file
    self.header = header
  }

  /// Opens the sidecar of the transcript at `transcriptPath` to append to it, creating it on
  /// first use (private, written to a temporary file, fsynced, renamed into place and the folder
  /// fsynced) with a header naming `interview` (the transcript header's id) and `created`.
  ///
  /// Returns the writer and what the sidecar already held (nothing, when it was just created).
  ///
  /// - Throws: ``CoachSidecarError``: another Gemba holds it, it is not a coach file, or it
  ///   belongs to another interview.
  public static func open(forTranscript transcriptPath: String, interview: String, created: String)
    throws(CoachSidecarError) -> (CoachSidecarWriter, CoachSidecarContents)
  {
    let path = CoachSidecar.path(forTranscript: transcriptPath)
    let header = CoachSidecarHeader(
      interview: interview, transcript: Path.lastComponent(transcriptPath), created: created)
    do {
      if !DurableJournal.exists(path) {
        do {
          let line = CoachSidecar.line(header)
          let file = try DurableJournal.create(
            folder: Path.directory(path), fileName: Path.lastComponent(path), firstLine: line,
            kind: .coachSidecar)
          let contents = CoachSidecarContents(
            header: header, events: [], validLength: line.utf8.count)
          return (CoachSidecarWriter(file: file, header: header), contents)
        } catch TranscriptJournalError.alreadyExists {
          // Another coach started it a moment ago: append to theirs.
        }
      }
      var contents: CoachSidecarContents?
      let file = try DurableJournal.open(path: path, kind: .coachSidecar) { bytes in
        let read = try decode(bytes, path: path)
        guard read.header.interview == interview else {
          throw CoachSidecarError.otherInterview(
            path: path, found: read.header.interview, expected: interview)
        }
        contents = read
        return read.validLength
      }
      guard let contents else {
        throw CoachSidecarError.file(.system(action: "read", path: path, code: EIO))
      }
      return (CoachSidecarWriter(file: file, header: contents.header), contents)
    } catch let error as CoachSidecarError {
      throw error
    } catch let error as TranscriptJournalError {
      throw .file(error)
    } catch {
      throw .file(.system(action: "open", path: path, code: EIO))
    }
  }

  /// Reads the sidecar of the transcript at `transcriptPath` without taking its lock (a line is
  /// only ever appended whole, and a torn last line is left out with a warning); `nil` when
  /// there is none yet.
  public static func read(forTranscript transcriptPath: String) throws(CoachSidecarError)
    -> CoachSidecarContents?
  {
    let path = CoachSidecar.path(forTranscript: transcriptPath)
    let descriptor = Glibc.open(path, O_RDONLY | O_CLOEXEC)
    if descriptor < 0 {
      let code = errno
      if code == ENOENT { return nil }
      throw .file(.system(action: "open", path: path, code: code))
    }
    defer { _ = Glibc.close(descriptor) }
    do {
      return try decode(try DurableJournal.readAll(descriptor, path: path), path: path)
    } catch let error as CoachSidecarError {
      throw error
    } catch let error as TranscriptJournalError {
      throw .file(error)
    } catch {
      throw .file(.system(action: "read", path: path, code: EIO))
    }
  }

  private static func decode(_ bytes: [UInt8], path: String) throws(CoachSidecarError)
    -> CoachSidecarContents
  {
    switch CoachSidecar.read(bytes) {
    case .success(let read): return read
    case .failure(let error): throw .unreadable(path: path, error)
    }
  }

  /// Writes `event` to disk and fsyncs it, after any events still pending.
  ///
  /// Never throws and never drops the event: when it cannot be saved it stays pending in
  /// memory and the result's message says so.
  @discardableResult
  public func append(_ event: CoachEvent) -> AppendResult {
    file.append([CoachSidecar.line(event)])
  }

  /// Tries again to write the events kept in memory.
  @discardableResult
  public func retryPending() -> AppendResult {
    file.retryPending()
  }

  /// Releases the lock and closes the file, after one last try to save pending events.
  @discardableResult
  public func close() -> AppendResult {
    file.close()
  }
}
