import ArgumentParser
import Foundation
import GembaCore
import GembaTerminal

/// A customer's interviews as the commands around a meeting read them: `run --customer` for the
/// follow-up, `brief` before it, `history` after many.
enum CustomerFiles {
  /// The real interviews (rehearsals left out) with the customer called `name` in `folder`,
  /// matched by the stable customer key, so "Ação Müller & Söhne" finds "acao muller & sohne".
  /// Files that cannot be read are left out, and reported on standard error unless
  /// `reportsUnreadable` is false (a resume, which is about one file only).
  static func record(name: String, folder: String, reportsUnreadable: Bool = true)
    -> CustomerRecord
  {
    let key = CustomerKey.make(name)
    var found: [(path: String, contents: TranscriptContents)] = []
    for interview in TranscriptFolder.interviews(in: folder) {
      switch interview.contents {
      case .success(let contents):
        if contents.header.customer?.key == key { found.append((interview.path, contents)) }
      case .failure(let error) where reportsUnreadable:
        Console.error("gemba: \(interview.path) is left out: \(error)\n")
      case .failure: continue
      }
    }
    return CustomerRecord(found)
  }

  /// The customers with interviews in `folder`: each key with the name first written down.
  static func customers(in folder: String) -> [(key: String, name: String)] {
    var first: [String: (started: String, name: String)] = [:]
    for interview in TranscriptFolder.interviews(in: folder) {
      guard case .success(let contents) = interview.contents,
        let customer = contents.header.customer
      else { continue }
      let started = contents.header.started
      if first[customer.key].map({ started < $0.started }) ?? true {
        first[customer.key] = (started, customer.name)
      }
    }
    return first.map { (key: $0.key, name: $0.value.name) }.sorted { $0.key < $1.key }
  }

  /// `; did you mean 'NAME'?` for the customer nearest `key`: one whose key starts with the
  /// words typed ("acao muller" finds "Ação Müller & Söhne"), else one a typo away.
  static func suggestion(for key: String, in customers: [(key: String, name: String)]) -> String {
    let near =
      customers.first { $0.key.hasPrefix(key + "-") || $0.key.contains("-" + key + "-") }?.key
      ?? Suggestion.closest(to: key, in: customers.map(\.key))
    guard let near, let name = customers.first(where: { $0.key == near })?.name else { return "" }
    return "; did you mean '\(TerminalSafe.neutralize(name))'?"
  }

  /// The record of `name`, or a failure that says what there is instead.
  static func requireRecord(name: String, folder: String) throws -> CustomerRecord {
    var isFolder: ObjCBool = false
    guard FileManager.default.fileExists(atPath: folder, isDirectory: &isFolder), isFolder.boolValue
    else {
      throw CommandFailure(
        "the transcripts folder '\(TerminalSafe.neutralize(folder))' does not exist; name "
          + "another with --transcripts")
    }
    let record = record(name: name, folder: folder)
    guard record.meetings.isEmpty else { return record }
    let key = CustomerKey.make(name)
    throw CommandFailure(
      "no interview with '\(TerminalSafe.neutralize(name))' in \(folder)"
        + suggestion(for: key, in: customers(in: folder))
        + "; 'gemba list' shows who there are")
  }

}
