/// Who keeps a promise.
public enum PromiseOwner: String, Sendable, Codable, CaseIterable {
  case us
  case customer
  case both
}

/// What the one asked said to the request (Flores' language-action cycle).
public enum PromiseAnswer: String, Sendable, Codable, CaseIterable {
  case yes
  /// Yes, on the conditions of satisfaction written beside it.
  case yesIf = "yes-if"
  case no
}

/// A promise made at the end of a meeting: who does what by when, and what was said to it. It is
/// checked at the next meeting and stays open until the customer declares it done (or no longer
/// needed), or it is agreed differently.
public struct PromiseRecord: Sendable, Equatable, Codable {
  /// The id of the interview it was made in.
  public var interview: String
  /// Its number within that interview, from 1.
  public var number: Int
  /// The day of the meeting it was made in.
  public var made: String
  /// What is promised, in the customer's words.
  public var text: String
  public var owner: PromiseOwner
  /// `2026-12-04`, or `next meeting`.
  public var due: String?
  public var answer: PromiseAnswer
  /// For a yes-if: the conditions of satisfaction.
  public var conditions: String?
  /// The next-step question it was written under, when it came from one.
  public var question: String?
  /// The rules that proposed it, when it was a proposal the customer agreed to.
  public var rules: [String]?
  /// The promise it replaces (`INTERVIEW#NUMBER`), when an earlier one was agreed differently.
  public var replaces: String?

  public init(
    interview: String, number: Int, made: String, text: String, owner: PromiseOwner,
    due: String?, answer: PromiseAnswer, conditions: String? = nil, question: String? = nil,
    rules: [String]? = nil, replaces: String? = nil
  ) {
    self.interview = interview
    self.number = number
    self.made = made
    self.text = text
    self.owner = owner
    self.due = due
    self.answer = answer
    self.conditions = conditions
    self.question = question
    self.rules = rules
    self.replaces = replaces
  }

  /// `INTERVIEW#NUMBER`: how later meetings name it.
  public var ref: String { "\(interview)#\(number)" }

  /// The day it is due, when it has a date.
  public var dueDay: Day? { due.flatMap { Day(iso: $0) } }

  /// Whether its date had passed on `day`.
  public func isOverdue(on day: Day) -> Bool {
    guard let due = dueDay else { return false }
    return due < day
  }

  /// `the customer`, `we`, `both of us`: the owner as a sentence starts.
  public var ownerPhrase: String {
    switch owner {
    case .us: return "we"
    case .customer: return "the customer"
    case .both: return "both of us"
    }
  }

  /// `customer · by 2026-12-04 · yes-if the data is anonymised`.
  public var terms: String {
    var parts = [owner.rawValue, "by " + (due ?? "no date")]
    switch answer {
    case .yesIf: parts.append("yes-if " + (conditions ?? ""))
    case .yes, .no: parts.append(answer.rawValue)
    }
    return parts.joined(separator: " · ")
  }

  /// The `promise` event that records it.
  public func event(at moment: Moment) -> TranscriptEvent {
    var event = TranscriptEvent(.promise, t: moment.t, ms: moment.ms, q: question)
    event.promise = number
    event.text = text
    event.owner = owner.rawValue
    event.due = due
    event.answer = answer.rawValue
    event.conditions = conditions
    event.rule = rules?.joined(separator: ",")
    event.replaces = replaces
    return event
  }

  /// The promise a `promise` event records, made in interview `interview` on `made`; nil when
  /// the event is not a readable promise.
  public init?(event: TranscriptEvent, interview: String, made: String) {
    guard event.type == .promise, let number = event.promise, let text = event.text,
      let owner = event.owner.flatMap(PromiseOwner.init(rawValue:)),
      let answer = event.answer.flatMap(PromiseAnswer.init(rawValue:))
    else { return nil }
    self.init(
      interview: interview, number: number, made: made, text: text, owner: owner, due: event.due,
      answer: answer, conditions: event.conditions, question: event.q,
      rules: event.rule.map { $0.split(separator: ",").map(String.init) },
      replaces: event.replaces)
  }
}

/// What a follow-up meeting checks: the promises open when it started, as of its day.
public struct FollowUp: Sendable, Equatable, Codable {
  /// The day open promises were judged against (`--as-of`, else the day it started).
  public var asOf: String
  /// The promises its Check part asks about, in order: promise `n` is asked about in questions
  /// `check_n_…`.
  public var promises: [PromiseRecord]

  public init(asOf: String, promises: [PromiseRecord]) {
    self.asOf = asOf
    self.promises = promises
  }
}
