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

  /// The transcripts in `folder`, newest first; the coach's files beside them are not
  /// transcripts.
  static func transcripts(in folder: String) -> [String] {
    let names = (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []
    return names.filter {
      $0.hasSuffix(".jsonl") && !$0.hasPrefix(".") && !CoachSidecar.isSidecar($0)
    }.sorted(by: >).map { folder + "/" + $0 }
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
