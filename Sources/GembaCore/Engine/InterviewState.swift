/// Where an interview stands: every answer, skip, note and tag so far. It is rebuilt from the
/// transcript's events, one at a time, so a resumed interview is exactly the one that stopped.
public struct InterviewState: Sendable {
  /// One answer, with its earlier revisions.
  public struct Answer: Sendable, Equatable {
    public var raw: String
    public var value: Value?
    public var warnings: [String]
    /// Who said it, when known.
    public var by: String?
    /// Earlier answers to the same question, oldest first.
    public var revisions: [String] = []
  }

  /// A question the salesperson asked that is not in the guide (an `asked` event).
  public struct OwnQuestion: Sendable, Equatable {
    public var text: String
    /// The question the interview was at.
    public var at: String?
    /// How many questions had been answered or skipped when it was asked (a position in
    /// ``InterviewState/history``).
    public var afterHandled: Int
    /// The number of its event among the events applied, from 1.
    public var event: Int
  }

  public struct Note: Sendable, Equatable {
    public var number: Int
    public var text: String
    public var filedUnder: String?
  }

  public private(set) var answers: [String: Answer] = [:]
  public private(set) var skipped: [String: String?] = [:]
  /// Questions answered in passing, with what was said if it was noted.
  public private(set) var covered: [String: String?] = [:]
  public private(set) var notes: [Note] = []
  public private(set) var liveTags: [String: Set<String>] = [:]
  public private(set) var probesPulled: [String: Int] = [:]
  /// The salesperson's own questions, in the order they were asked.
  public private(set) var ownQuestions: [OwnQuestion] = []
  public private(set) var hintsShown: Set<String> = []
  /// The question last shown.
  public private(set) var current: String?
  /// The questions answered in the order they were first answered, for `back`.
  public private(set) var history: [String] = []
  public private(set) var speaker: String?
  public private(set) var isFinished = false
  /// The questions named in events that the guide no longer has (after an edit of the guide).
  public private(set) var unknownQuestions: [String] = []
  /// The offset of the last event, so a resumed interview carries its clock on.
  public private(set) var lastOffset = 0
  public private(set) var eventCount = 0
  /// The promises made at the end, as recorded (`promise` events), in order.
  public private(set) var promises: [TranscriptEvent] = []
  /// The rules' proposals recorded at the end (`proposal` events), in order.
  public private(set) var proposals: [TranscriptEvent] = []

  /// Maps ids (current or earlier) to the guide's current id.
  private let canonical: [String: String]

  public init(guide: Guide) {
    var canonical: [String: String] = [:]
    for question in guide.questions {
      canonical[question.id] = question.id
      for old in question.was where canonical[old.id] == nil { canonical[old.id] = question.id }
    }
    self.canonical = canonical
  }

  /// Whether `id` has an answer, a skip or was covered.
  public func isHandled(_ id: String) -> Bool {
    answers[id] != nil || skipped[id] != nil || covered[id] != nil
  }

  /// The current id of a question named `id` in an event (following `was:` renames).
  public func currentID(_ id: String) -> String? { canonical[id] }

  /// Folds one event into the state.
  public mutating func apply(_ event: TranscriptEvent) {
    eventCount += 1
    lastOffset = max(lastOffset, event.ms)
    var id: String?
    if let named = event.q {
      id = canonical[named]
      if id == nil, !unknownQuestions.contains(named) { unknownQuestions.append(named) }
    }
    switch event.type {
    case .shown:
      if let id { current = id }
    case .answer, .edit:
      guard let id else { return }
      let raw = event.raw ?? ""
      var answer = Answer(
        raw: raw, value: event.value, warnings: event.warnings ?? [], by: event.who)
      if let previous = answers[id] {
        answer.revisions = previous.revisions + [previous.raw]
      }
      answers[id] = answer
      skipped[id] = nil
      if !history.contains(id) { history.append(id) }
    case .skip:
      guard let id else { return }
      skipped[id] = .some(event.reason)
      if !history.contains(id) { history.append(id) }
    case .covered:
      guard let id else { return }
      covered[id] = .some(event.raw)
    case .note:
      notes.append(
        Note(number: event.note ?? notes.count + 1, text: event.text ?? "", filedUnder: nil))
    case .file:
      guard let id, let number = event.note,
        let index = notes.firstIndex(where: { $0.number == number })
      else { return }
      notes[index].filedUnder = id
    case .tag:
      guard let id, let tag = event.tag else { return }
      liveTags[id, default: []].insert(tag)
    case .probe:
      guard let id else { return }
      probesPulled[id] = max(probesPulled[id] ?? 0, (event.index ?? 0) + 1)
    case .hint:
      if let id { hintsShown.insert(id) }
    case .speaker:
      speaker = event.who
    case .end:
      isFinished = true
    case .back, .goto:
      if let id { current = id }
    case .asked:
      ownQuestions.append(
        OwnQuestion(
          text: event.text ?? "", at: id ?? event.q, afterHandled: history.count,
          event: eventCount))
    case .promise:
      promises.append(event)
    case .proposal:
      proposals.append(event)
    case .pause, .interrupted, .recovered:
      break
    }
  }

  /// The salesperson's own questions asked before question `id` was first answered or skipped
  /// (all of them when it never was, or when `id` is nil), oldest first.
  public func ownQuestions(before id: String?) -> [OwnQuestion] {
    guard let id, let canonical = canonical[id], let position = history.firstIndex(of: canonical)
    else { return ownQuestions }
    return ownQuestions.filter { $0.afterHandled <= position }
  }

  /// How many probes were pulled on question `id` (following `was:` renames).
  public func probes(on id: String) -> Int {
    canonical[id].flatMap { probesPulled[$0] } ?? 0
  }

  /// The next number for a note.
  public var nextNoteNumber: Int { (notes.map(\.number).max() ?? 0) + 1 }
}

/// The answers of an interview as the expression language sees them.
public struct InterviewContext: EvaluationContext {
  let guide: GuideIndex
  let state: InterviewState
  let computedValues: [String: Value]
  public let currentAnswer: RecordedAnswer?

  init(
    guide: GuideIndex, state: InterviewState, computed: [String: Value],
    current: RecordedAnswer? = nil
  ) {
    self.guide = guide
    self.state = state
    self.computedValues = computed
    self.currentAnswer = current
  }

  public func state(of id: String) -> QuestionState {
    guard let canonical = state.currentID(id) else { return .unasked }
    if let answer = state.answers[canonical] {
      return .answered(RecordedAnswer(raw: answer.raw, value: answer.value, tags: tags(canonical)))
    }
    if let covered = state.covered[canonical] {
      let raw = covered ?? ""
      var value: Value?
      if let question = guide.question(canonical), !raw.isEmpty {
        value = AnswerParser(today: guide.today).read(raw, for: question).value
      }
      return .answered(RecordedAnswer(raw: raw, value: value, tags: tags(canonical)))
    }
    if let reason = state.skipped[canonical] { return .skipped(reason: reason) }
    return .unasked
  }

  public func computed(_ name: String) -> Value? { computedValues[name] }

  public func probesPulled(_ id: String) -> Int { state.probes(on: id) }

  public func ownQuestions(before id: String?) -> [String] {
    state.ownQuestions(before: id).map(\.text)
  }

  public func answers(taggedWith tag: String) -> [RecordedAnswer] {
    // Only what was answered or covered can count, so look at those, not at every question of
    // the guide: a walk asks this for each condition it meets, and a large guide has thousands.
    var found: [(place: (section: Int, item: Int), answer: RecordedAnswer)] = []
    func consider(_ id: String) {
      guard guide.tags[id]?.contains(tag) == true || state.liveTags[id]?.contains(tag) == true,
        let place = guide.location[id], case .answered(let answer) = state(of: id)
      else { return }
      found.append((place, answer))
    }
    for id in state.answers.keys { consider(id) }
    for id in state.covered.keys where state.answers[id] == nil { consider(id) }
    // In the guide's order, as before.
    return found.sorted { $0.place < $1.place }.map(\.answer)
  }

  private func tags(_ id: String) -> Set<String> {
    var tags = guide.tags[id] ?? []
    if let live = state.liveTags[id] { tags.formUnion(live) }
    return tags
  }
}
