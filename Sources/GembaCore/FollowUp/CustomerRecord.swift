/// Everything Gemba knows about one customer: their interviews in time order, the promises made
/// at each, and what later meetings found when they checked them. `gemba run --customer` opens a
/// follow-up with its open promises; `gemba brief` and `gemba history` read it.
public struct CustomerRecord: Sendable {
  /// One interview with the customer, read against the guide it ran on.
  public struct Meeting: Sendable {
    public var path: String
    public var header: TranscriptHeader
    public var guide: Guide
    public var state: InterviewState
    /// The meeting's day (`--as-of` when it was given, else the day it started).
    public var day: Day
    /// The promises made at its end.
    public var promises: [PromiseRecord]
    /// What it found about earlier promises, in the order its Check part asked.
    public var checks: [PromiseCheck]

    /// Whether it ended.
    public var isFinished: Bool { state.isFinished }

    /// The answer to `id` as it reads in a sentence (a choice by its label), when answered.
    public func answer(_ id: String) -> String? {
      guard let answer = state.answers[id] else { return nil }
      guard let value = answer.value else { return answer.raw }
      return value.sentence(for: guide.question(id))
    }

    /// The answered questions that carry `tag`, in guide order, assessments apart.
    public func answers(taggedWith tag: String, assessment: Bool? = nil) -> [(
      id: String, text: String
    )] {
      guide.questions.compactMap { question in
        guard question.tags.contains(where: { $0.name == tag }),
          assessment == nil || question.isAssessment == assessment,
          FollowUpCheck.slot(of: question.id) == nil, let text = answer(question.id)
        else { return nil }
        return (question.id, text)
      }
    }
  }

  /// What one meeting's Check part found about one promise.
  public struct PromiseCheck: Sendable, Codable, Equatable {
    public var promise: PromiseRecord
    public var day: String
    public var expected: String?
    public var happened: String?
    public var learned: String?
    public var status: FollowUpCheck.Status?
    public var act: String?
    /// What was agreed instead, for a changed promise.
    public var agreedInstead: String?
  }

  /// One promise from request to close: a PDCA cycle.
  public struct Cycle: Sendable, Codable, Equatable {
    public enum Outcome: String, Sendable, Codable {
      /// Nothing closed it yet.
      case open
      /// The customer declared it done.
      case done
      /// The customer no longer needs it.
      case released
      /// Agreed differently: a later promise replaces it.
      case replaced
      /// The answer was no: nothing was promised.
      case declined
    }

    public var promise: PromiseRecord
    public var checks: [PromiseCheck]
    public var outcome: Outcome
    /// The day it closed, when it did.
    public var closed: String?
    /// The promise that replaces it, for a replaced one.
    public var replacedBy: String?
  }

  public let name: String
  public let key: String
  /// Time order, oldest first.
  public let meetings: [Meeting]

  /// The record of interviews `transcripts` (all with one customer), in any order.
  public init(_ transcripts: [(path: String, contents: TranscriptContents)]) {
    let sorted = transcripts.sorted {
      ($0.contents.header.started, $0.path) < ($1.contents.header.started, $1.path)
    }
    meetings = sorted.map { Self.meeting(path: $0.path, contents: $0.contents) }
    // The name as the customer was first written down; later spellings share its key.
    name = sorted.first?.contents.header.customer?.name ?? ""
    key = sorted.first?.contents.header.customer?.key ?? ""
  }

  private init(name: String, key: String, meetings: [Meeting]) {
    self.name = name
    self.key = key
    self.meetings = meetings
  }

  /// The record without interview `id` (the one being resumed, when it asks about the others).
  public func excluding(interview id: String) -> CustomerRecord {
    CustomerRecord(name: name, key: key, meetings: meetings.filter { $0.header.id != id })
  }

  /// The record as it stood on `day`: meetings after it left out.
  public func upTo(_ day: Day) -> CustomerRecord {
    CustomerRecord(name: name, key: key, meetings: meetings.filter { $0.day <= day })
  }

  /// The day an interview counts as: its `asOf` when given, else the day it started.
  public static func day(of header: TranscriptHeader) -> Day {
    if let asOf = header.asOf, let day = Day(iso: asOf) { return day }
    return Day(iso: header.started.prefix(10)) ?? Day.fromOrdinal(0)
  }

  private static func meeting(path: String, contents: TranscriptContents) -> Meeting {
    let header = contents.header
    let guide = FollowUpCheck.guide(
      source: header.guide.source, path: header.guide.path, followUp: header.followUp)
    var state = InterviewState(guide: guide)
    for event in contents.events { state.apply(event) }
    let day = day(of: header)
    let promises = state.promises.compactMap {
      PromiseRecord(event: $0, interview: header.id, made: day.description)
    }
    var checks: [PromiseCheck] = []
    for (offset, promise) in (header.followUp?.promises ?? []).enumerated() {
      let slot = offset + 1
      func text(_ id: String) -> String? { state.answers[id]?.raw }
      var status: FollowUpCheck.Status?
      if case .choice(let value)? = state.answers[FollowUpCheck.statusID(slot)]?.value {
        status = FollowUpCheck.Status(rawValue: value)
      }
      var act: String?
      if case .choice(let value)? = state.answers[FollowUpCheck.actID(slot)]?.value { act = value }
      checks.append(
        PromiseCheck(
          promise: promise, day: day.description, expected: text(FollowUpCheck.expectedID(slot)),
          happened: text(FollowUpCheck.happenedID(slot)),
          learned: text(FollowUpCheck.learnedID(slot)), status: status, act: act,
          agreedInstead: text(FollowUpCheck.newID(slot))))
    }
    return Meeting(
      path: path, header: header, guide: guide, state: state, day: day, promises: promises,
      checks: checks)
  }

  /// Every promise made, oldest first, with its checks and how it stands.
  public var cycles: [Cycle] {
    var cycles: [Cycle] = []
    var position: [String: Int] = [:]
    for meeting in meetings {
      for check in meeting.checks {
        guard let index = position[check.promise.ref] else { continue }
        cycles[index].checks.append(check)
        if let status = check.status, status.closes, cycles[index].outcome == .open {
          cycles[index].outcome = status == .done ? .done : .released
          cycles[index].closed = check.day
        }
      }
      for promise in meeting.promises {
        if let replaced = promise.replaces, let index = position[replaced],
          cycles[index].outcome == .open
        {
          cycles[index].outcome = .replaced
          cycles[index].closed = promise.made
          cycles[index].replacedBy = promise.ref
        }
        position[promise.ref] = cycles.count
        cycles.append(
          Cycle(
            promise: promise, checks: [], outcome: promise.answer == .no ? .declined : .open,
            closed: nil, replacedBy: nil))
      }
    }
    return cycles
  }

  /// The promises still open, oldest first: what the next meeting checks.
  public var openPromises: [PromiseRecord] {
    cycles.filter { $0.outcome == .open }.map(\.promise)
  }

  /// The latest meeting's answer to `id`, from the newest meeting that has one, with its day.
  public func lastAnswer(_ id: String, before day: Day? = nil) -> (day: Day, text: String)? {
    for meeting in meetings.reversed() {
      if let day, meeting.day > day { continue }
      if let text = meeting.answer(id) { return (meeting.day, text) }
    }
    return nil
  }

  /// The latest answer to the Check question `field` (`expected`, `happened`, `status`, …) about
  /// promise `ref` (`INTERVIEW-ID#N`), from the newest meeting that checked it, with its day.
  public func lastCheckAnswer(promise ref: String, field: String) -> (day: Day, text: String)? {
    for meeting in meetings.reversed() {
      guard let slot = meeting.header.followUp?.promises.firstIndex(where: { $0.ref == ref })
      else { continue }
      if let text = meeting.answer("check_\(slot + 1)_\(field)") { return (meeting.day, text) }
    }
    return nil
  }

  /// Answers that changed between meetings: each question of the conversation, or assessment
  /// after it, with the answers it had, when it had more than one. The salesperson's own
  /// preparation, the next steps (they are the promises) and the Check part are left out.
  public var changedAnswers: [(id: String, answers: [(day: String, text: String)])] {
    var order: [String] = []
    var seen: [String: [(day: String, text: String)]] = [:]
    for meeting in meetings {
      for question in meeting.guide.questions
      where FollowUpCheck.slot(of: question.id) == nil && question.part != .before
        && (question.part == .customer || question.isAssessment)
      {
        guard let text = meeting.answer(question.id) else { continue }
        if seen[question.id] == nil { order.append(question.id) }
        let list = seen[question.id, default: []]
        if list.last?.text != text {
          seen[question.id, default: []].append((meeting.day.description, text))
        }
      }
    }
    return order.compactMap { id in
      guard let list = seen[id], list.count > 1 else { return nil }
      return (id, list)
    }
  }

  /// The supplier-hierarchy step the salesperson recorded at each meeting that recorded one.
  public var hierarchySteps: [(day: String, step: String)] {
    meetings.compactMap { meeting in
      guard let step = meeting.answers(taggedWith: "supplier-hierarchy", assessment: true).first
      else { return nil }
      return (meeting.day.description, step.text)
    }
  }
}
