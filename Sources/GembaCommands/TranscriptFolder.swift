import Foundation
import GembaCore
import GembaTerminal

/// Where interviews are kept, and how their files are named and found.
enum TranscriptFolder {
  /// `--transcripts DIR`; else `./transcripts` when it exists; else `$GEMBA_TRANSCRIPTS`; else the
  /// `transcripts` setting of the configuration file; else the user's data folder
  /// (`$XDG_DATA_HOME/gemba/transcripts`, `~/.local/share/gemba/transcripts`).
  static func resolve(
    _ option: String?, environment: [String: String] = ProcessInfo.processInfo.environment
  ) -> String {
    UserSettings.load(Settings.CommandLine(transcripts: option), environment: environment)
      .settings.transcripts.value
  }

  /// Where rehearsals are kept: a folder of their own inside `folder`, so nothing that reads
  /// real interviews meets them by accident.
  static func practiceFolder(in folder: String) -> String {
    (folder.hasSuffix("/") ? folder : folder + "/") + practiceName
  }

  static let practiceName = "practice"

  /// `2026-11-26T1405Z_acme_7f3k.jsonl`: sorts by time, shows the customer.
  static func fileName(started: Double, customer: TranscriptHeader.Customer?, id: String) -> String
  {
    let slug = String((customer?.key ?? "interview").prefix(40))
    return
      "\(Timestamp.compact(started))_\(slug.isEmpty ? "interview" : slug)_\(id.prefix(4)).jsonl"
  }

  /// A new random id for an interview.
  static func newID() -> String {
    let alphabet = Array("0123456789abcdefghijklmnopqrstuvwxyz")
    return String((0..<12).map { _ in alphabet[Int.random(in: 0..<alphabet.count)] })
  }

  /// The transcripts in `folder`, newest first (a coach's sidecar beside one is not one).
  static func transcripts(in folder: String) -> [String] {
    let names = (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []
    return names.filter(isTranscriptName).sorted(by: >).map { folder + "/" + $0 }
  }

  /// Whether a file name is a transcript's: `….jsonl`, not hidden, not a coach's file.
  static func isTranscriptName(_ name: String) -> Bool {
    name.hasSuffix(".jsonl") && !name.hasPrefix(".") && !CoachSidecar.isSidecar(name)
  }

  /// The transcripts named on a command line: files as named, and the transcripts in folders
  /// (oldest first); a name that does not exist stops the command.
  static func files(named paths: [String]) throws -> [String] {
    var files: [String] = []
    for path in paths {
      var isDirectory: ObjCBool = false
      guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
        throw CommandFailure("no such transcript or folder '\(path)'")
      }
      if isDirectory.boolValue {
        files += transcripts(in: path).sorted()
      } else {
        files.append(path)
      }
    }
    return files
  }

  /// The transcript file `name` names, or the latest real interview with the customer called
  /// `name` (matched ignoring case, accents and spacing) in the transcripts folder.
  static func interview(named name: String, transcripts: String?) throws -> String {
    var isDirectory: ObjCBool = false
    if FileManager.default.fileExists(atPath: name, isDirectory: &isDirectory),
      !isDirectory.boolValue
    {
      return name
    }
    if name.hasSuffix(".jsonl") {
      throw CommandFailure("no transcript '\(name)'")
    }
    let folder = resolve(transcripts)
    let key = CustomerKey.make(name)
    let found = interviews(in: folder)
    for interview in found {
      if case .success(let contents) = interview.contents, contents.header.customer?.key == key {
        return interview.path
      }
    }
    // Suggested by key, so 'acmx' finds 'ACME Café' whatever the case and accents.
    let keys = Set(
      found.compactMap { interview -> String? in
        guard case .success(let contents) = interview.contents else { return nil }
        return contents.header.customer?.key
      })
    throw CommandFailure(
      "no interview with '\(name)' in \(folder)"
        + Suggestion.didYouMean(key, in: keys.sorted())
        + "; 'gemba list' shows them, or name the transcript file")
  }

  /// Reads the transcript at `path`, warning about lines left out; one that cannot be read at
  /// all stops the command with the reason.
  static func read(_ path: String) throws -> TranscriptContents {
    if path.hasSuffix(".coach.jsonl") {
      throw CommandFailure(
        "'\(path)' is a coach's file, not a transcript; name the transcript beside it: "
          + "'\(String(path.dropLast(".coach.jsonl".count))).jsonl'")
    }
    guard let data = FileManager.default.contents(atPath: path) else {
      throw CommandFailure("cannot read the transcript '\(path)'")
    }
    switch TranscriptCodec.read(Array(data)) {
    case .success(let contents):
      for problem in contents.problems {
        Console.error("gemba: warning: \(path): \(problem); the line is left out\n")
      }
      return contents
    case .failure(let error):
      throw CommandFailure("cannot read the transcript '\(path)': \(error)")
    }
  }

  /// The interviews in `folder`, newest first, each with what it holds or why it cannot be read.
  ///
  /// The one rule for what counts as a real interview: rehearsals (`gemba run --practice`) are
  /// left out unless `includePractice`, both those in the practice folder and any practice
  /// transcript moved elsewhere. Everything that reads across interviews (lists, stats,
  /// history) goes through here.
  static func interviews(in folder: String, includePractice: Bool = false) -> [StoredInterview] {
    var paths = transcripts(in: folder)
    if includePractice { paths += transcripts(in: practiceFolder(in: folder)) }
    var found: [StoredInterview] = []
    for path in paths {
      let interview = StoredInterview.read(path)
      if !includePractice, case .success(let contents) = interview.contents,
        contents.header.practice
      {
        continue
      }
      found.append(interview)
    }
    // File names start with the start time, so the newest sorts first across both folders.
    return found.sorted { Path.lastComponent($0.path) > Path.lastComponent($1.path) }
  }

  /// The newest transcript in `folder` that has not ended, with what it holds; rehearsals count,
  /// so a paused practice run can be resumed too.
  static func newestUnfinished(in folder: String) -> (path: String, contents: TranscriptContents)? {
    let paths = (transcripts(in: folder) + transcripts(in: practiceFolder(in: folder))).sorted {
      Path.lastComponent($0) > Path.lastComponent($1)
    }
    for path in paths {
      guard let data = FileManager.default.contents(atPath: path),
        case .success(let contents) = TranscriptCodec.read(Array(data)), !contents.isFinished
      else { continue }
      return (path, contents)
    }
    return nil
  }
}

/// A transcript file found in a transcripts folder, read or with the reason it cannot be.
struct StoredInterview {
  var path: String
  var contents: Result<TranscriptContents, TranscriptReadError>

  static func read(_ path: String) -> StoredInterview {
    guard let data = FileManager.default.contents(atPath: path) else {
      return StoredInterview(path: path, contents: .failure(.notATranscript("it cannot be read")))
    }
    return StoredInterview(path: path, contents: TranscriptCodec.read(Array(data)))
  }
}
