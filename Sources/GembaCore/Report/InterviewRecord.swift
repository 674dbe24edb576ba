/// One interview as reports and stats read it: who, when, from which guide, and for every question
/// that was answered, covered or skipped, what was said and how long it took.
///
/// It is read from a transcript against the copy of the guide the transcript carries, so it says
/// the same however the guide file was edited since.
public struct InterviewRecord: Sendable, Equatable, Codable {
  /// What became of one question.
  public enum Status: String, Sendable, Codable, CaseIterable {
    case answered
    /// Answered in passing (`:covered`), perhaps with what was said.
    case covered
    case skipped
  }

  /// One question that was answered, covered or skipped.
  public struct Row: Sendable, Equatable, Codable {
    public var section: String
    public var part: Part
    public var id: String
    /// The question as it was put (earlier answers interpolated), else as the guide words it.
    public var question: String
    public var kind: String
    public var isAssessment: Bool
    public var status: Status
    /// The customer's (or the interviewer's) words, exactly.
    public var raw: String?
    /// What was understood, in a plain form for programs: `40`, `yes`, `2026-12-04`, a choice's
    /// value, several choices joined by `;`. Absent when the words were not understood.
    public var value: String?
    /// What was understood, as it reads in a sentence: a choice by its label, a number with its
    /// unit, and for a scale `2 of 0...3 (not heard ... strong and specific)`.
    public var reading: String?
    public var skipReason: String?
    /// The guide's tags and those put on during the interview, each once.
    public var tags: [String]
    /// Earlier versions of the answer, oldest first.
    public var revisions: [String]
    public var probes: Int
    /// Time spent at the question, from the interview's monotonic clock.
    public var seconds: Double
    /// Who said it, when known.
    public var who: String?
    /// Notes filed under the question.
    public var notes: [String]
  }

  /// The time budget of a section against the time spent in it.
  public struct SectionTime: Sendable, Equatable, Codable {
    public var title: String
    public var part: Part
    public var budgetMinutes: Int?
    public var secondsUsed: Double
  }

  /// A promise made at the end of the meeting (a `promise` event).
  public struct Promise: Sendable, Equatable, Codable {
    /// The next step it was made from, when it was one.
    public var q: String?
    /// The rule whose proposal the customer agreed to, when it was one.
    public var rule: String?
    public var text: String
    public var owner: String?
    public var due: String?
    /// `yes`, `yes-if` or `no`.
    public var answer: String?
    public var conditions: String?
  }

  public var id: String
  public var started: String
  public var customer: String?
  public var customerKey: String?
  public var interviewer: String?
  public var with: [String]
  public var guideTitle: String
  public var guideVersion: String?
  public var guideMethod: String?
  public var guideSHA256: String
  public var isPractice: Bool
  public var isFinished: Bool
  /// The meeting's planned length, when given.
  public var plannedMinutes: Int?
  /// Time from the first event to the last, from the monotonic clock (pauses left out).
  public var seconds: Double
  public var rows: [Row]
  public var sections: [SectionTime]
  /// Notes not filed under any question, taken during the call or added after it.
  public var notes: [String]
  public var promises: [Promise]
  /// Questions the salesperson asked that are not in the guide.
  public var asked: [String]
  /// Required questions left open.
  public var openRequired: [String]

  /// Reads `contents` against `guide` (by default the guide copy the transcript carries).
  public init(_ contents: TranscriptContents, guide: Guide? = nil) {
    let guide = guide ?? InterviewProgress.guide(of: contents.header)
    var state = InterviewState(guide: guide)
    self.init(contents, guide: guide, state: &state)
  }

  /// Reads `contents` against `guide`, leaving in `state` (new for `guide`) where the interview
  /// stands, for rules to read.
  public init(_ contents: TranscriptContents, guide: Guide, state: inout InterviewState) {
    let header = contents.header
    // Whole milliseconds, turned into seconds once, so the same time always reads the same.
    var milliseconds: [String: Int] = [:]
    var prompts: [String: String] = [:]
    var here: String?
    var lastMS: Int?
    var promises: [Promise] = []
    var asked: [String] = []
    for event in contents.events {
      if let here, let lastMS {
        milliseconds[here, default: 0] += max(0, event.ms - lastMS)
      }
      lastMS = event.ms
      state.apply(event)
      let id = event.q.flatMap(state.currentID)
      switch event.type {
      case .shown:
        here = id
        if let id, let prompt = event.prompt { prompts[id] = prompt }
      case .back, .goto:
        here = id
      case .pause, .interrupted, .end, .recovered:
        here = nil
      case .promise:
        promises.append(
          Promise(
            q: event.q, rule: event.rule, text: event.text ?? "", owner: event.owner,
            due: event.due, answer: event.answer,
            conditions: event.conditions))
      case .asked:
        if let text = event.text { asked.append(text) }
      default:
        break
      }
    }
    var filed: [String: [String]] = [:]
    var unfiled: [String] = []
    for note in state.notes {
      if let id = note.filedUnder {
        filed[id, default: []].append(note.text)
      } else {
        unfiled.append(note.text)
      }
    }
    var rows: [Row] = []
    var sections: [SectionTime] = []
    for section in guide.sections {
      var used = 0
      for question in section.questions {
        used += milliseconds[question.id] ?? 0
        guard
          let row = Self.row(
            question, in: section, state: state, prompt: prompts[question.id],
            seconds: Double(milliseconds[question.id] ?? 0) / 1000, notes: filed[question.id] ?? [])
        else { continue }
        rows.append(row)
      }
      sections.append(
        SectionTime(
          title: section.title, part: section.part, budgetMinutes: section.budgetMinutes,
          secondsUsed: Double(used) / 1000))
    }
    self.id = header.id
    self.started = header.started
    self.customer = header.customer?.name
    self.customerKey = header.customer?.key
    self.interviewer = header.interviewer
    self.with = header.with
    self.guideTitle = header.guide.title
    self.guideVersion = header.guide.version
    self.guideMethod = header.guide.method
    self.guideSHA256 = header.guide.sha256
    self.isPractice = header.practice
    self.isFinished = state.isFinished
    self.plannedMinutes = header.minutes
    let offsets = contents.events.map(\.ms)
    self.seconds = Double((offsets.max() ?? 0) - (offsets.min() ?? 0)) / 1000
    self.rows = rows
    self.sections = sections
    self.notes = unfiled
    self.promises = promises
    self.asked = asked
    self.openRequired = contents.events.last { $0.type == .end }?.openRequired ?? []
  }

  private static func row(
    _ question: Question, in section: Section, state: InterviewState, prompt: String?,
    seconds: Double, notes: [String]
  ) -> Row? {
    let id = question.id
    let status: Status
    var raw: String?
    var value: Value?
    var skipReason: String?
    var revisions: [String] = []
    var who: String?
    if let answer = state.answers[id] {
      status = .answered
      raw = answer.raw
      value = answer.value
      revisions = answer.revisions
      who = answer.by
    } else if let covered = state.covered[id] {
      status = .covered
      raw = covered
    } else if let reason = state.skipped[id] {
      status = .skipped
      skipReason = reason
    } else {
      return nil
    }
    var tags = question.tags.map(\.name)
    for tag in (state.liveTags[id] ?? []).sorted() where !tags.contains(tag) { tags.append(tag) }
    return Row(
      section: section.title, part: section.part, id: id,
      question: prompt ?? question.prompt.render { "{\($0)}" }, kind: question.kind.name,
      isAssessment: question.isAssessment, status: status, raw: raw,
      value: value.map(Self.plain), reading: value.map { Self.reading($0, of: question) },
      skipReason: skipReason, tags: tags, revisions: revisions,
      probes: state.probesPulled[id] ?? 0, seconds: seconds, who: who, notes: notes)
  }

  /// A value in a plain form for programs and spreadsheets.
  public static func plain(_ value: Value) -> String {
    switch value {
    case .text(let text): return text
    case .number(let number): return format(number)
    case .boolean(let flag): return flag ? "yes" : "no"
    case .date(let day): return day.description
    case .choice(let choice): return choice
    case .choices(let choices): return choices.joined(separator: ";")
    }
  }

  /// A value as it reads in a sentence; a scale says where it lies between its ends.
  static func reading(_ value: Value, of question: Question) -> String {
    if case .scale(let bounds) = question.kind, case .number(let number) = value {
      let ends = question.labels.map { " (\($0.low) … \($0.high))" } ?? ""
      return "\(format(number)) of \(bounds.description)\(ends)"
    }
    return value.sentence(for: question)
  }

  /// The day the interview started: `2026-11-26`.
  public var day: String { String(started.prefix(10)) }

  /// The rows of one section, in the guide's order.
  public func rows(in section: String) -> [Row] { rows.filter { $0.section == section } }
}
