import Foundation
import GembaCore

#if canImport(Glibc)
import Glibc
#endif

/// Why a transcript journal (or a coach sidecar) could not be created or opened.
public enum TranscriptJournalError: Error, Sendable, Equatable, CustomStringConvertible {
  /// Another process (or another journal in this one) holds the file's lock.
  case locked(path: String)
  /// A transcript of that name is already there; it is never overwritten.
  case alreadyExists(path: String)
  /// The file is there but is not a transcript this Gemba can continue.
  case unreadable(path: String, TranscriptReadError)
  /// A system call failed: `action` says what was being done, `code` is the errno.
  case system(action: String, path: String, code: Int32)

  public var description: String {
    switch self {
    case .locked(let path):
      return "another Gemba is writing this interview (\(path)); close it first, then resume"
    case .alreadyExists(let path):
      return "\(path) already exists; it is left as it is, choose another name"
    case .unreadable(let path, let error):
      return "cannot continue \(path): \(error)"
    case .system(let action, let path, let code):
      return "could not \(action) \(path): \(DurableJournal.plainReason(code))"
    }
  }
}

/// What happened to the events handed to a journal, in words for the salesperson.
public struct AppendResult: Sendable, Equatable {
  /// Events not yet on disk, kept in memory in order.
  public var pendingCount: Int
  /// What to tell the salesperson: why saving failed and that nothing is lost, or that the
  /// journal moved to a new file. `nil` when everything is saved and nothing changed.
  public var message: String?
  /// The errno of the failure, when there was one.
  public var errorCode: Int32?

  /// Whether every event handed over so far is on disk.
  public var isSaved: Bool { pendingCount == 0 }

  public init(pendingCount: Int, message: String? = nil, errorCode: Int32? = nil) {
    self.pendingCount = pendingCount
    self.message = message
    self.errorCode = errorCode
  }
}

/// The durable, append-only journal of one interview: a transcript file that holds every event
/// on disk (written and fsynced) before the call that handed it over returns.
///
/// A failure never throws and never drops an event: the event stays pending in memory, the
/// result says so in plain words, and ``retryPending()`` (called before each next question)
/// tries again. After a failed fsync the file is not trusted again, since Linux may have
/// dropped the dirty pages and reports the error only once; the whole journal, which is kept in
/// memory, is written to a fresh file beside it instead. The same happens when the file's folder
/// is removed under it.
///
/// Not `Sendable`: one interview is driven from one thread, and the journal is never shared.
public final class TranscriptJournal {
  /// The file being appended to now; it changes when the journal has to be rewritten.
  public var path: String { file.path }
  /// The header the journal started with.
  public let header: TranscriptHeader
  /// What opening found and repaired (a torn last line cut off, loose permissions tightened),
  /// for the caller to show.
  public var warnings: [String] { file.warnings }

  /// How many events are waiting in memory to be written.
  public var pendingCount: Int { file.pendingCount }

  /// The JSON lines not yet on disk, oldest first and each ending in a newline, so a caller that
  /// has to stop can show them or save them elsewhere rather than lose them.
  public var pendingLines: [String] { file.pendingLines }

  /// The calls that touch the disk, replaceable by tests to simulate failures that a healthy
  /// disk cannot produce on demand (a failed fsync).
  var system: JournalSystem {
    get { file.system }
    set { file.system = newValue }
  }

  private let file: DurableJournal

  private init(file: DurableJournal, header: TranscriptHeader) {
    self.file = file
    self.header = header
  }

  // MARK: Starting

  /// Makes SIGXFSZ harmless, so exceeding a file-size limit (ulimit -f) surfaces as an EFBIG
  /// error the journal can report and survive, instead of killing the process with answers
  /// still in memory.
  public static func ignoreFileSizeSignal() {
    _ = signal(SIGXFSZ, SIG_IGN)
  }

  /// Starts a new transcript `fileName` in `folder` holding `header`.
  ///
  /// The folder (and its parents) is created private (0700) when missing. The header is written
  /// to a temporary file that is fsynced, then published under `fileName` and the folder fsynced,
  /// so the transcript exists after a crash. The file is private (0600) whatever the umask, and
  /// locked for as long as the journal is open. An existing file is never overwritten.
  public static func create(folder: String, fileName: String, header: TranscriptHeader) throws
    -> TranscriptJournal
  {
    let file = try DurableJournal.create(
      folder: folder, fileName: fileName, firstLine: TranscriptCodec.line(header),
      kind: .transcript)
    return TranscriptJournal(file: file, header: header)
  }

  /// Opens an interrupted transcript to continue it.
  ///
  /// The lock is taken before reading, so what is read is what will be appended to. A torn last
  /// line (a write cut short by a crash) is cut off and fsynced before anything is appended, and
  /// reported in ``warnings``.
  ///
  /// - Throws: ``TranscriptJournalError/locked(path:)`` when another Gemba has the interview
  ///   open; ``TranscriptJournalError/unreadable(path:_:)`` when it is not a transcript.
  public static func open(path: String) throws -> (TranscriptJournal, TranscriptContents) {
    var contents: TranscriptContents?
    let file = try DurableJournal.open(path: path, kind: .transcript) { bytes in
      switch TranscriptCodec.read(bytes) {
      case .success(let read):
        contents = read
        return read.validLength
      case .failure(let error):
        throw TranscriptJournalError.unreadable(path: path, error)
      }
    }
    guard let contents else {
      throw TranscriptJournalError.system(action: "read", path: path, code: EIO)
    }
    return (TranscriptJournal(file: file, header: contents.header), contents)
  }

  // MARK: Appending

  /// Writes `events` to disk with one write and one fsync, after any events still pending.
  ///
  /// Never throws and never drops an event: when they cannot be saved they stay pending in
  /// memory and the result's message says so.
  @discardableResult
  public func append(contentsOf events: [TranscriptEvent]) -> AppendResult {
    file.append(events.map(TranscriptCodec.line))
  }

  /// Writes `event` to disk and fsyncs it, after any events still pending.
  ///
  /// Never throws and never drops the event: when it cannot be saved it stays pending in
  /// memory and the result's message says so.
  @discardableResult
  public func append(_ event: TranscriptEvent) -> AppendResult {
    file.append([TranscriptCodec.line(event)])
  }

  /// Tries again to write the events kept in memory; call it before each next question.
  @discardableResult
  public func retryPending() -> AppendResult {
    file.retryPending()
  }

  /// Releases the lock and closes the file, after one last try to save pending events. The
  /// result says whether any are still only in memory (see ``pendingLines``).
  @discardableResult
  public func close() -> AppendResult {
    file.close()
  }
}
