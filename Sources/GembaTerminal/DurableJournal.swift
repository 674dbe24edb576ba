import Foundation
import GembaCore

#if canImport(Glibc)
import Glibc
#endif

/// What a durable journal holds: the words its messages use, and where it goes when the file
/// can no longer be trusted.
struct JournalKind {
  /// What the file is, in messages: "the interview".
  var name: String
  /// What is written again after a failure: "the whole interview".
  var whole: String
  /// What is kept in memory while saving fails: "your answers".
  var contents: String
  /// Whether a rewrite goes to a new file beside the old one, which is left as it was (a
  /// transcript), or replaces the file under its own name, so readers that find it by name
  /// still do (a coach sidecar).
  var rewritesBeside: Bool

  static let transcript = JournalKind(
    name: "the interview", whole: "the whole interview", contents: "your answers",
    rewritesBeside: true)
  static let coachSidecar = JournalKind(
    name: "the coach's file", whole: "everything in the coach's file", contents: "your comments",
    rewritesBeside: false)
}

/// A durable, append-only file of JSON lines: a first line written when the file is created,
/// then lines each on disk (written and fsynced) before the call that handed it over returns.
/// Transcripts and coach sidecars are both kept this way.
///
/// A failure never throws and never drops a line: the line stays pending in memory, the
/// result says so in plain words, and ``retryPending()`` tries again. After a failed fsync the
/// file is not trusted again, since Linux may have dropped the dirty pages and reports the error
/// only once; the whole file, which is kept in memory, is written again (see
/// ``JournalKind/rewritesBeside``). The same happens when the file's folder is removed under it.
///
/// Not `Sendable`: one journal is driven from one thread, and never shared.
final class DurableJournal {
  /// The file being appended to now; it changes when a transcript has to be rewritten.
  private(set) var path: String
  /// What opening found and repaired (a torn last line cut off, loose permissions tightened),
  /// for the caller to show.
  private(set) var warnings: [String] = []

  /// How many lines are waiting in memory to be written.
  var pendingCount: Int { pending.count }

  /// The lines not yet on disk, oldest first and each ending in a newline.
  var pendingLines: [String] { pending.map { String(decoding: $0, as: UTF8.self) } }

  let kind: JournalKind

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
    path: String, kind: JournalKind, folder: String, baseName: String, descriptor: Int32,
    journal: [UInt8]
  ) {
    self.path = path
    self.kind = kind
    self.folder = folder
    self.baseName = baseName
    self.descriptor = descriptor
    self.journal = journal
  }

  deinit {
    // A caller that forgot close() still gets one last try at saving what is in memory.
    if descriptor >= 0 && (!pending.isEmpty || needsRewrite) { _ = flush() }
    if descriptor >= 0 { _ = Glibc.close(descriptor) }
  }

  // MARK: Starting

  /// Starts a new file `fileName` in `folder` holding `firstLine`.
  ///
  /// The folder (and its parents) is created private (0700) when missing. The first line is
  /// written to a temporary file that is fsynced, then published under `fileName` and the folder
  /// fsynced, so the file exists after a crash. The file is private (0600) whatever the umask,
  /// and locked for as long as the journal is open. An existing file is never overwritten.
  static func create(folder: String, fileName: String, firstLine: String, kind: JournalKind)
    throws -> DurableJournal
  {
    // A file name with folders in it is read as a path below `folder`.
    let target = join(folder.isEmpty ? "." : folder, fileName)
    let folder = Path.directory(target)
    let fileName = Path.lastComponent(target)
    try makeFolder(folder)
    let bytes = Array(firstLine.utf8)
    if exists(target) { throw TranscriptJournalError.alreadyExists(path: target) }
    let descriptor = try writeDurably(
      bytes, folder: folder, fileName: fileName, replacing: false, system: .live)
    return DurableJournal(
      path: target, kind: kind, folder: folder, baseName: fileName, descriptor: descriptor,
      journal: bytes)
  }

  /// Opens an existing file to append to it.
  ///
  /// The lock is taken before reading, so what is read is what will be appended to. `read` is
  /// given the whole file and returns how many bytes from the start hold whole lines (or throws
  /// when the file is not what `kind` holds); anything after is a torn last line, cut off and
  /// fsynced before anything is appended, and reported in ``warnings``.
  ///
  /// - Throws: ``TranscriptJournalError/locked(path:)`` when another Gemba has the file open;
  ///   whatever `read` throws.
  static func open(path: String, kind: JournalKind, read: ([UInt8]) throws -> Int) throws
    -> DurableJournal
  {
    // Read and write through one descriptor, so the lock covers the bytes read.
    let descriptor = Glibc.open(path, O_RDWR | O_APPEND | O_CLOEXEC)
    if descriptor < 0 {
      throw TranscriptJournalError.system(action: "open", path: path, code: errno)
    }
    var keep = false
    defer { if !keep { _ = Glibc.close(descriptor) } }
    try lock(descriptor, path: path)

    let bytes = try readAll(descriptor, path: path)
    let validLength = try read(bytes)

    let journal = DurableJournal(
      path: path, kind: kind, folder: Path.directory(path), baseName: Path.lastComponent(path),
      descriptor: descriptor, journal: Array(bytes[..<validLength]))
    keep = true

    if bytes.count > validLength {
      let torn = bytes.count - validLength
      if ftruncate(descriptor, off_t(validLength)) == 0 && Glibc.fsync(descriptor) == 0 {
        journal.warnings.append(
          "\(path): the last line was cut short (a write was interrupted); its \(torn) "
            + "byte\(torn == 1 ? "" : "s") were removed and \(kind.name) continues after the "
            + "last whole line")
      } else {
        let code = errno
        let reason = plainReason(code)
        // Appending after the torn bytes would glue the next line onto them; a fresh file
        // holding only the whole lines avoids that.
        journal.needsRewrite = true
        journal.lastFailure = ("its cut-short last line could not be removed (\(reason))", code)
        journal.warnings.append(
          "\(path): the last line was cut short and could not be removed (\(reason)); "
            + "\(kind.name) continues in a new file")
      }
    }

    var status = stat()
    if fstat(descriptor, &status) == 0, status.st_mode & 0o077 != 0 {
      if fchmod(descriptor, 0o600) == 0 {
        journal.warnings.append("\(path) was readable by others; it is now private (0600)")
      }
    }
    return journal
  }

  // MARK: Appending

  /// Writes `lines` (each ending in a newline) to disk with one write and one fsync, after any
  /// lines still pending.
  ///
  /// Never throws and never drops a line: when they cannot be saved they stay pending in memory
  /// and the result's message says so.
  func append(_ lines: [String]) -> AppendResult {
    // One write and one fsync for the lot: an answer and the next question's `shown` reach the
    // disk together, before the question is printed, at the cost of a single flush.
    guard !lines.isEmpty else { return flush() }
    pending.append(Array(lines.joined().utf8))
    return flush()
  }

  /// Tries again to write the lines kept in memory.
  func retryPending() -> AppendResult {
    flush()
  }

  /// Releases the lock and closes the file, after one last try to save pending lines. The
  /// result says whether any are still only in memory (see ``pendingLines``).
  func close() -> AppendResult {
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
      return failure(reason: "the file was already closed", code: EBADF)
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
      let name = kind.rewritesBeside ? nextRewriteName() : baseName
      let newDescriptor = try Self.writeDurably(
        bytes, folder: folder, fileName: name, replacing: !kind.rewritesBeside, system: system)
      // Closing the old file releases its lock only now that the new one is held.
      _ = Glibc.close(descriptor)
      descriptor = newDescriptor
      path = Self.join(folder, name)
      journal = bytes
      pending.removeAll()
      needsRewrite = false
      lastFailure = nil
      let why = failure.map { ": \($0.reason)" } ?? ""
      let destination =
        kind.rewritesBeside
        ? "was written again to \(path) and continues there"
        : "was written again in its place"
      return AppendResult(
        pendingCount: 0,
        message:
          "could not save to \(oldPath)\(why) — \(kind.whole) \(destination); nothing is lost")
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
      message: "could not save to \(failedPath ?? path): \(reason) — \(kind.contents) are kept "
        + "in memory and will be saved as soon as possible; nothing is lost",
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

  /// Writes `bytes` to a temporary file, fsyncs it, publishes it as `fileName` (without
  /// replacing anything there unless `replacing`), and fsyncs the folder. Returns the file's
  /// descriptor, locked and switched to appending.
  private static func writeDurably(
    _ bytes: [UInt8], folder: String, fileName: String, replacing: Bool, system: JournalSystem
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
    if replacing {
      // rename(2) swaps the new file in atomically: a reader sees the old file or the new one.
      if rename(temporary, target) != 0 {
        throw TranscriptJournalError.system(action: "replace", path: target, code: errno)
      }
    } else {
      try publish(temporary, as: target)
    }
    published = true
    do {
      try syncFolder(folder)
    } catch {
      // The file is in place but its name may not survive a crash; remove a new one so a retry
      // does not find it half-published (a replaced one holds everything, so it stays).
      if !replacing { _ = unlink(target) }
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
    // File systems without flock (ENOLCK, EOPNOTSUPP) still get the file saved: the lock guards
    // against a second window, it is not a condition for keeping answers.
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

  static func readAll(_ descriptor: Int32, path: String) throws -> [UInt8] {
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

  static func exists(_ path: String) -> Bool {
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
