import Foundation
import GembaCore

#if canImport(Glibc)
import Glibc
#endif

/// Why a transcript journal could not be created or opened.
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
      return "could not \(action) \(path): \(TranscriptJournal.plainReason(code))"
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
  public private(set) var path: String
  /// The header the journal started with.
  public let header: TranscriptHeader
  /// What opening found and repaired (a torn last line cut off, loose permissions tightened),
  /// for the caller to show.
  public private(set) var warnings: [String] = []

  /// How many events are waiting in memory to be written.
  public var pendingCount: Int { pending.count }

  /// The JSON lines not yet on disk, oldest first and each ending in a newline, so a caller that
  /// has to stop can show them or save them elsewhere rather than lose them.
  public var pendingLines: [String] { pending.map { String(decoding: $0, as: UTF8.self) } }

  private let folder: String
  private let baseName: String
  private var descriptor: Int32
  /// Every byte known to be durable in the current file: the header line, then event lines.
  private var journal: [UInt8]
  private var pending: [[UInt8]] = []
  /// Set when the current file can no longer be trusted; the next write starts a new file.
  private var needsRewrite = false
  private var lastFailure: (reason: String, code: Int32)?

  /// The calls that touch the disk, replaceable by tests to simulate failures that a healthy
  /// disk cannot produce on demand (a failed fsync).
  var system = JournalSystem.live

  private init(
    path: String, folder: String, baseName: String, descriptor: Int32, header: TranscriptHeader,
    journal: [UInt8]
  ) {
    self.path = path
    self.folder = folder
    self.baseName = baseName
    self.descriptor = descriptor
    self.header = header
    self.journal = journal
  }

  deinit {
    // A caller that forgot close() still gets one last try at saving what is in memory.
    if descriptor >= 0 && (!pending.isEmpty || needsRewrite) { _ = flush() }
    if descriptor >= 0 { _ = Glibc.close(descriptor) }
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
    // A file name with folders in it is read as a path below `folder`.
    let target = join(folder.isEmpty ? "." : folder, fileName)
    let folder = Path.directory(target)
    let fileName = Path.lastComponent(target)
    try makeFolder(folder)
    let bytes = Array(TranscriptCodec.line(header).utf8)
    let system = JournalSystem.live
    if exists(target) { throw TranscriptJournalError.alreadyExists(path: target) }
    let descriptor = try writeDurably(
      bytes, folder: folder, fileName: fileName, system: system)
    return TranscriptJournal(
      path: target, folder: folder, baseName: fileName, descriptor: descriptor, header: header,
      journal: bytes)
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
    // Read and write through one descriptor, so the lock covers the bytes read.
    let descriptor = Glibc.open(path, O_RDWR | O_APPEND | O_CLOEXEC)
    if descriptor < 0 {
      throw TranscriptJournalError.system(action: "open", path: path, code: errno)
    }
    var keep = false
    defer { if !keep { _ = Glibc.close(descriptor) } }
    try lock(descriptor, path: path)

    let bytes = try readAll(descriptor, path: path)
    let contents: TranscriptContents
    switch TranscriptCodec.read(bytes) {
    case .success(let read): contents = read
    case .failure(let error): throw TranscriptJournalError.unreadable(path: path, error)
    }

    let journal = TranscriptJournal(
      path: path, folder: Path.directory(path), baseName: Path.lastComponent(path),
      descriptor: descriptor, header: contents.header,
      journal: Array(bytes[..<contents.validLength]))
    keep = true

    if bytes.count > contents.validLength {
      let torn = bytes.count - contents.validLength
      if ftruncate(descriptor, off_t(contents.validLength)) == 0 && Glibc.fsync(descriptor) == 0 {
        journal.warnings.append(
          "the last line of \(path) was cut short (a write was interrupted); its \(torn) "
            + "byte\(torn == 1 ? "" : "s") were removed and the interview continues after the "
            + "last whole line")
      } else {
        let code = errno
        let reason = plainReason(code)
        // Appending after the torn bytes would glue the next event onto them; a fresh file
        // holding only the whole lines avoids that.
        journal.needsRewrite = true
        journal.lastFailure = ("its cut-short last line could not be removed (\(reason))", code)
        journal.warnings.append(
          "the last line of \(path) was cut short and could not be removed (\(reason)); the "
            + "interview continues in a new file beside it")
      }
    }

    var status = stat()
    if fstat(descriptor, &status) == 0, status.st_mode & 0o077 != 0 {
      if fchmod(descriptor, 0o600) == 0 {
        journal.warnings.append("\(path) was readable by others; it is now private (0600)")
      }
    }
    return (journal, contents)
  }

  // MARK: Appending

  /// Writes `events` to disk with one write and one fsync, after any events still pending.
  ///
  /// Never throws and never drops an event: when they cannot be saved they stay pending in
  /// memory and the result's message says so.
  @discardableResult
  public func append(contentsOf events: [TranscriptEvent]) -> AppendResult {
    // One write and one fsync for the lot: an answer and the next question's `shown` reach the
    // disk together, before the question is printed, at the cost of a single flush.
    guard !events.isEmpty else { return flush() }
    pending.append(Array(events.map(TranscriptCodec.line).joined().utf8))
    return flush()
  }

  /// Writes `event` to disk and fsyncs it, after any events still pending.
  ///
  /// Never throws and never drops the event: when it cannot be saved it stays pending in
  /// memory and the result's message says so.
  @discardableResult
  public func append(_ event: TranscriptEvent) -> AppendResult {
    pending.append(Array(TranscriptCodec.line(event).utf8))
    return flush()
  }

  /// Tries again to write the events kept in memory; call it before each next question.
  @discardableResult
  public func retryPending() -> AppendResult {
    flush()
  }

  /// Releases the lock and closes the file, after one last try to save pending events. The
  /// result says whether any are still only in memory (see ``pendingLines``).
  @discardableResult
  public func close() -> AppendResult {
    let result = flush()
    if descriptor >= 0 {
      _ = Glibc.close(descriptor)
      descriptor = -1
    }
    return result
  }

  private func flush() -> AppendResult {
    if descriptor < 0 {
      if pending.isEmpty { return AppendResult(pendingCount: 0) }
      return failure(reason: "the transcript was already closed", code: EBADF)
    }
    if needsRewrite {
      return rewrite(after: lastFailure)
    }
    if pending.isEmpty { return AppendResult(pendingCount: 0) }
    let recovering = lastFailure != nil
    while let line = pending.first {
      switch appendLine(line) {
      case .written:
        journal.append(contentsOf: line)
        pending.removeFirst()
      case .failed(let reason, let code):
        lastFailure = (reason, code)
        return failure(reason: reason, code: code)
      case .untrusted(let reason, let code):
        lastFailure = (reason, code)
        needsRewrite = true
        return rewrite(after: lastFailure)
      }
    }
    lastFailure = nil
    if recovering {
      return AppendResult(
        pendingCount: 0,
        message: "saved to \(path): everything kept in memory is now on disk")
    }
    return AppendResult(pendingCount: 0)
  }

  private enum LineOutcome {
    case written
    /// Nothing of the line is in the file; trying the same file again later is safe.
    case failed(String, Int32)
    /// The file can no longer be trusted to hold what is written to it.
    case untrusted(String, Int32)
  }

  private func appendLine(_ line: [UInt8]) -> LineOutcome {
    var status = stat()
    if fstat(descriptor, &status) != 0 {
      return .untrusted(Self.plainReason(errno), errno)
    }
    if status.st_nlink == 0 { return .untrusted("its folder was removed", ENOENT) }
    let expected = off_t(journal.count)
    if status.st_size < expected {
      return .untrusted("the file was cut short by something else", EIO)
    }
    if status.st_size > expected, !cutBack() {
      return .untrusted("a partly written line could not be removed", errno)
    }

    let code = system.writeAll(descriptor, line)
    if code != 0 {
      // A short write followed by an error leaves part of the line in the file; the next line
      // would be glued onto it and both lost to readers, so cut it off now.
      if !cutBack() { return .untrusted(Self.plainReason(code), code) }
      return .failed(Self.plainReason(code), code)
    }
    // Writes to an unlinked file succeed; only the link count shows the folder is gone.
    if fstat(descriptor, &status) == 0, status.st_nlink == 0 {
      return .untrusted("its folder was removed", ENOENT)
    }
    let syncCode = system.fsync(descriptor)
    if syncCode != 0 { return .untrusted(Self.plainReason(syncCode), syncCode) }
    return .written
  }

  /// Truncates the file back to the bytes known durable; false when that fails.
  private func cutBack() -> Bool {
    ftruncate(descriptor, off_t(journal.count)) == 0
  }

  /// Writes the whole journal, pending events included, to a new file beside the old one, and
  /// continues there.
  private func rewrite(after failure: (reason: String, code: Int32)?) -> AppendResult {
    let oldPath = path
    let bytes = journal + pending.joined()
    do {
      try Self.makeFolder(folder)
      let name = nextRewriteName()
      let newDescriptor = try Self.writeDurably(
        bytes, folder: folder, fileName: name, system: system)
      // Closing the old file releases its lock only now that the new one is held.
      _ = Glibc.close(descriptor)
      descriptor = newDescriptor
      path = Self.join(folder, name)
      journal = bytes
      pending.removeAll()
      needsRewrite = false
      lastFailure = nil
      let why = failure.map { ": \($0.reason)" } ?? ""
      return AppendResult(
        pendingCount: 0,
        message: "could not save to \(oldPath)\(why) — the whole interview was written again to "
          + "\(path) and continues there; nothing is lost")
    } catch let error as TranscriptJournalError {
      let code: Int32
      if case .system(_, _, let systemCode) = error { code = systemCode } else { code = EIO }
      let reason: String
      if let failure {
        reason = "\(failure.reason), and a new copy could not be written (\(error))"
      } else {
        reason = "a new copy could not be written (\(error))"
      }
      return self.failure(reason: reason, code: code, at: oldPath)
    } catch {
      return self.failure(reason: "\(error)", code: EIO, at: oldPath)
    }
  }

  private func failure(reason: String, code: Int32, at failedPath: String? = nil) -> AppendResult {
    AppendResult(
      pendingCount: pending.count,
      message: "could not save to \(failedPath ?? path): \(reason) — your answers are kept in "
        + "memory and will be saved as soon as possible; nothing is lost",
      errorCode: code)
  }

  /// `name.rewritten-N.jsonl` beside the original, with the first N not yet taken.
  private func nextRewriteName() -> String {
    var stem = baseName
    var suffix = ""
    if stem.hasSuffix(".jsonl") {
      stem.removeLast(".jsonl".count)
      suffix = ".jsonl"
    }
    // A resumed rewrite gets the next number, not a second `.rewritten-` in its name.
    if let marker = stem.range(of: ".rewritten-", options: .backwards),
      !stem[marker.upperBound...].isEmpty,
      stem[marker.upperBound...].allSatisfy(\.isASCII),
      stem[marker.upperBound...].allSatisfy(\.isNumber)
    {
      stem = String(stem[..<marker.lowerBound])
    }
    var number = 1
    while Self.exists(Self.join(folder, "\(stem).rewritten-\(number)\(suffix)")) {
      number += 1
    }
    return "\(stem).rewritten-\(number)\(suffix)"
  }

  // MARK: File system

  /// Creates `folder` and any missing parents as 0700, fsyncing each parent that gained one.
  private static func makeFolder(_ folder: String) throws {
    let absolute = folder.hasPrefix("/")
    var prefix = absolute ? "" : "."
    for component in folder.split(separator: "/", omittingEmptySubsequences: true) {
      let parent = prefix.isEmpty ? "/" : prefix
      prefix += "/" + component
      if mkdir(prefix, 0o700) == 0 {
        // mkdir's mode passes through the umask; a transcripts folder stays private regardless.
        _ = chmod(prefix, 0o700)
        try syncFolder(parent)
        continue
      }
      let code = errno
      var status = stat()
      if code == EEXIST, stat(prefix, &status) == 0, status.st_mode & S_IFMT == S_IFDIR {
        continue
      }
      throw TranscriptJournalError.system(
        action: "create the folder", path: prefix, code: code == EEXIST ? ENOTDIR : code)
    }
  }

  /// Writes `bytes` to a temporary file, fsyncs it, publishes it as `fileName` without
  /// replacing anything there, and fsyncs the folder. Returns the file's descriptor, locked and
  /// switched to appending.
  private static func writeDurably(
    _ bytes: [UInt8], folder: String, fileName: String, system: JournalSystem
  ) throws -> Int32 {
    let target = join(folder, fileName)
    var attempt = 0
    var temporary = ""
    var descriptor: Int32 = -1
    while descriptor < 0 {
      attempt += 1
      temporary = join(folder, ".\(fileName).tmp-\(getpid())-\(attempt)")
      descriptor = Glibc.open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
      if descriptor < 0 && (errno != EEXIST || attempt > 100) {
        throw TranscriptJournalError.system(action: "create", path: target, code: errno)
      }
    }
    var published = false
    defer {
      if !published {
        _ = Glibc.close(descriptor)
        _ = unlink(temporary)
      }
    }
    // The lock is taken on the temporary file, whose inode becomes the transcript, so there is
    // no moment when the published file is unlocked.
    try lock(descriptor, path: target)
    if fchmod(descriptor, 0o600) != 0 {
      throw TranscriptJournalError.system(action: "make private", path: target, code: errno)
    }
    let code = system.writeAll(descriptor, bytes)
    if code != 0 {
      throw TranscriptJournalError.system(action: "write", path: target, code: code)
    }
    let syncCode = system.fsync(descriptor)
    if syncCode != 0 {
      throw TranscriptJournalError.system(action: "save", path: target, code: syncCode)
    }
    try publish(temporary, as: target)
    published = true
    do {
      try syncFolder(folder)
    } catch {
      // The file is in place but its name may not survive a crash; remove it so a retry does
      // not find a half-published transcript.
      _ = unlink(target)
      _ = Glibc.close(descriptor)
      throw error
    }
    // Appends must land at the end even if something else wrote to the file meanwhile.
    let flags = fcntl(descriptor, F_GETFL)
    if flags < 0 || fcntl(descriptor, F_SETFL, flags | O_APPEND) != 0 {
      let failure = errno
      _ = Glibc.close(descriptor)
      throw TranscriptJournalError.system(action: "open for appending", path: target, code: failure)
    }
    return descriptor
  }

  /// Gives `temporary` the name `target` atomically, never replacing an existing file: link(2)
  /// fails when the name is taken, where rename(2) would silently overwrite a transcript.
  private static func publish(_ temporary: String, as target: String) throws {
    if link(temporary, target) == 0 {
      _ = unlink(temporary)
      return
    }
    let code = errno
    if code == EEXIST { throw TranscriptJournalError.alreadyExists(path: target) }
    // Some file systems (FAT, some network mounts) have no hard links; fall back to a rename
    // after checking the name is free.
    guard code == EPERM || code == EOPNOTSUPP || code == EMLINK || code == ENOSYS else {
      throw TranscriptJournalError.system(action: "create", path: target, code: code)
    }
    if exists(target) { throw TranscriptJournalError.alreadyExists(path: target) }
    if rename(temporary, target) != 0 {
      throw TranscriptJournalError.system(action: "create", path: target, code: errno)
    }
  }

  private static func lock(_ descriptor: Int32, path: String) throws {
    var result: Int32
    var attempts = 0
    while true {
      result = flock(descriptor, LOCK_EX | LOCK_NB)
      if result == 0 { return }
      if errno == EINTR { continue }
      // A process being started elsewhere holds copies of every descriptor between its fork and
      // its exec, close-on-exec ones included, so a lock can look taken for a moment: look again
      // briefly before telling the person another Gemba has the interview.
      guard errno == EWOULDBLOCK, attempts < 10 else { break }
      attempts += 1
      usleep(20_000)
    }
    let code = errno
    if code == EWOULDBLOCK { throw TranscriptJournalError.locked(path: path) }
    // File systems without flock (ENOLCK, EOPNOTSUPP) still get the interview saved: the lock
    // guards against a second window, it is not a condition for keeping answers.
  }

  private static func syncFolder(_ folder: String) throws {
    let descriptor = Glibc.open(folder, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
    if descriptor < 0 {
      throw TranscriptJournalError.system(action: "open the folder", path: folder, code: errno)
    }
    defer { _ = Glibc.close(descriptor) }
    if Glibc.fsync(descriptor) != 0 {
      let code = errno
      // Some file systems cannot sync a folder; nothing more can be done there.
      if code == EINVAL || code == EOPNOTSUPP { return }
      throw TranscriptJournalError.system(action: "save the folder", path: folder, code: code)
    }
  }

  private static func readAll(_ descriptor: Int32, path: String) throws -> [UInt8] {
    var bytes: [UInt8] = []
    var chunk = [UInt8](repeating: 0, count: 65_536)
    while true {
      let count = chunk.withUnsafeMutableBytes { buffer in
        pread(descriptor, buffer.baseAddress, buffer.count, off_t(bytes.count))
      }
      if count < 0 {
        if errno == EINTR { continue }
        throw TranscriptJournalError.system(action: "read", path: path, code: errno)
      }
      if count == 0 { return bytes }
      bytes.append(contentsOf: chunk[..<count])
    }
  }

  private static func exists(_ path: String) -> Bool {
    var status = stat()
    return lstat(path, &status) == 0
  }

  private static func join(_ folder: String, _ name: String) -> String {
    folder.hasSuffix("/") ? folder + name : folder + "/" + name
  }

  /// An errno in words a salesperson can act on.
  static func plainReason(_ code: Int32) -> String {
    switch code {
    case ENOSPC: return "no space left on the disk"
    case EDQUOT: return "your disk quota is used up"
    case EFBIG: return "the file has reached the largest size allowed"
    case EIO: return "the disk reported an error"
    case EROFS: return "the disk is read-only"
    case EACCES, EPERM: return "permission denied"
    case ENOENT: return "the folder or file is gone"
    default: return String(cString: strerror(code)).lowercased()
    }
  }
}

/// The calls through which a journal writes and syncs, so tests can make them fail.
struct JournalSystem {
  /// write(2): the count written, or minus the errno.
  var write: (Int32, UnsafeRawPointer, Int) -> Int
  /// fsync(2): 0, or the errno.
  var fsync: (Int32) -> Int32

  static var live: JournalSystem {
    JournalSystem(
      write: { descriptor, pointer, count in
        let written = Glibc.write(descriptor, pointer, count)
        return written >= 0 ? written : -Int(errno)
      },
      fsync: { descriptor in Glibc.fsync(descriptor) == 0 ? 0 : errno })
  }

  /// Writes all of `bytes`: one write(2) for the whole line, looping only on a short write and
  /// on EINTR. Returns 0, or the errno that stopped it.
  func writeAll(_ descriptor: Int32, _ bytes: [UInt8]) -> Int32 {
    bytes.withUnsafeBytes { buffer -> Int32 in
      guard let base = buffer.baseAddress else { return 0 }
      var written = 0
      while written < buffer.count {
        let count = write(descriptor, base + written, buffer.count - written)
        if count == -Int(EINTR) { continue }
        if count < 0 { return Int32(-count) }
        // A regular file that accepts nothing is full.
        if count == 0 { return ENOSPC }
        written += count
      }
      return 0
    }
  }
}
