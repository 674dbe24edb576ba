import Foundation

/// The first line of a coach sidecar: which interview the comments, scores and outcomes in it
/// are about.
///
/// ```json
/// {"created":"2026-11-27T09:12:00.000Z","format":"gemba-coach","interview":"7f3k…",
///  "transcript":"2026-11-26T1405Z_acme-cafe_7f3k.jsonl","type":"header","version":1}
/// ```
public struct CoachSidecarHeader: Codable, Sendable, Equatable {
  public static let formatName = "gemba-coach"
  public static let currentVersion = 1

  public var type: String = "header"
  public var format: String = CoachSidecarHeader.formatName
  public var version: Int = CoachSidecarHeader.currentVersion
  /// The transcript header's `id`.
  public var interview: String
  /// The transcript's file name (no folder), as it was when the sidecar was started.
  public var transcript: String
  /// When the sidecar was started, ISO 8601 in UTC with milliseconds.
  public var created: String

  public init(interview: String, transcript: String, created: String) {
    self.interview = interview
    self.transcript = transcript
    self.created = created
  }
}

/// What a coach's comment says about the moment it is anchored to.
public enum CommentKind: String, Codable, Sendable, CaseIterable {
  /// Something to keep doing.
  case praise
  /// Something that should have been asked or followed up, and was not.
  case missed
  /// Something to try in the next interview.
  case tryNext = "try-next"
}

/// The rubric a score was given against, so a later reader knows what the level meant.
public struct RubricReference: Codable, Sendable, Equatable {
  public var title: String
  public var version: String?

  public init(title: String, version: String?) {
    self.title = title
    self.version = version
  }
}

/// A coach's comment on one moment of an interview.
public struct CoachComment: Sendable, Equatable {
  /// When it was written, ISO 8601 in UTC with milliseconds.
  public var t: String
  /// Who wrote it, when known.
  public var by: String?
  /// The transcript event it is anchored to: 1 is the first event after the header, 0 the
  /// interview as a whole.
  public var event: Int
  /// The question at that event, when there is one.
  public var q: String?
  /// Praise, missed or try-next; `nil` for a plain comment.
  public var kind: CommentKind?
  public var text: String

  public init(
    t: String, by: String?, event: Int, q: String?, kind: CommentKind?, text: String
  ) {
    self.t = t
    self.by = by
    self.event = event
    self.q = q
    self.kind = kind
    self.text = text
  }
}

/// A coach's score on one criterion of a rubric.
public struct CoachScore: Sendable, Equatable {
  public var t: String
  public var by: String?
  /// A criterion id from the rubric.
  public var criterion: String
  /// A level on the rubric's scale.
  public var level: Int
  /// Why this level, when given.
  public var text: String?
  public var rubric: RubricReference?

  public init(
    t: String, by: String?, criterion: String, level: Int, text: String?,
    rubric: RubricReference?
  ) {
    self.t = t
    self.by = by
    self.criterion = criterion
    self.level = level
    self.text = text
    self.rubric = rubric
  }
}

/// How the deal or relationship the interview was part of turned out.
public struct CoachOutcome: Sendable, Equatable {
  public var t: String
  public var by: String?
  /// `pilot`, `won`, `lost`, `no-decision`, or a word of the team's own.
  public var status: String
  public var text: String?

  public init(t: String, by: String?, status: String, text: String?) {
    self.t = t
    self.by = by
    self.status = status
    self.text = text
  }
}

/// One line of a coach sidecar after the header.
///
/// Every event has a `type`, the wall-clock time `t` and, when known, who wrote it (`by`).
/// Readers ignore fields and event types they do not know.
public enum CoachEvent: Sendable, Equatable {
  case comment(CoachComment)
  case score(CoachScore)
  case outcome(CoachOutcome)

  /// The event types this version reads.
  public static let typeNames: Set<String> = ["comment", "score", "outcome"]

  /// When it was written.
  public var t: String {
    switch self {
    case .comment(let comment): comment.t
    case .score(let score): score.t
    case .outcome(let outcome): outcome.t
    }
  }

  /// Who wrote it, when known.
  public var by: String? {
    switch self {
    case .comment(let comment): comment.by
    case .score(let score): score.by
    case .outcome(let outcome): outcome.by
    }
  }
}

extension CoachEvent: Codable {
  private enum Keys: String, CodingKey {
    case type, t, by, event, q, kind, text, criterion, level, rubric, status
  }

  public func encode(to encoder: any Encoder) throws {
    var container = encoder.container(keyedBy: Keys.self)
    switch self {
    case .comment(let comment):
      try container.encode("comment", forKey: .type)
      try container.encode(comment.t, forKey: .t)
      try container.encodeIfPresent(comment.by, forKey: .by)
      try container.encode(comment.event, forKey: .event)
      try container.encodeIfPresent(comment.q, forKey: .q)
      try container.encodeIfPresent(comment.kind, forKey: .kind)
      try container.encode(comment.text, forKey: .text)
    case .score(let score):
      try container.encode("score", forKey: .type)
      try container.encode(score.t, forKey: .t)
      try container.encodeIfPresent(score.by, forKey: .by)
      try container.encode(score.criterion, forKey: .criterion)
      try container.encode(score.level, forKey: .level)
      try container.encodeIfPresent(score.text, forKey: .text)
      try container.encodeIfPresent(score.rubric, forKey: .rubric)
    case .outcome(let outcome):
      try container.encode("outcome", forKey: .type)
      try container.encode(outcome.t, forKey: .t)
      try container.encodeIfPresent(outcome.by, forKey: .by)
      try container.encode(outcome.status, forKey: .status)
      try container.encodeIfPresent(outcome.text, forKey: .text)
    }
  }

  public init(from decoder: any Decoder) throws {
    let container = try decoder.container(keyedBy: Keys.self)
    let type = try container.decode(String.self, forKey: .type)
    let t = try container.decode(String.self, forKey: .t)
    let by = try container.decodeIfPresent(String.self, forKey: .by)
    switch type {
    case "comment":
      let event = try container.decode(Int.self, forKey: .event)
      if event < 0 {
        throw DecodingError.dataCorruptedError(
          forKey: .event, in: container,
          debugDescription: "an event number is 0 (the whole interview) or more, not \(event)")
      }
      self = .comment(
        CoachComment(
          t: t, by: by, event: event, q: try container.decodeIfPresent(String.self, forKey: .q),
          kind: try container.decodeIfPresent(CommentKind.self, forKey: .kind),
          text: try container.decode(String.self, forKey: .text)))
    case "score":
      self = .score(
        CoachScore(
          t: t, by: by, criterion: try container.decode(String.self, forKey: .criterion),
          level: try container.decode(Int.self, forKey: .level),
          text: try container.decodeIfPresent(String.self, forKey: .text),
          rubric: try container.decodeIfPresent(RubricReference.self, forKey: .rubric)))
    case "outcome":
      self = .outcome(
        CoachOutcome(
          t: t, by: by, status: try container.decode(String.self, forKey: .status),
          text: try container.decodeIfPresent(String.self, forKey: .text)))
    default:
      throw DecodingError.dataCorruptedError(
        forKey: .type, in: container, debugDescription: "unknown event type '\(type)'")
    }
  }
}

extension RubricReference {
  private enum Keys: String, CodingKey {
    case title, version
  }

  public init(from decoder: any Decoder) throws {
    let container = try decoder.container(keyedBy: Keys.self)
    title = try container.decode(String.self, forKey: .title)
    // A version written as a number (`2`) is read as its text, so either spelling works.
    if let number = try? container.decodeIfPresent(Int.self, forKey: .version) {
      version = String(number)
    } else {
      version = try container.decodeIfPresent(String.self, forKey: .version)
    }
  }
}

/// What a coach sidecar holds, as far as it could be read.
public struct CoachSidecarContents: Sendable {
  public var header: CoachSidecarHeader
  public var events: [CoachEvent]
  /// Lines that could not be read, each with its line number: a garbage line is skipped, a torn
  /// last line left out.
  public var problems: [TranscriptProblem]
  /// How many bytes from the start hold whole lines; anything after is a torn last line to cut
  /// off before appending.
  public var validLength: Int

  public init(
    header: CoachSidecarHeader, events: [CoachEvent], problems: [TranscriptProblem] = [],
    validLength: Int
  ) {
    self.header = header
    self.events = events
    self.problems = problems
    self.validLength = validLength
  }

  /// The comments, in the order they were written.
  public var comments: [CoachComment] {
    events.compactMap { if case .comment(let comment) = $0 { comment } else { nil } }
  }

  /// The scores, in the order they were given; a later score on a criterion does not remove an
  /// earlier one.
  public var scores: [CoachScore] {
    events.compactMap { if case .score(let score) = $0 { score } else { nil } }
  }

  /// The outcomes, in the order they were recorded; the last is the latest word.
  public var outcomes: [CoachOutcome] {
    events.compactMap { if case .outcome(let outcome) = $0 { outcome } else { nil } }
  }
}

/// Why a coach sidecar cannot be read at all.
public enum CoachSidecarReadError: Error, Sendable, Equatable, CustomStringConvertible {
  case empty
  case notASidecar(String)
  case unsupportedVersion(Int)

  public var description: String {
    switch self {
    case .empty:
      return "the file is empty: it holds no header, so it is not a Gemba coach file"
    case .notASidecar(let detail):
      return "the first line is not a Gemba coach file header (\(detail))"
    case .unsupportedVersion(let version):
      return "coach file format version \(version) is newer than this Gemba understands "
        + "(up to \(CoachSidecarHeader.currentVersion)); update Gemba"
    }
  }
}

/// The coach's file beside a transcript (`….coach.jsonl`): comments, scores and outcomes, kept
/// apart so the salesperson's transcript is never modified. Turns its lines into values and back.
public enum CoachSidecar {
  /// The sidecar of the transcript at `transcriptPath`: its final `.jsonl` replaced by
  /// `.coach.jsonl` (`…_7f3k.jsonl` → `…_7f3k.coach.jsonl`), or `.coach.jsonl` added when the
  /// name does not end in `.jsonl`.
  public static func path(forTranscript transcriptPath: String) -> String {
    let suffix = ".jsonl"
    guard transcriptPath.hasSuffix(suffix), Path.lastComponent(transcriptPath) != suffix else {
      return transcriptPath + ".coach.jsonl"
    }
    return String(transcriptPath.dropLast(suffix.count)) + ".coach.jsonl"
  }

  /// Whether `path` names a coach's file rather than a transcript: listings of transcripts
  /// leave these out.
  public static func isSidecar(_ path: String) -> Bool {
    path.hasSuffix(".coach.jsonl")
  }

  /// One line of JSON, ending with a newline.
  public static func line(_ header: CoachSidecarHeader) -> String {
    TranscriptCodec.jsonLine(header)
  }

  /// One line of JSON, ending with a newline; line breaks inside text are escaped.
  public static func line(_ event: CoachEvent) -> String {
    TranscriptCodec.jsonLine(event)
  }

  /// Reads a whole sidecar: unknown fields and event types are ignored, a garbage line is
  /// skipped and reported by its line number, a torn last line is left out with a warning.
  public static func read(_ bytes: [UInt8]) -> Result<CoachSidecarContents, CoachSidecarReadError> {
    let lines = JSONLines.split(bytes)
    let header: CoachSidecarHeader
    switch JSONLines.header(
      CoachSidecarHeader.self, in: bytes, lines: lines, formatName: CoachSidecarHeader.formatName,
      currentVersion: CoachSidecarHeader.currentVersion)
    {
    case .success(let read): header = read
    case .failure(.empty): return .failure(.empty)
    case .failure(.notJSON): return .failure(.notASidecar("it is not JSON"))
    case .failure(.format(let found)):
      return .failure(.notASidecar("format is '\(found ?? "missing")'"))
    case .failure(.newerVersion(let version)): return .failure(.unsupportedVersion(version))
    case .failure(.malformed):
      return .failure(.notASidecar("a header field is missing or malformed"))
    case .failure(.cutShort): return .failure(.notASidecar("the header line was cut short"))
    }
    let read = JSONLines.events(
      CoachEvent.self, in: bytes, lines: lines.dropFirst(),
      startingAt: lines[0].range.upperBound + 1,
      isKnownType: { CoachEvent.typeNames.contains($0) })
    return .success(
      CoachSidecarContents(
        header: header, events: read.events, problems: read.problems,
        validLength: read.validLength))
  }
}
