import ArgumentParser
import Foundation
import GembaCore
import GembaTerminal

/// A customer's interviews as the commands around a meeting read them: `run --customer` for the
/// follow-up, `brief` before it, `history` after many.
enum CustomerFiles {
  /// The real interviews (rehearsals left out) with the customer called `name` in `folder`,
  /// matched by the stable customer key, so "Ação Müller & Söhne" finds "acao muller & sohne".
  /// Files that cannot be read are reported on standard error and left out.
  static func record(name: String, folder: String) -> CustomerRecord {
    let key = CustomerKey.make(name)
    var found: [(path: String, contents: TranscriptContents)] = []
    for interview in TranscriptFolder.interviews(in: folder) {
      switch interview.contents {
      case .success(let contents):
        if contents.header.customer?.key == key { found.append((interview.path, contents)) }
      case .failure(let error):
        Console.error("gemba: \(interview.path) is left out: \(error)\n")
      }
    }
    return CustomerRecord(found)
  }

  /// The customers with interviews in `folder`, by key, for suggestions.
  static func keys(in folder: String) -> [String] {
    let keys = TranscriptFolder.interviews(in: folder).compactMap { interview -> String? in
      guard case .success(let contents) = interview.contents else { return nil }
      return contents.header.customer?.key
    }
    return Set(keys).sorted()
  }

  /// The record of `name`, or a failure that says what there is instead.
  static func requireRecord(name: String, folder: String) throws -> CustomerRecord {
    let record = record(name: name, folder: folder)
    guard record.meetings.isEmpty else { return record }
    let key = CustomerKey.make(name)
    throw CommandFailure(
      "no interview with '\(TerminalSafe.neutralize(name))' in \(folder)"
        + Suggestion.didYouMean(key, in: keys(in: folder))
        + "; 'gemba list' shows who there are")
  }

  /// The rules a live interview proposes from: `paths` (the `--rules` option or the setting),
  /// else the built-in ones. Rules with errors are reported and the interview goes on without
  /// proposals.
  static func liveRules(_ paths: [String], guide: Guide, guidePath: String) -> RuleSet? {
    do {
      return try RuleFiles.proposalRules(paths, guides: [(guidePath, guide)])
    } catch {
      Console.error("gemba: \(error); this interview goes on without proposals\n")
      return nil
    }
  }
}
