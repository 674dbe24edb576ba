/// The time of an event: wall clock for people, a monotonic offset for durations.
public struct Moment: Sendable {
  public var t: String
  public var ms: Int

  public init(t: String, ms: Int) {
    self.t = t
    self.ms = ms
  }
}

/// A question as the salesperson sees it.
public struct QuestionView: Sendable, Equatable {
  public struct Choice: Sendable, Equatable {
    public var number: Int
    public var value: String
    public var label: String
  }

  public var id: String
  public var section: String
  public var part: Part
  public var prompt: String
  public var kind: AnswerKind
  public var choices: [Choice]
  public var labels: (low: String, high: String)?
  public var isAssessment: Bool
  public var isRequired: Bool
  /// The answer already given, when the salesperson came back to the question.
  public var earlierAnswer: String?
  public var probesLeft: Int
  public var hasHint: Bool
  /// The day the interview counts as (`--as-of`), for the date example.
  public var today: Day

  public static func == (lhs: QuestionView, rhs: QuestionView) -> Bool {
    lhs.id == rhs.id && lhs.prompt == rhs.prompt && lhs.earlierAnswer == rhs.earlierAnswer
  }

  /// What kind of answer is expected, in a few words: `choose 1-3`, `a number, 0... EUR`.
  public var expectation: String {
    switch kind {
    case .text: return ""
    case .choice: return "choose one: number, value or words"
    case .choices: return "choose any, separated by commas"
    case .scale(let bounds):
      let ends =
        labels.map {
          " (\(bounds.low.map(format) ?? "") \($0.low) … \(bounds.high.map(format) ?? "") \($0.high))"
        } ?? ""
      return "\(bounds.description)\(ends)"
    case .number(let bounds, let unit):
      let range = bounds.low == nil && bounds.high == nil ? "" : " \(bounds.description)"
      return "a number\(range)\(unit.map { " \($0)" } ?? "")"
    case .yesNo: return "yes or no"
    case .date: return "a date: \(today), today, yesterday"
    }
  }
}

/// What the salesperson is told, besides the questions.
public enum SessionMessage: Sendable, Equatable {
  case info(String)
  case warning(String)
  case hint(String)
  case probe(String)
  case outline([OutlineLine])
  case help([String])
}

/// A line of the interview's outline (`:where`).
public struct OutlineLine: Sendable, Equatable {
  public enum Status: String, Sendable, Equatable {
    case section
    case answered
    case covered
    case skipped
    case current
    case toCome = "to come"
    case passedOver = "passed over"
    case offPath = "off the path"
  }

  public var status: Status
  public var text: String
}

/// Runs one interview: takes each line the salesperson types, turns it into transcript events,
/// and says what to show next. It does no I/O: the caller stores each event (on disk, before the
/// next question is shown) and prints what it is given.
public struct InterviewSession: Sendable {
  public let index: GuideIndex
  public private(set) var state: InterviewState
  public private(set) var computed: [String: Value] = [:]
  /// Every question the flow passes over the answers so far, and the same as a set; see
  /// `refreshComputed`.
  private var pathWalked: [String] = []
  private var onPath: Set<String> = []
  /// How many questions on the path are open in each section (by index), from the last walk.
  private var openOnPathBySection: [Int] = []
  /// The question the salesperson is at.
  public private(set) var current: String?
  /// Whether the interview has ended (an `end` event).
  public var isFinished: Bool { state.isFinished }
  /// When set, records which way each condition goes as the flow moves on.
  public var conditionTrace: ConditionTrace?
  /// When true, reaching the end records no `end` event at once: ``isReadyToEnd`` turns true so
  /// the caller can take the promises first, then call ``end(at:)``.
  public var endWaits = false
  /// The flow is over and the end is confirmed, but ``endWaits`` holds the `end` event back.
  public private(set) var isReadyToEnd = false
  private var needsShow = true
  private var debriefOffered = false
  private var awaiting = Awaiting.answer
  private let parser: AnswerParser

  private enum Awaiting: Sendable, Equatable {
    case answer
    case edit(String)
    case confirmEnd
  }

  /// The result of one line of input.
  public struct Step: Sendable {
    /// Events to store, in order, before anything else is shown.
    public var events: [TranscriptEvent] = []
    public var messages: [SessionMessage] = []
    /// The interview was paused (resumable).
    public var paused = false
  }

  public init(guide: Guide, today: Day) {
    self.index = GuideIndex(guide, today: today)
    self.state = InterviewState(guide: guide)
    self.parser = AnswerParser(today: today)
    refreshComputed()
    current = firstOpenOnPath()
  }

  /// The `reason` of the `goto` that takes an `:end` during the conversation to the debrief.
  public static let endOfConversation = "end of the conversation"

  /// The event that marks the end as confirmed while ``endWaits`` holds it back: a `goto` to
  /// the promises, with no question. A resume after it goes straight to the promises.
  public static func promisesEvent(at moment: Moment) -> TranscriptEvent {
    var event = TranscriptEvent(.goto, t: moment.t, ms: moment.ms)
    event.section = "promises"
    event.reason = "end"
    return event
  }

  /// Whether `event` is the one ``promisesEvent(at:)`` makes.
  public static func isPromisesEvent(_ event: TranscriptEvent) -> Bool {
    event.type == .goto && event.q == nil && event.section == "promises" && event.reason == "end"
  }

  /// Rebuilds the interview from stored events and continues where it stopped: at the first
  /// open question; in the debrief after an `:end`; or, when the end was confirmed but not yet
  /// recorded, at the promises (``isReadyToEnd``).
  public mutating func restore(_ events: [TranscriptEvent]) {
    for event in events { state.apply(event) }
    refreshComputed()
    debriefOffered =
      debriefOffered
      || events.contains { $0.type == .goto && $0.reason == Self.endOfConversation }
    // Proposals and promises are recorded only once the end is confirmed: older transcripts
    // have no marker, but those say the same.
    let atPromises = events.contains {
      Self.isPromisesEvent($0) || $0.type == .promise || $0.type == .proposal
    }
    if atPromises && !state.isFinished {
      current = nil
      isReadyToEnd = true
    } else if debriefOffered {
      current = firstOpenInDebrief()
    } else {
      current = firstOpenOnPath()
    }
    needsShow = true
  }

  /// Starts recording which way conditions go, from the start of the flow.
  public mutating func startTracing(_ trace: ConditionTrace) {
    conditionTrace = trace
    let walker = FlowWalker(index: index, state: state, trace: trace)
    _ = walker.walk(from: FlowWalker.start, computed: computed)
  }

  // MARK: Showing questions

  /// The next question to show, with the `shown` event to store first; nil when nothing new
  /// is to be shown.
  public mutating func presentNext(at moment: Moment) -> (
    event: TranscriptEvent, view: QuestionView
  )? {
    guard needsShow, !state.isFinished, awaiting != .confirmEnd, let id = current,
      let view = view(of: id)
    else { return nil }
    needsShow = false
    var event = TranscriptEvent(.shown, t: moment.t, ms: moment.ms, q: id)
    event.prompt = view.prompt
    state.apply(event)
    return (event, view)
  }

  /// Shows the current question again (after a resize, a reload, or when asked).
  public mutating func showAgain() { needsShow = true }

  /// Folds events made around the engine (the promises and proposals of the end) into the
  /// state; the caller stores them.
  public mutating func apply(_ events: [TranscriptEvent]) {
    for event in events { state.apply(event) }
  }

  /// The question `id` as the salesperson sees it now.
  public func view(of id: String) -> QuestionView? {
    guard let question = index.question(id), let section = index.section(of: id) else { return nil }
    return QuestionView(
      id: id, section: section.title, part: section.part,
      prompt: interpolate(question.prompt),
      kind: question.kind,
      choices: question.options.enumerated().map {
        QuestionView.Choice(number: $0.offset + 1, value: $0.element.value, label: $0.element.label)
      },
      labels: question.labels, isAssessment: question.isAssessment,
      isRequired: question.isRequired, earlierAnswer: state.answers[id]?.raw,
      probesLeft: question.probes.count - (state.probesPulled[id] ?? 0),
      hasHint: question.hint != nil, today: index.today)
  }

  /// `template` with each `{id}` replaced by the answer as it reads in a sentence.
  public func interpolate(_ template: Template) -> String {
    template.render { id in
      let context = InterviewContext(guide: index, state: state, computed: computed)
      switch context.state(of: id) {
      case .answered(let answer):
        return TerminalSafe.neutralize(display(answer, of: id))
      case .skipped, .unasked:
        if let value = computed[id] { return display(value, of: nil) }
        return "<\(id)>"
      }
    }
  }

  private func display(_ answer: RecordedAnswer, of id: String) -> String {
    guard let value = answer.value else { return answer.raw }
    return display(value, of: index.question(id))
  }

  private func display(_ value: Value, of question: Question?) -> String {
    value.sentence(for: question)
  }

  // MARK: Input

  /// Handles one line: an answer, or a command starting with `:` (an answer that starts with
  /// `:` is written `::`).
  public mutating func handle(_ line: String, at moment: Moment) -> Step {
    var step = Step()
    if state.isFinished {
      step.messages.append(.info("the interview has ended"))
      return step
    }
    let trimmed = line.trimmingSpaces()
    if awaiting == .confirmEnd {
      awaiting = .answer
      if trimmed == ":end" || trimmed == ":end!" {
        finish(at: moment, into: &step)
        return step
      }
      step.messages.append(.info("not ended; carrying on"))
      needsShow = true
      if current == nil { current = firstOpenOnPath() }
    }
    if trimmed.hasPrefix(":") && !trimmed.hasPrefix("::") {
      command(trimmed, at: moment, into: &step)
      return step
    }
    let text = trimmed.hasPrefix("::") ? String(line.drop(while: { $0 == " " }).dropFirst()) : line
    if case .edit(let id) = awaiting {
      awaiting = .answer
      if !text.trimmingSpaces().isEmpty {
        edit(id, text, at: moment, into: &step)
      } else {
        step.messages.append(.info("no change to '\(id)'"))
      }
      needsShow = true
      return step
    }
    guard let id = current else {
      step.messages.append(
        .info("no question is open: type :end to finish, :where to see the outline"))
      return step
    }
    if text.trimmingSpaces().isEmpty {
      guard state.isHandled(id) else {
        step.messages.append(.info("nothing typed: type the answer, or :skip to move on"))
        return step
      }
      // After going back, Enter steps forward through what was already asked, one at a time.
      if let position = state.history.firstIndex(of: id), position + 1 < state.history.count {
        current = state.history[position + 1]
        needsShow = true
      } else {
        advance(after: id, at: moment, into: &step)
      }
      return step
    }
    if state.answers[id] != nil {
      edit(id, text, at: moment, into: &step)
      advance(after: id, at: moment, into: &step)
      return step
    }
    guard let question = index.question(id) else { return step }
    var event = TranscriptEvent(.answer, t: moment.t, ms: moment.ms, q: id)
    fill(&event, with: text, for: question, into: &step)
    record(event, into: &step)
    advance(after: id, at: moment, into: &step)
    return step
  }

  private mutating func fill(
    _ event: inout TranscriptEvent, with text: String, for question: Question, into step: inout Step
  ) {
    let reading = parser.read(text, for: question)
    event.raw = text
    event.value = reading.value
    event.understood = reading.understood
    var warnings = reading.warnings
    if let constraint = question.constraint {
      let context = InterviewContext(
        guide: index, state: state, computed: computed,
        current: RecordedAnswer(raw: text, value: reading.value))
      if !Evaluator(context: context).holds(constraint) {
        warnings.append(
          question.constraintMessage ?? "this answer does not meet the guide's constraint")
      }
    }
    if !warnings.isEmpty { event.warnings = warnings }
    event.who = state.speaker
    for warning in warnings { step.messages.append(.warning(warning)) }
  }

  private mutating func edit(_ id: String, _ text: String, at moment: Moment, into step: inout Step)
  {
    guard let question = index.question(id) else { return }
    let before = offPath()
    var event = TranscriptEvent(.edit, t: moment.t, ms: moment.ms, q: id)
    fill(&event, with: text, for: question, into: &step)
    state.apply(event)
    refreshComputed()
    let after = offPath()
    if !after.isEmpty { event.offPath = after }
    step.events.append(event)
    let newlyOff = after.filter { !before.contains($0) }
    if !newlyOff.isEmpty {
      step.messages.append(
        .info(
          "the flow now follows the new answer; kept but off the path: \(newlyOff.joined(separator: ", "))"
        ))
    }
    if let current, !path().contains(current) {
      self.current = firstOpenOnPath()
      needsShow = true
    }
  }

  private mutating func record(_ event: TranscriptEvent, into step: inout Step) {
    state.apply(event)
    step.events.append(event)
    refreshComputed()
  }

  /// Moves on from `id`: along its jumps to the next open question; past the end of the flow,
  /// back to any question the flow passed while the salesperson was elsewhere; else the end.
  private mutating func advance(after id: String, at moment: Moment, into step: inout Step) {
    let walker = FlowWalker(index: index, state: state, trace: conditionTrace)
    var next: String?
    if let place = walker.place(after: id, computed: computed) {
      next = walker.walk(from: place, computed: computed).next
    }
    if next == nil { next = firstOpenOnPath() }
    // After `:end` the conversation is over: once the debrief is done, the end comes next, and
    // what the conversation left open stays open (the summary names it).
    if debriefOffered, let candidate = next, index.section(of: candidate)?.part != .after {
      next = firstOpenInDebrief()
      if next == nil {
        current = nil
        needsShow = true
        step.messages.append(.info("the debrief is done: now the promises"))
        requestEnd(at: moment, into: &step)
        return
      }
    }
    current = next
    needsShow = true
    if next == nil {
      step.messages.append(.info("that was the last question of the guide"))
      requestEnd(at: moment, into: &step)
    }
  }

  private mutating func requestEnd(at moment: Moment, into step: inout Step) {
    let open = openRequired()
    if open.isEmpty {
      finish(at: moment, into: &step)
      return
    }
    awaiting = .confirmEnd
    step.messages.append(
      .warning(
        "required questions are still open: \(open.joined(separator: ", ")); type :end again to "
          + "finish anyway, or :goto \(open[0])"))
  }

  private mutating func finish(at moment: Moment, into step: inout Step) {
    if endWaits {
      if !isReadyToEnd { record(Self.promisesEvent(at: moment), into: &step) }
      isReadyToEnd = true
      current = nil
      return
    }
    step.events += end(at: moment)
  }

  /// Ends the interview: the `end` event, already applied; store it. Call it once the promises
  /// are taken, when ``endWaits`` held the end back.
  public mutating func end(at moment: Moment) -> [TranscriptEvent] {
    guard !state.isFinished else { return [] }
    var step = Step()
    var event = TranscriptEvent(.end, t: moment.t, ms: moment.ms)
    let open = openRequired()
    if !open.isEmpty { event.openRequired = open }
    let off = offPath()
    if !off.isEmpty { event.offPath = off }
    record(event, into: &step)
    current = nil
    isReadyToEnd = false
    return step.events
  }

  // MARK: Commands

  /// The commands, for `:help` and completion.
  public static let commands: [(name: String, usage: String, help: String)] = [
    ("back", ":back", "go back to the question before"),
    ("skip", ":skip [reason]", "leave this question open and move on"),
    ("goto", ":goto ID|SECTION", "go to a question or a section"),
    ("edit", ":edit ID [new answer]", "revise an earlier answer (kept as a revision)"),
    (
      "covered", ":covered ID [what they said]", "they answered it in passing; it will not be asked"
    ),
    ("note", ":note TEXT", "capture something now, file it later"),
    ("file", ":file NOTE ID", "file note NOTE under question ID"),
    ("tag", ":tag TAG [ID]", "tag this answer (or ID's) with a method concept"),
    ("probe", ":probe", "the next probe for this question"),
    ("hint", ":hint", "the coaching hint for this question"),
    ("asked", ":asked TEXT", "record a question you asked that is not in the guide"),
    ("who", ":who NAME", "who is speaking from now on"),
    ("where", ":where", "the outline: answered, covered, skipped, to come"),
    ("actions", ":actions", "the rules' proposals so far, with the answers that made each"),
    ("last", ":last [ID]", "what the customer said to this question (or ID) last time"),
    ("pause", ":pause", "stop for now; gemba resume carries on"),
    ("end", ":end", "finish the interview"),
    ("help", ":help", "this list"),
  ]

  private mutating func command(_ line: String, at moment: Moment, into step: inout Step) {
    let body = line.dropFirst()
    let name = String(body.prefix(while: { $0 != " " }))
    let argument = body.dropFirst(name.count).trimmingSpaces()
    let words = argument.split(separator: " ", maxSplits: 1).map(String.init)
    func event(_ kind: TranscriptEvent.Kind, _ id: String? = nil) -> TranscriptEvent {
      TranscriptEvent(kind, t: moment.t, ms: moment.ms, q: id)
    }
    switch name {
    case "back":
      let target: String?
      if let current, let position = state.history.firstIndex(of: current) {
        target = position > 0 ? state.history[position - 1] : nil
      } else {
        target = state.history.last
      }
      guard let target else {
        step.messages.append(.info("there is no earlier question"))
        return
      }
      var back = event(.back, target)
      back.from = current
      record(back, into: &step)
      current = target
      needsShow = true
    case "skip":
      guard let id = current else {
        step.messages.append(.info("no question is open to skip"))
        return
      }
      if !state.isHandled(id) {
        var skip = event(.skip, id)
        if !argument.isEmpty { skip.reason = argument }
        record(skip, into: &step)
      }
      advance(after: id, at: moment, into: &step)
    case "goto":
      guard !argument.isEmpty else {
        step.messages.append(.info("usage: :goto ID|SECTION"))
        return
      }
      if let id = state.currentID(argument) {
        var move = event(.goto, id)
        move.from = current
        record(move, into: &step)
        current = id
        needsShow = true
      } else if let sectionIndex = index.sectionIndex(named: argument) {
        let section = index.guide.sections[sectionIndex]
        let walker = FlowWalker(index: index, state: state)
        let place = FlowWalker.Place(section: sectionIndex, item: 0, entering: false)
        let target =
          walker.walk(from: place, computed: computed).next ?? section.questions.first?.id
        var move = event(.goto, target)
        move.section = section.title
        move.from = current
        record(move, into: &step)
        current = target
        needsShow = true
      } else {
        let names = index.guide.questions.map(\.id) + index.guide.sections.map(\.title)
        step.messages.append(
          .warning(
            "no question or section '\(argument)'\(Suggestion.didYouMean(argument, in: names))"))
      }
    case "edit":
      guard let first = words.first, let id = state.currentID(first) else {
        step.messages.append(
          .warning(unknownQuestion(words.first ?? "", usage: ":edit ID [new answer]")))
        return
      }
      if words.count > 1 {
        edit(id, words[1], at: moment, into: &step)
      } else {
        awaiting = .edit(id)
        let was = state.answers[id].map { " (was: \($0.raw))" } ?? ""
        step.messages.append(.info("new answer for '\(id)'\(was); an empty line keeps it"))
      }
    case "covered":
      guard let first = words.first, let id = state.currentID(first) else {
        step.messages.append(
          .warning(unknownQuestion(words.first ?? "", usage: ":covered ID [what they said]")))
        return
      }
      var covered = event(.covered, id)
      if words.count > 1 { covered.raw = words[1] }
      record(covered, into: &step)
      step.messages.append(.info("'\(id)' covered; it will not be asked"))
      if id == current { advance(after: id, at: moment, into: &step) }
    case "note":
      guard !argument.isEmpty else {
        step.messages.append(.info("usage: :note TEXT"))
        return
      }
      var note = event(.note, current)
      note.note = state.nextNoteNumber
      note.text = argument
      record(note, into: &step)
      step.messages.append(
        .info("note \(note.note ?? 0) kept; file it with :file \(note.note ?? 0) ID"))
    case "file":
      guard words.count == 2, let number = Int(words[0]),
        state.notes.contains(where: { $0.number == number })
      else {
        step.messages.append(
          .warning("usage: :file NOTE ID, with the number of a note taken with :note"))
        return
      }
      guard let id = state.currentID(words[1].trimmingSpaces()) else {
        step.messages.append(.warning(unknownQuestion(words[1], usage: ":file NOTE ID")))
        return
      }
      var file = event(.file, id)
      file.note = number
      record(file, into: &step)
      step.messages.append(.info("note \(number) filed under '\(id)'"))
    case "tag":
      guard let tag = words.first?.trimmingCharacters(in: "#") else {
        step.messages.append(.info("usage: :tag TAG [ID]"))
        return
      }
      let target = words.count > 1 ? state.currentID(words[1].trimmingSpaces()) : current
      guard let id = target else {
        step.messages.append(
          .warning(unknownQuestion(words.count > 1 ? words[1] : "", usage: ":tag TAG [ID]")))
        return
      }
      var tagEvent = event(.tag, id)
      tagEvent.tag = tag
      record(tagEvent, into: &step)
      let known = Set(BuiltInTags.all).union(index.guide.header.declaredTags)
      if !known.contains(tag) {
        step.messages.append(
          .warning(
            "'\(tag)' is not a tag this guide knows\(Suggestion.didYouMean(tag, in: known.sorted())); kept as typed"
          ))
      }
    case "probe":
      guard let id = current, let question = index.question(id) else {
        step.messages.append(.info("no question is open"))
        return
      }
      let pulled = state.probesPulled[id] ?? 0
      guard pulled < question.probes.count else {
        step.messages.append(
          .info(
            question.probes.isEmpty
              ? "this question has no probes" : "no more probes for this question"))
        return
      }
      var probe = event(.probe, id)
      probe.index = pulled
      probe.text = interpolate(question.probes[pulled])
      record(probe, into: &step)
      step.messages.append(.probe(probe.text ?? ""))
    case "hint":
      guard let id = current, let question = index.question(id) else {
        step.messages.append(.info("no question is open"))
        return
      }
      guard let hint = question.hint else {
        step.messages.append(.info("this question has no hint"))
        return
      }
      record(event(.hint, id), into: &step)
      step.messages.append(.hint(interpolate(hint)))
    case "asked":
      guard !argument.isEmpty else {
        step.messages.append(.info("usage: :asked TEXT"))
        return
      }
      var asked = event(.asked, current)
      asked.text = argument
      record(asked, into: &step)
    case "who":
      guard !argument.isEmpty else {
        step.messages.append(.info("speaking now: \(state.speaker ?? "not said")"))
        return
      }
      var speaker = event(.speaker)
      speaker.who = argument
      record(speaker, into: &step)
    case "where":
      step.messages.append(.outline(outline()))
    case "pause":
      record(event(.pause, current), into: &step)
      step.paused = true
    case "end", "end!":
      // Ending during the conversation goes to the debrief first: the next steps and the
      // interviewer's assessments are what the meeting is for. A second :end finishes.
      if name == "end", !debriefOffered, let id = current, index.section(of: id)?.part != .after,
        let debrief = firstOpenInDebrief()
      {
        debriefOffered = true
        var move = event(.goto, debrief)
        move.from = current
        move.reason = Self.endOfConversation
        record(move, into: &step)
        current = debrief
        needsShow = true
        step.messages.append(
          .info("the conversation is over: now the debrief; :end again finishes without it"))
        return
      }
      requestEnd(at: moment, into: &step)
    case "actions", "last":
      // The runner answers these, from the rules and the customer's earlier interviews.
      step.messages.append(.info("':\(name)' is answered by gemba run, not here"))
    case "help", "?":
      step.messages.append(.help(Self.commands.map { "\($0.usage)  \($0.help)" }))
    default:
      let names = Self.commands.map(\.name)
      step.messages.append(
        .warning(
          "unknown command ':\(name)'\(Suggestion.didYouMean(name, in: names)); :help lists them; "
            + "an answer that starts with ':' is typed '::'"))
    }
  }

  private func unknownQuestion(_ name: String, usage: String) -> String {
    if name.isEmpty { return "usage: \(usage)" }
    let ids = index.guide.questions.map(\.id)
    return "no question '\(name)'\(Suggestion.didYouMean(name, in: ids))"
  }

  // MARK: Derived views

  /// Walks the whole flow over the answers as they are now, once per change of them.
  ///
  /// Every event but `shown` goes through here before anything reads the path: the path, the
  /// computed values, what is open and the outline all come from this one walk, which on a large
  /// guide is the costliest thing a step does. A `shown` event changes nothing a walk reads.
  private mutating func refreshComputed() {
    let walk = FlowWalker(index: index, state: state).walk(
      from: FlowWalker.start, computed: [:], toEnd: true)
    computed = walk.computed
    pathWalked = walk.path
    onPath = Set(walk.path)
    if let counts = walk.openBySection {
      openOnPathBySection = counts
    } else {
      // A path that goes back into a section may pass a question twice: count each once.
      openOnPathBySection = Array(repeating: 0, count: index.guide.sections.count)
      for id in onPath where !state.isHandled(id) {
        if let section = index.location[id]?.section { openOnPathBySection[section] += 1 }
      }
    }
  }

  private func path() -> [String] { pathWalked }

  private func firstOpenOnPath() -> String? {
    pathWalked.first { !state.isHandled($0) }
  }

  /// The first open question of the after-call part on the flow's path.
  private func firstOpenInDebrief() -> String? {
    path().first { id in !state.isHandled(id) && index.section(of: id)?.part == .after }
  }

  /// Questions handled (answered, skipped or covered) that the flow no longer passes.
  public func offPath() -> [String] {
    // The handled questions are few beside a large guide's: look at those, in the guide's order.
    let handled = Set(state.answers.keys).union(state.skipped.keys).union(state.covered.keys)
    return handled.filter { !onPath.contains($0) }.compactMap { id in
      index.location[id].map { (place: $0, id: id) }
    }.sorted { $0.place < $1.place }.map(\.id)
  }

  /// Questions on the flow's path that are neither answered, skipped nor covered, in order.
  public func openOnPath() -> [String] {
    pathWalked.filter { !state.isHandled($0) }.reduce(into: [String]()) { ids, id in
      if !ids.contains(id) { ids.append(id) }
    }
  }

  /// Required questions with no answer.
  public func openRequired() -> [String] {
    return index.guide.questions.filter { question in
      question.isRequired && onPath.contains(question.id) && state.answers[question.id] == nil
        && state.covered[question.id] == nil
    }.map(\.id)
  }

  /// Each section's title, in the guide's order, with how many questions the outline shows
  /// there as current or to come: what the prompt shows, without building the outline.
  public func openQuestionsBySection() -> [(title: String, open: Int)] {
    // Counted by the last walk of the flow, so the prompt costs one pass over the sections.
    var counts = openOnPathBySection
    if let current, !state.isHandled(current), !onPath.contains(current),
      let section = index.location[current]?.section, section < counts.count
    {
      counts[section] += 1
    }
    return index.guide.sections.enumerated().map { number, section in
      (section.title, number < counts.count ? counts[number] : 0)
    }
  }

  /// The outline of the interview: each section and where each question stands.
  public func outline() -> [OutlineLine] {
    var lines: [OutlineLine] = []
    for (section, ids) in zip(index.guide.sections, index.questionIDs) {
      let budget = section.budgetMinutes.map { ", \($0) min" } ?? ""
      lines.append(
        OutlineLine(status: .section, text: "\(section.title) (\(section.part.rawValue)\(budget))"))
      for id in ids {
        let status: OutlineLine.Status
        var detail = ""
        if id == current && !state.isHandled(id) {
          status = .current
        } else if let answer = state.answers[id] {
          status = onPath.contains(id) ? .answered : .offPath
          detail = ": " + TerminalSafe.neutralize(String(answer.raw.prefix(60)))
        } else if let covered = state.covered[id] {
          status = .covered
          if let text = covered { detail = ": " + TerminalSafe.neutralize(String(text.prefix(60))) }
        } else if let reason = state.skipped[id] {
          status = onPath.contains(id) ? .skipped : .offPath
          if let reason { detail = ": " + TerminalSafe.neutralize(reason) }
        } else {
          status = onPath.contains(id) ? .toCome : .passedOver
        }
        lines.append(OutlineLine(status: status, text: "\(id)\(detail)"))
      }
    }
    return lines
  }
}

extension String {
  fileprivate func trimmingCharacters(in set: Character) -> String {
    var slice = Substring(self)
    while slice.first == set { slice.removeFirst() }
    return String(slice)
  }
}
