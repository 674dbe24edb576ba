/// How far an interview got, read from its transcript: for lists of interviews.
public struct InterviewProgress: Sendable, Equatable {
  /// Questions on the flow's path that were answered (or covered in passing).
  public var answered: Int
  /// Questions on the path that were skipped.
  public var skipped: Int
  /// Questions on the flow's path as the answers so far lead it.
  public var onPath: Int
  /// The section of the question last shown.
  public var lastSection: String?
  /// Whether the interview ended (an `end` event).
  public var isFinished: Bool
  /// Notes taken, during the call or after it.
  public var notes: Int

  /// Reads `contents` against the copy of the guide the transcript carries, so the answer is the
  /// same however the guide file was edited since.
  ///
  ///     InterviewProgress(contents).answered  // 12, of `onPath` 30
  ///
  /// `guide` is the transcript's copy of the guide when the caller has parsed it already (many
  /// transcripts share one: ``guide(of:)``).
  public init(_ contents: TranscriptContents, guide: Guide? = nil, today: Day = Day.fromOrdinal(0))
  {
    let guide = guide ?? Self.guide(of: contents.header)
    var session = InterviewSession(guide: guide, today: today)
    session.restore(contents.events)
    var answered = 0
    var skipped = 0
    var onPath = 0
    for line in session.outline() {
      switch line.status {
      case .answered, .covered:
        answered += 1
        onPath += 1
      case .skipped:
        skipped += 1
        onPath += 1
      case .current, .toCome:
        onPath += 1
      case .section, .passedOver, .offPath:
        break
      }
    }
    self.answered = answered
    self.skipped = skipped
    self.onPath = onPath
    self.isFinished = contents.isFinished
    self.notes = session.state.notes.count
    let last = contents.events.last { $0.type == .shown }?.q.flatMap(session.state.currentID)
    self.lastSection = last.flatMap { id in
      guide.sections.first { section in section.questions.contains { $0.id == id } }?.title
    }
  }

  /// The copy of the guide a transcript carries, parsed.
  public static func guide(of header: TranscriptHeader) -> Guide {
    FollowUpCheck.guide(
      source: header.guide.source, path: header.guide.path, followUp: header.followUp)
  }
}
