import Foundation
import GRDB
import GembaCore

/// Answers kept in the index as one text per interview, a line each — `q`, status, milliseconds,
/// edited, probes, tags (joined by commas) and the skip reason, separated by tabs, with tabs,
/// line breaks and backslashes escaped — so a warm look reads one row per interview.
enum AnswerLines {
  static let statuses: [InterviewRecord.Status] = [.answered, .covered, .skipped]

  static func encode(_ answers: [InterviewSummary.Answer]) -> String {
    var out = ""
    for answer in answers {
      let fields = [
        escape(answer.q), String(statuses.firstIndex(of: answer.status) ?? 0),
        String(Int((answer.seconds * 1000).rounded())), answer.edited ? "1" : "0",
        String(answer.probes),
        escape(answer.tags.joined(separator: ",")), answer.skipReason.map(escape) ?? "\\-",
      ]
      out += fields.joined(separator: "\t") + "\n"
    }
    return out
  }

  /// The answers back; nil when the text is not what ``encode(_:)`` writes.
  static func decode(_ text: String?) -> [InterviewSummary.Answer]? {
    guard var text else { return nil }
    return text.withUTF8 { bytes -> [InterviewSummary.Answer]? in
      var answers: [InterviewSummary.Answer] = []
      var start = 0
      while start < bytes.count {
        var fields: [Range<Int>] = []
        fields.reserveCapacity(7)
        var fieldStart = start
        var at = start
        while at < bytes.count, bytes[at] != 0x0A {
          if bytes[at] == 0x09 {
            fields.append(fieldStart..<at)
            fieldStart = at + 1
          }
          at += 1
        }
        fields.append(fieldStart..<at)
        start = at + 1
        func slice(_ index: Int) -> UnsafeBufferPointer<UInt8> {
          UnsafeBufferPointer(rebasing: bytes[fields[index]])
        }
        guard fields.count == 7, let q = unescape(slice(0)), let status = integer(slice(1)),
          statuses.indices.contains(status), let milliseconds = integer(slice(2)),
          let probes = integer(slice(4)), let tags = unescape(slice(5))
        else { return nil }
        var reason: String?
        if !slice(6).elementsEqual("\\-".utf8) {
          guard let read = unescape(slice(6)) else { return nil }
          reason = read
        }
        answers.append(
          InterviewSummary.Answer(
            q: q, status: statuses[status], seconds: Double(milliseconds) / 1000,
            skipReason: reason, edited: slice(3).elementsEqual("1".utf8), probes: probes,
            tags: tags.isEmpty
              ? [] : tags.utf8.split(separator: UInt8(ascii: ",")).map { String($0) ?? "" }))
      }
      return answers
    }
  }

  /// A whole number from its digits (an optional minus first); nil for anything else.
  static func integer(_ bytes: UnsafeBufferPointer<UInt8>) -> Int? {
    var value = 0
    var negative = false
    for (offset, byte) in bytes.enumerated() {
      if offset == 0 && byte == UInt8(ascii: "-") && bytes.count > 1 {
        negative = true
        continue
      }
      guard byte >= 0x30, byte <= 0x39, value < Int.max / 10 - 10 else { return nil }
      value = value * 10 + Int(byte - 0x30)
    }
    return bytes.isEmpty ? nil : negative ? -value : value
  }

  static func escape(_ text: String) -> String {
    guard text.utf8.contains(where: { $0 == 0x5C || $0 == 0x09 || $0 == 0x0A }) else { return text }
    return text.replacingOccurrences(of: "\\", with: "\\\\")
      .replacingOccurrences(of: "\t", with: "\\t").replacingOccurrences(of: "\n", with: "\\n")
  }

  static func unescape(_ bytes: UnsafeBufferPointer<UInt8>) -> String? {
    guard bytes.contains(0x5C) else { return String(validating: bytes, as: UTF8.self) }
    var out: [UInt8] = []
    out.reserveCapacity(bytes.count)
    var escaped = false
    for byte in bytes {
      if escaped {
        switch byte {
        case 0x5C: out.append(0x5C)
        case UInt8(ascii: "t"): out.append(0x09)
        case UInt8(ascii: "n"): out.append(0x0A)
        default: return nil
        }
        escaped = false
      } else if byte == 0x5C {
        escaped = true
      } else {
        out.append(byte)
      }
    }
    return escaped ? nil : String(validating: out, as: UTF8.self)
  }
}

/// What one transcript file gives stats.
public enum IndexEntry: Sendable {
  /// A real interview, with its guide's questions (nil when the index already has that guide's).
  case interview(InterviewSummary, questions: [InterviewSummary.Question]?)
  /// A rehearsal: stats leave it out.
  case practice
  /// A file that cannot be read as a transcript, and why.
  case unreadable(String)
}

/// The index stats keep beside the transcripts (`.gemba-index.sqlite` in each transcripts
/// folder), so a second look across thousands of interviews reads a few tables instead of every
/// file.
///
/// It is never the source of truth: a file is read again whenever its size or modification time
/// (to the nanosecond), or those of its coach sidecar, differ from what the index holds; a file
/// gone from the folder leaves the index; an index made with other rules, flags or another
/// Gemba, or one that cannot be opened or read, is started afresh. A folder that cannot be
/// written to is read without an index.
public struct InterviewIndex {
  /// The index file's name inside a transcripts folder.
  public static let fileName = ".gemba-index.sqlite"
  /// Bumped whenever the tables change shape.
  static let schemaVersion = 3

  /// What was found, and how much of it came from the index.
  public struct Result: Sendable {
    public var entries: [(file: String, entry: IndexEntry)] = []
    /// The questions of every guide the interviews used, by SHA-256.
    public var questions: [String: [InterviewSummary.Question]] = [:]
    /// Files read from disk this time (missing from the index, or changed).
    public var read = 0
    /// Files whose summary came from the index.
    public var reused = 0
    /// Why an index could not be used, per folder, when one could not.
    public var warnings: [String] = []
  }

  /// Summaries of `files` (transcript paths), from the index where it is current and from
  /// `summarize` (called concurrently, for files new or changed) where it is not; each summary
  /// comes with its guide's questions, which the index keeps once per guide. `derivation`
  /// names everything besides the files that a summary depends on (the Gemba version, the rules'
  /// and flags' hashes); an index made under another is rebuilt. `useIndex` false reads every
  /// file and leaves any index alone.
  public static func summaries(
    of files: [String], derivation: String, useIndex: Bool = true,
    summarize: @Sendable (String) -> IndexEntry
  ) -> Result {
    var result = Result()
    var byFolder: [String: [String]] = [:]
    var order: [String] = []
    for file in files {
      let folder = (file as NSString).deletingLastPathComponent
      if byFolder[folder] == nil { order.append(folder) }
      byFolder[folder, default: []].append(file)
    }
    for folder in order {
      let paths = byFolder[folder] ?? []
      if useIndex {
        do {
          try summaries(
            in: folder, of: paths, derivation: derivation, summarize: summarize, into: &result)
          continue
        } catch {
          result.warnings.append(
            "the index in '\(folder.isEmpty ? "." : folder)' cannot be used (\(error)); "
              + "reading the transcripts instead")
        }
      }
      let entries = readAll(paths, summarize: summarize)
      for (path, entry) in zip(paths, entries) { add(entry, file: path, to: &result) }
      result.read += paths.count
    }
    return result
  }

  private static func add(_ entry: IndexEntry, file: String, to result: inout Result) {
    if case .interview(let summary, let questions?) = entry {
      result.questions[summary.guideSHA256] = questions
    }
    result.entries.append((file, entry))
  }

  /// Calls `summarize` for each path, on every core.
  private static func readAll(_ paths: [String], summarize: @Sendable (String) -> IndexEntry)
    -> [IndexEntry]
  {
    concurrently(paths.count) { summarize(paths[$0]) }.map { $0 ?? .unreadable("it was not read") }
  }

  /// A file's identity on disk: when it changes, the file is read again.
  struct Stamp: Equatable {
    var size: Int64
    var mtime: Int64
    var sidecarSize: Int64
    var sidecarMtime: Int64

    init(size: Int64, mtime: Int64, sidecarSize: Int64, sidecarMtime: Int64) {
      self.size = size
      self.mtime = mtime
      self.sidecarSize = sidecarSize
      self.sidecarMtime = sidecarMtime
    }

    init?(path: String, sidecar: String) {
      var info = stat()
      guard stat(path, &info) == 0 else { return nil }
      size = Int64(info.st_size)
      mtime = Int64(info.st_mtim.tv_sec) * 1_000_000_000 + Int64(info.st_mtim.tv_nsec)
      var side = stat()
      if stat(sidecar, &side) == 0 {
        sidecarSize = Int64(side.st_size)
        sidecarMtime = Int64(side.st_mtim.tv_sec) * 1_000_000_000 + Int64(side.st_mtim.tv_nsec)
      } else {
        sidecarSize = -1
        sidecarMtime = -1
      }
    }
  }

  /// The sidecar a coach keeps beside a transcript: `….coach.jsonl`.
  static func sidecarPath(of path: String) -> String {
    (path.hasSuffix(".jsonl") ? String(path.dropLast(6)) : path) + ".coach.jsonl"
  }

  private static func summaries(
    in folder: String, of paths: [String], derivation: String,
    summarize: @Sendable (String) -> IndexEntry, into result: inout Result
  ) throws {
    let indexPath = (folder.isEmpty ? "." : folder) + "/" + fileName
    let database = try open(indexPath, derivation: derivation)
    // What the index holds for this folder.
    var stored: [String: (stamp: Stamp, kind: Int, problem: String?)] = [:]
    try database.read { db in
      let rows = try Row.fetchCursor(
        db,
        sql: "SELECT name, size, mtime, sidecar_size, sidecar_mtime, kind, problem FROM files")
      while let row = try rows.next() {
        stored[row[0]] = (
          Stamp(size: row[1], mtime: row[2], sidecarSize: row[3], sidecarMtime: row[4]),
          row[5], row[6]
        )
      }
    }
    var fresh: [String: Int] = [:]  // name -> position in paths
    var stale: [(position: Int, stamp: Stamp?)] = []
    for (position, path) in paths.enumerated() {
      let name = (path as NSString).lastPathComponent
      let stamp = Stamp(path: path, sidecar: sidecarPath(of: path))
      if let stamp, let known = stored[name], known.stamp == stamp {
        fresh[name] = position
      } else {
        stale.append((position, stamp))
      }
    }
    var entries = [IndexEntry?](repeating: nil, count: paths.count)
    // Files gone from the folder leave the index.
    let present = Set(
      (try? FileManager.default.contentsOfDirectory(atPath: folder.isEmpty ? "." : folder)) ?? [])
    let gone = stored.keys.filter { !present.contains($0) }
    let knownGuides = try database.read { db in
      Set(try String.fetchAll(db, sql: "SELECT DISTINCT guide FROM questions"))
    }
    try loadFresh(database, fresh: fresh, stored: stored, into: &entries, result: &result)
    // What the index held but could not give back is read from the file again.
    for position in fresh.values.sorted() where entries[position] == nil {
      let path = paths[position]
      stale.append((position, Stamp(path: path, sidecar: sidecarPath(of: path))))
    }
    let read = readAll(stale.map { paths[$0.position] }, summarize: summarize)
    for (item, entry) in zip(stale, read) { entries[item.position] = entry }
    result.read += stale.count
    result.reused += paths.count - stale.count
    try database.write { db in
      for name in gone {
        try db.execute(sql: "DELETE FROM files WHERE name = ?", arguments: [name])
      }
      var savedGuides = knownGuides
      for (item, entry) in zip(stale, read) {
        guard let stamp = item.stamp else { continue }
        let name = (paths[item.position] as NSString).lastPathComponent
        try store(entry, name: name, stamp: stamp, db: db, savedGuides: &savedGuides)
      }
    }
    for (position, entry) in entries.enumerated() {
      add(entry ?? .unreadable("it was not read"), file: paths[position], to: &result)
    }
    let needed = Set(
      entries.compactMap { entry -> String? in
        if case .interview(let summary, _)? = entry { return summary.guideSHA256 }
        return nil
      }
    ).subtracting(result.questions.keys)
    if !needed.isEmpty {
      try database.read { db in
        for guide in needed {
          let rows = try Row.fetchAll(
            db, sql: "SELECT q, section, text FROM questions WHERE guide = ? ORDER BY ord",
            arguments: [guide])
          result.questions[guide] = rows.map {
            InterviewSummary.Question(q: $0[0], section: $0[1], text: $0[2])
          }
        }
      }
    }
  }

  private static func open(_ path: String, derivation: String) throws -> DatabaseQueue {
    func make() throws -> DatabaseQueue {
      let existed = FileManager.default.fileExists(atPath: path)
      var configuration = Configuration()
      configuration.journalMode = .wal
      let queue = try DatabaseQueue(path: path, configuration: configuration)
      // Transcripts are private; so is what is copied out of them.
      if !existed { chmod(path, 0o600) }
      try queue.write { db in
        try db.execute(sql: "CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT)")
        let version = try String.fetchOne(db, sql: "SELECT value FROM meta WHERE key = 'schema'")
        let made = try String.fetchOne(db, sql: "SELECT value FROM meta WHERE key = 'derivation'")
        if version != String(schemaVersion) || made != derivation {
          try db.execute(
            sql: """
              DROP TABLE IF EXISTS files; DROP TABLE IF EXISTS answers;
              DROP TABLE IF EXISTS questions;
              CREATE TABLE files (name TEXT PRIMARY KEY, size INTEGER, mtime INTEGER,
                sidecar_size INTEGER, sidecar_mtime INTEGER, kind INTEGER, problem TEXT,
                id TEXT, started TEXT, customer TEXT, interviewer TEXT, guide_title TEXT,
                guide_version TEXT, guide TEXT, finished INTEGER, seconds REAL, rules TEXT,
                flags TEXT, outcome TEXT, answers TEXT);
              CREATE TABLE questions (guide TEXT, ord INTEGER, q TEXT, section TEXT, text TEXT,
                PRIMARY KEY (guide, ord)) WITHOUT ROWID;
              INSERT OR REPLACE INTO meta VALUES ('schema', ?), ('derivation', ?);
              """, arguments: [String(schemaVersion), derivation])
        }
      }
      return queue
    }
    do {
      return try make()
    } catch let error as DatabaseError
      where error.resultCode == .SQLITE_CORRUPT
      || error.resultCode == .SQLITE_NOTADB
    {
      // A damaged index is only a cache: start it again.
      for suffix in ["", "-wal", "-shm"] { unlink(path + suffix) }
      return try make()
    }
  }

  private static func loadFresh(
    _ database: DatabaseQueue, fresh: [String: Int],
    stored: [String: (stamp: Stamp, kind: Int, problem: String?)],
    into entries: inout [IndexEntry?],
    result: inout Result
  ) throws {
    if fresh.isEmpty { return }
    // The rows first, with their answers still as text; the answers are read on every core.
    var summaries: [(position: Int, summary: InterviewSummary, answers: String?)] = []
    try database.read { db in
      let files = try Row.fetchCursor(
        db,
        sql: """
          SELECT name, kind, problem, id, started, customer, interviewer, guide_title,
            guide_version, guide, finished, seconds, rules, flags, outcome, answers FROM files
          """)
      while let row = try files.next() {
        let name: String = row[0]
        guard let position = fresh[name] else { continue }
        let kind: Int = row[1]
        switch kind {
        case 1: entries[position] = .practice
        case 2: entries[position] = .unreadable(row[2] ?? "it cannot be read")
        default:
          let rules: String = row[12]
          let flags: String = row[13]
          let summary = InterviewSummary(
            file: name, id: row[3], started: row[4], customer: row[5], interviewer: row[6],
            guideTitle: row[7], guideVersion: row[8], guideSHA256: row[9], isFinished: row[10],
            seconds: row[11], answers: [],
            rules: rules.isEmpty ? [] : rules.split(separator: "\n").map(String.init),
            flags: flags.isEmpty ? [] : flags.split(separator: "\n").map(String.init),
            outcome: row[14])
          summaries.append((position, summary, row[15]))
        }
      }
    }
    let rows = summaries
    let read = concurrently(rows.count) { AnswerLines.decode(rows[$0].answers) }
    for (item, answers) in zip(summaries, read) {
      // Answers that cannot be read back: the file is read again.
      guard let answers else { continue }
      var summary = item.summary
      summary.answers = answers
      entries[item.position] = .interview(summary, questions: nil)
    }
  }

  /// `work(index)` for each index below `count`, on every core, in order.
  private static func concurrently<Value: Sendable>(
    _ count: Int, _ work: @Sendable (Int) -> Value?
  ) -> [Value?] {
    let box = Box<Value>(count: count)
    DispatchQueue.concurrentPerform(iterations: count) { index in box.set(index, work(index)) }
    return box.values
  }

  private final class Box<Value: Sendable>: @unchecked Sendable {
    private var items: [Value?]
    private let lock = NSLock()
    init(count: Int) { items = Array(repeating: nil, count: count) }
    func set(_ index: Int, _ value: Value?) {
      lock.lock()
      items[index] = value
      lock.unlock()
    }
    var values: [Value?] { items }
  }

  private static func store(
    _ entry: IndexEntry, name: String, stamp: Stamp, db: Database, savedGuides: inout Set<String>
  ) throws {
    let stampValues: [(any DatabaseValueConvertible)?] = [
      name, stamp.size, stamp.mtime, stamp.sidecarSize, stamp.sidecarMtime,
    ]
    switch entry {
    case .practice, .unreadable:
      var problem: String?
      if case .unreadable(let reason) = entry { problem = reason }
      let kind = problem == nil ? 1 : 2
      try db.execute(
        sql: """
          INSERT OR REPLACE INTO files (name, size, mtime, sidecar_size, sidecar_mtime, kind,
            problem) VALUES (?, ?, ?, ?, ?, ?, ?)
          """, arguments: StatementArguments(stampValues + [kind, problem]))
    case .interview(let summary, let questions):
      try db.execute(
        sql: """
          INSERT OR REPLACE INTO files VALUES (?, ?, ?, ?, ?, 0, NULL, ?, ?, ?, ?, ?, ?, ?, ?, ?,
            ?, ?, ?, ?)
          """,
        arguments: StatementArguments(
          stampValues + [
            summary.id, summary.started, summary.customer, summary.interviewer,
            summary.guideTitle, summary.guideVersion, summary.guideSHA256, summary.isFinished,
            summary.seconds, summary.rules.joined(separator: "\n"),
            summary.flags.joined(separator: "\n"), summary.outcome,
            AnswerLines.encode(summary.answers),
          ]))
      if let questions, savedGuides.insert(summary.guideSHA256).inserted {
        let add = try db.cachedStatement(
          sql: "INSERT OR REPLACE INTO questions VALUES (?, ?, ?, ?, ?)")
        for (ord, question) in questions.enumerated() {
          try add.execute(arguments: [
            summary.guideSHA256, ord, question.q, question.section, question.text,
          ])
        }
      }
    }
  }
}
