import Foundation

extension Value {
  private enum Keys: String, CodingKey {
    case date
    case choice
    case choices
  }

  /// Text, numbers and yes/no as plain JSON; dates and choices tagged, so a reader never has to
  /// guess: `"lead time"`, `12`, `true`, `{"date":"2026-11-26"}`, `{"choice":"growth"}`,
  /// `{"choices":["email","phone"]}`.
  public func encode(to encoder: any Encoder) throws {
    switch self {
    case .text(let text):
      var container = encoder.singleValueContainer()
      try container.encode(text)
    case .number(let number):
      var container = encoder.singleValueContainer()
      try container.encode(number)
    case .boolean(let flag):
      var container = encoder.singleValueContainer()
      try container.encode(flag)
    case .date(let day):
      var container = encoder.container(keyedBy: Keys.self)
      try container.encode(day.description, forKey: .date)
    case .choice(let value):
      var container = encoder.container(keyedBy: Keys.self)
      try container.encode(value, forKey: .choice)
    case .choices(let values):
      var container = encoder.container(keyedBy: Keys.self)
      try container.encode(values, forKey: .choices)
    }
  }

  public init(from decoder: any Decoder) throws {
    if let container = try? decoder.container(keyedBy: Keys.self) {
      if let text = try container.decodeIfPresent(String.self, forKey: .date) {
        guard let day = Day(iso: text) else {
          throw DecodingError.dataCorruptedError(
            forKey: .date, in: container, debugDescription: "not a date: \(text)")
        }
        self = .date(day)
      } else if let value = try container.decodeIfPresent(String.self, forKey: .choice) {
        self = .choice(value)
      } else if let values = try container.decodeIfPresent([String].self, forKey: .choices) {
        self = .choices(values)
      } else {
        throw DecodingError.dataCorrupted(
          .init(codingPath: decoder.codingPath, debugDescription: "unknown value object"))
      }
      return
    }
    let container = try decoder.singleValueContainer()
    if let flag = try? container.decode(Bool.self) {
      self = .boolean(flag)
    } else if let number = try? container.decode(Double.self) {
      self = .number(number)
    } else {
      self = .text(try container.decode(String.self))
    }
  }
}

/// What a transcript file holds, as far as it could be read.
public struct TranscriptContents: Sendable {
  public var header: TranscriptHeader
  public var events: [TranscriptEvent]
  /// Lines that could not be read, each with its line number: a garbage line in the middle is
  /// skipped; a torn last line (a write cut short) is left out.
  public var problems: [TranscriptProblem]
  /// How many bytes from the start hold whole lines; anything after is a torn last line to cut
  /// off before appending.
  public var validLength: Int
  /// The line number of each event minus one (the header is line 1, so the first event after
  /// it is 1): how a coach's comment names the event it is about, even when unreadable lines
  /// were left out.
  public var eventNumbers: [Int] = []

  /// Whether the interview finished (an `end` event).
  public var isFinished: Bool { events.contains { $0.type == .end } }
}

/// Why a transcript cannot be read at all.
public enum TranscriptReadError: Error, Sendable, Equatable, CustomStringConvertible {
  case empty
  case notATranscript(String)
  case unsupportedVersion(Int)

  public var description: String {
    switch self {
    case .empty:
      return "the file is empty: it holds no header, so it is not a Gemba transcript"
    case .notATranscript(let detail):
      return "the first line is not a Gemba transcript header (\(detail))"
    case .unsupportedVersion(let version):
      return "transcript format version \(version) is newer than this Gemba understands "
        + "(up to \(TranscriptHeader.currentVersion)); update Gemba"
    }
  }
}

/// Turns headers and events into JSON lines and back.
public enum TranscriptCodec {
  private static let encoder: JSONEncoder = {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
    return encoder
  }()

  /// One line of JSON, ending with a newline. Line breaks inside text are escaped by JSON, so
  /// one event is always one line.
  public static func line(_ header: TranscriptHeader) -> String {
    // The guide's source is most of a header (megabytes for a large guide), and Foundation's
    // encoder is slow on long strings: the rest is encoded with the source left empty, and the
    // source, escaped byte by byte the way the encoder escapes, is put in its place.
    var withoutSource = header
    withoutSource.guide.source = ""
    let rest = jsonLine(withoutSource)
    let emptySource = "\"source\":\"\""
    // Quotes inside strings are escaped, so this text can only be the key and its empty value.
    guard !header.guide.source.isEmpty, let range = rest.range(of: emptySource) else {
      return jsonLine(header)
    }
    var line = String(rest[..<range.lowerBound])
    line.reserveCapacity(rest.utf8.count + header.guide.source.utf8.count + 64)
    line += "\"source\":"
    line += JSONString.quoted(header.guide.source)
    line += rest[range.upperBound...]
    return line
  }

  public static func line(_ event: TranscriptEvent) -> String {
    jsonLine(event)
  }

  /// `value` as one line of JSON with sorted keys, ending with a newline: the form of every
  /// line Gemba appends (transcripts and coach sidecars alike).
  static func jsonLine(_ value: some Encodable) -> String {
    // Encoding these plain structures cannot fail; an empty object keeps the line whole if it did.
    let data = (try? encoder.encode(value)) ?? Data("{}".utf8)
    return String(decoding: data, as: UTF8.self) + "\n"
  }

  /// Reads a whole transcript.
  public static func read(_ bytes: [UInt8]) -> Result<TranscriptContents, TranscriptReadError> {
    let lines = JSONLines.split(bytes)
    let header: TranscriptHeader
    switch JSONLines.header(
      TranscriptHeader.self, in: bytes, lines: lines, formatName: TranscriptHeader.formatName,
      currentVersion: TranscriptHeader.currentVersion)
    {
    case .success(let read): header = read
    case .failure(.empty): return .failure(.empty)
    case .failure(.notJSON): return .failure(.notATranscript("it is not JSON"))
    case .failure(.format(let found)):
      return .failure(.notATranscript("format is '\(found ?? "missing")'"))
    case .failure(.newerVersion(let version)): return .failure(.unsupportedVersion(version))
    case .failure(.malformed):
      return .failure(.notATranscript("a header field is missing or malformed"))
    case .failure(.cutShort): return .failure(.notATranscript("the header line was cut short"))
    }
    let read = JSONLines.events(
      TranscriptEvent.self, in: bytes, lines: lines.dropFirst(),
      startingAt: lines[0].range.upperBound + 1,
      isKnownType: { TranscriptEvent.Kind(rawValue: $0) != nil },
      fast: TranscriptEventScanner.event)
    return .success(
      TranscriptContents(
        header: header, events: read.events, problems: read.problems,
        validLength: read.validLength, eventNumbers: read.lines.map { $0 - 1 }))
  }
}

/// Formats wall-clock times for transcripts (the clock itself is read outside the core).
public enum Timestamp {
  /// `2026-11-26T14:05:12.345Z` for a time given as seconds since 1970.
  public static func iso(_ seconds: Double) -> String {
    let millisecondsTotal = Int((seconds * 1000).rounded(.down))
    let milliseconds = ((millisecondsTotal % 1000) + 1000) % 1000
    let total = Int((Double(millisecondsTotal - milliseconds) / 1000))
    let days = Int((Double(total) / 86_400).rounded(.down))
    let secondsOfDay = total - days * 86_400
    let day = Day.fromOrdinal(days)
    func pad(_ n: Int, _ width: Int = 2) -> String {
      let s = String(n)
      return String(repeating: "0", count: max(0, width - s.count)) + s
    }
    return "\(day)T\(pad(secondsOfDay / 3600)):\(pad(secondsOfDay % 3600 / 60)):"
      + "\(pad(secondsOfDay % 60)).\(pad(milliseconds, 3))Z"
  }

  /// `2026-11-26T1405Z`, for file names that sort by time.
  public static func compact(_ seconds: Double) -> String {
    let full = iso(seconds)
    let date = full.prefix(10)
    let hour = full.dropFirst(11).prefix(2)
    let minute = full.dropFirst(14).prefix(2)
    return "\(date)T\(hour)\(minute)Z"
  }
}

extension Day {
  /// The day `ordinal` days after 1970-01-01.
  public static func fromOrdinal(_ ordinal: Int) -> Day {
    // Howard Hinnant's civil_from_days.
    let z = ordinal + 719_468
    let era = (z >= 0 ? z : z - 146_096) / 146_097
    let doe = z - era * 146_097
    let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
    let mp = (5 * doy + 2) / 153
    let day = doy - (153 * mp + 2) / 5 + 1
    let month = mp < 10 ? mp + 3 : mp - 9
    let year = yoe + era * 400 + (month <= 2 ? 1 : 0)
    return Day(checkedYear: year, month: month, day: day)
  }
}
