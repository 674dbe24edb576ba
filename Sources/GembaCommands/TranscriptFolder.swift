import Foundation
import GembaCore
import GembaTerminal

/// Where interviews are kept, and how their files are named and found.
enum TranscriptFolder {
  /// `--transcripts DIR`; else `./transcripts` when it exists; else `$GEMBA_TRANSCRIPTS`; else the
  /// user's data folder (`$XDG_DATA_HOME/gemba/transcripts`, `~/.local/share/gemba/transcripts`).
  static func resolve(
    _ option: String?, environment: [String: String] = ProcessInfo.processInfo.environment
  ) -> String {
    if let option { return option }
    var isDirectory: ObjCBool = false
    if FileManager.default.fileExists(atPath: "transcripts", isDirectory: &isDirectory),
      isDirectory.boolValue
    {
      return "transcripts"
    }
    if let configured = environment["GEMBA_TRANSCRIPTS"], !configured.isEmpty { return configured }
    let data =
      environment["XDG_DATA_HOME"].flatMap { $0.isEmpty ? nil : $0 }
      ?? (NSHomeDirectory() + "/.local/share")
    return data + "/gemba/transcripts"
  }

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

  /// The transcripts in `folder`, newest first.
  static func transcripts(in folder: String) -> [String] {
    let names = (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []
    return names.filter { $0.hasSuffix(".jsonl") && !$0.hasPrefix(".") }.sorted(by: >).map {
      folder + "/" + $0
    }
  }

  /// The newest transcript in `folder` that has not ended, with what it holds.
  static func newestUnfinished(in folder: String) -> (path: String, contents: TranscriptContents)? {
    for path in transcripts(in: folder) {
      guard let data = FileManager.default.contents(atPath: path),
        case .success(let contents) = TranscriptCodec.read(Array(data)), !contents.isFinished
      else { continue }
      return (path, contents)
    }
    return nil
  }
}
