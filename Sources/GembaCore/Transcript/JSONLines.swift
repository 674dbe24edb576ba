import Foundation

/// Reads append-only JSON Lines files (transcripts, coach sidecars): a header line, then one
/// event a line, where a torn last line is left out and a garbage line is skipped, each reported
/// with its line number.
enum JSONLines {
  /// One line of the file: its 1-based number, its bytes without the newline, and whether the
  /// newline was there (a last line without one was cut short).
  struct Line {
    var number: Int
    var range: Range<Int>
    var complete: Bool
  }

  /// The events read after the header, and how much of the file holds whole lines.
  struct Events<Event> {
    var events: [Event] = []
    /// The 1-based line number of each event.
    var lines: [Int] = []
    var problems: [TranscriptProblem] = []
    var validLength: Int
  }

  /// Why the first line is not the header expected.
  enum HeaderProblem: Error {
    case empty
    case notJSON
    case format(found: String?)
    case newerVersion(Int)
    case malformed
    case cutShort
  }

  /// Reads the header line of a file of format `formatName`, at most version `currentVersion`.
  static func header<Header: Decodable>(
    _ type: Header.Type, in bytes: [UInt8], lines: [Line], formatName: String,
    currentVersion: Int
  ) -> Result<Header, HeaderProblem> {
    guard let first = lines.first, !bytes.isEmpty else { return .failure(.empty) }
    let decoder = JSONDecoder()
    let data = Data(bytes[first.range])
    guard let probe = try? decoder.decode(HeaderProbe.self, from: data) else {
      return .failure(.notJSON)
    }
    guard probe.format == formatName else { return .failure(.format(found: probe.format)) }
    if let version = probe.version, version > currentVersion {
      return .failure(.newerVersion(version))
    }
    guard let header = try? decoder.decode(Header.self, from: data) else {
      return .failure(.malformed)
    }
    if !first.complete { return .failure(.cutShort) }
    return .success(header)
  }

  /// Splits `bytes` at newlines.
  static func split(_ bytes: [UInt8]) -> [Line] {
    var lines: [Line] = []
    var start = 0
    var number = 1
    for (index, byte) in bytes.enumerated() where byte == UInt8(ascii: "\n") {
      lines.append(Line(number: number, range: start..<index, complete: true))
      start = index + 1
      number += 1
    }
    if start < bytes.count {
      lines.append(Line(number: number, range: start..<bytes.count, complete: false))
    }
    return lines
  }

  /// Decodes the lines after the header as events of type `Event`.
  ///
  /// A blank line is passed over; a line whose `type` the reader does not know (written by a
  /// later version) is skipped without a word; a line that is not a readable event is skipped
  /// and reported; a last line without its newline is left out and reported.
  static func events<Event: Decodable>(
    _ type: Event.Type, in bytes: [UInt8], lines: some Sequence<Line>, startingAt validLength: Int,
    isKnownType: (String) -> Bool, fast: (ArraySlice<UInt8>) -> Event? = { _ in nil }
  ) -> Events<Event> {
    let decoder = JSONDecoder()
    var result = Events<Event>(validLength: validLength)
    for line in lines {
      let data = Data(bytes[line.range])
      if !line.complete {
        result.problems.append(
          TranscriptProblem(
            line: line.number,
            message: TranscriptProblem.tornLastLine))
        break
      }
      result.validLength = line.range.upperBound + 1
      if data.allSatisfy({ $0 == 0x20 || $0 == 0x0D }) { continue }
      do {
        result.events.append(try fast(bytes[line.range]) ?? decoder.decode(Event.self, from: data))
        result.lines.append(line.number)
      } catch {
        if let unknown = try? decoder.decode(TypeProbe.self, from: data),
          let name = unknown.type, !isKnownType(name)
        {
          // An event type from a later version: readers skip it.
          continue
        }
        result.problems.append(
          TranscriptProblem(
            line: line.number, message: "not a readable event (\(reason(error))); it is skipped"))
      }
    }
    return result
  }

  private struct HeaderProbe: Decodable {
    var format: String?
    var version: Int?
  }

  private struct TypeProbe: Decodable {
    var type: String?
  }

  /// What was wrong with a line, in a few words: the field and what it should have held.
  private static func reason(_ error: any Error) -> String {
    guard let error = error as? DecodingError else { return "it is not JSON" }
    func field(_ path: [any CodingKey]) -> String {
      path.map(\.stringValue).joined(separator: ".")
    }
    switch error {
    case .keyNotFound(let key, let context):
      return "'\(field(context.codingPath + [key]))' is missing"
    case .typeMismatch(_, let context), .valueNotFound(_, let context):
      return "'\(field(context.codingPath))' has the wrong kind of value"
    case .dataCorrupted(let context):
      if context.codingPath.isEmpty { return "it is not JSON" }
      return "'\(field(context.codingPath))': \(context.debugDescription)"
    @unknown default:
      return "it is not JSON"
    }
  }
}
