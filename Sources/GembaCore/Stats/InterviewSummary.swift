/// What stats need of one interview: who, when, which guide, what became of each question, which
/// rules and coaching flags fired, and what came of it. Small enough to keep in an index for
/// thousands of interviews.
public struct InterviewSummary: Sendable, Equatable, Codable {
  /// One question answered, covered or skipped.
  public struct Answer: Sendable, Equatable, Codable {
    public var q: String
    public var status: InterviewRecord.Status
    public var seconds: Double
    public var skipReason: String?
    public var edited: Bool
    public var probes: Int
    public var tags: [String]

    public init(
      q: String, status: InterviewRecord.Status, seconds: Double, skipReason: String?,
      edited: Bool, probes: Int, tags: [String]
    ) {
      self.q = q
      self.status = status
      self.seconds = seconds
      self.skipReason = skipReason
      self.edited = edited
      self.probes = probes
      self.tags = tags
    }
  }

  /// A question of a guide, as stats name it.
  public struct Question: Sendable, Equatable, Codable {
    public var q: String
    public var section: String
    /// The question as the guide words it (`{id}` where an answer is interpolated).
    public var text: String

    public init(q: String, section: String, text: String) {
      self.q = q
      self.section = section
      self.text = text
    }
  }

  /// The transcript's file name.
  public var file: String
  public var id: String
  public var started: String
  public var customer: String?
  public var interviewer: String?
  public var guideTitle: String
  public var guideVersion: String?
  public var guideSHA256: String
  public var isFinished: Bool
  public var seconds: Double
  public var answers: [Answer]
  /// Ids of the rules that fire for the interview's answers.
  public var rules: [String]
  /// Ids of the coaching rules (flags) that fire.
  public var flags: [String]
  /// The latest outcome recorded for it, when any.
  public var outcome: String?

  public init(
    file: String, id: String, started: String, customer: String?, interviewer: String?,
    guideTitle: String, guideVersion: String?, guideSHA256: String, isFinished: Bool,
    seconds: Double, answers: [Answer], rules: [String], flags: [String], outcome: String?
  ) {
    self.file = file
    self.id = id
    self.started = started
    self.customer = customer
    self.interviewer = interviewer
    self.guideTitle = guideTitle
    self.guideVersion = guideVersion
    self.guideSHA256 = guideSHA256
    self.isFinished = isFinished
    self.seconds = seconds
    self.answers = answers
    self.rules = rules
    self.flags = flags
    self.outcome = outcome
  }

  /// The summary of `record`, with the rules and flags that fired for it.
  public init(
    _ record: InterviewRecord, file: String, rules: [String], flags: [String], outcome: String?
  ) {
    self.init(
      file: file, id: record.id, started: record.started, customer: record.customer,
      interviewer: record.interviewer, guideTitle: record.guideTitle,
      guideVersion: record.guideVersion, guideSHA256: record.guideSHA256,
      isFinished: record.isFinished, seconds: record.seconds,
      answers: record.rows.map { row in
        Answer(
          q: row.id, status: row.status, seconds: row.seconds, skipReason: row.skipReason,
          edited: !row.revisions.isEmpty, probes: row.probes, tags: row.tags)
      }, rules: rules, flags: flags, outcome: outcome)
  }

  /// The questions of `guide` in its order, as stats name them.
  public static func questions(of guide: Guide) -> [Question] {
    guide.sections.flatMap { section in
      section.questions.map { question in
        Question(q: question.id, section: section.title, text: question.prompt.render { "{\($0)}" })
      }
    }
  }

  /// `2026-11`: the month the interview started in.
  public var month: String { String(started.prefix(7)) }
}
