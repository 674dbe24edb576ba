import Foundation

/// One step of a replay: a question as it was put, and everything that happened until the next
/// question was shown (probes, hints, the salesperson's own questions, notes, the answer or the
/// skip), as a range of the transcript's events.
public struct ReplayStep: Sendable, Equatable {
  /// Indexes into ``ReplayTimeline/events``.
  public var events: Range<Int>
  /// The question the step is about, when there is one.
  public var question: String?
}

/// A finished or unfinished interview laid out for a coach to step through: its events cut into
/// steps, and the interview's state after every event, so going back or jumping anywhere is a
/// look-up, not a replay from the start.
public struct ReplayTimeline: Sendable {
  public let header: TranscriptHeader
  public let events: [TranscriptEvent]
  /// The number of each event as a coach's comment names it (its line number minus one).
  public let numbers: [Int]
  public let index: GuideIndex
  public let steps: [ReplayStep]
  /// `states[i]` is the interview after the first `i` events.
  private let states: [InterviewState]

  /// Lays out `contents`, read against `guide` (the guide as it was asked, from the header).
  public init(contents: TranscriptContents, guide: Guide, today: Day) {
    header = contents.header
    events = contents.events
    numbers =
      contents.eventNumbers.count == contents.events.count
      ? contents.eventNumbers : contents.events.indices.map { $0 + 1 }
    index = GuideIndex(guide, today: today)
    var state = InterviewState(guide: guide)
    var states = [state]
    states.reserveCapacity(events.count + 1)
    for event in events {
      state.apply(event)
      states.append(state)
    }
    self.states = states
    var steps: [ReplayStep] = []
    var start = 0
    for (position, event) in events.enumerated() where position > start {
      let afterEnd = events[position - 1].type == .end
      if event.type == .shown || afterEnd {
        steps.append(
          ReplayStep(events: start..<position, question: Self.question(events[start..<position])))
        start = position
      }
    }
    if start < events.count {
      steps.append(
        ReplayStep(events: start..<events.count, question: Self.question(events[start...])))
    }
    self.steps = steps
  }

  private static func question(_ slice: ArraySlice<TranscriptEvent>) -> String? {
    if let shown = slice.first(where: { $0.type == .shown }) { return shown.q }
    return slice.first(where: { $0.q != nil })?.q
  }

  /// The interview after the first `count` events.
  public func state(afterEvents count: Int) -> InterviewState {
    states[max(0, min(count, states.count - 1))]
  }

  /// The interview as it stands at the end of the transcript.
  public var finalState: InterviewState { states[states.count - 1] }

  /// The position in ``events`` of event number `number`.
  public func position(ofEvent number: Int) -> Int? {
    numbers.firstIndex(of: number)
  }

  /// The step (from 1; 0 is the overview) holding the event at `position`.
  public func step(holding position: Int) -> Int? {
    steps.firstIndex { $0.events.contains(position) }.map { $0 + 1 }
  }

  /// The first step that puts question `id` (or a question once called `id`).
  public func step(forQuestion id: String) -> Int? {
    let canonical = finalState.currentID(id) ?? id
    if let found = steps.firstIndex(where: {
      $0.question.map { finalState.currentID($0) ?? $0 } == canonical
    }) {
      return found + 1
    }
    return nil
  }

  /// The first step in the section whose title starts with `name` (ignoring case, accents and
  /// spacing).
  public func step(forSection name: String) -> Int? {
    let wanted = TextFolding.words(name)
    guard !wanted.isEmpty else { return nil }
    for (position, step) in steps.enumerated() {
      guard let id = step.question, let section = index.section(of: finalState.currentID(id) ?? id)
      else { continue }
      if TextFolding.words(section.title).starts(with: wanted) { return position + 1 }
    }
    return nil
  }

  /// The step under way `milliseconds` after the interview started: the last one that began at
  /// or before it.
  public func step(atOffset milliseconds: Int) -> Int? {
    guard !steps.isEmpty else { return nil }
    var found = 1
    for (position, step) in steps.enumerated()
    where events[step.events.lowerBound].ms <= milliseconds {
      found = position + 1
    }
    return found
  }

  /// When step `number` began and how long it lasted, in milliseconds: until the next step
  /// began (the last step lasts until its own last event).
  public func timing(ofStep number: Int) -> (start: Int, duration: Int) {
    let step = steps[number - 1]
    let start = events[step.events.lowerBound].ms
    let end =
      number < steps.count
      ? events[steps[number].events.lowerBound].ms : events[step.events.upperBound - 1].ms
    return (start, max(0, end - start))
  }

  /// The section a question belongs to.
  public func section(of id: String) -> Section? {
    index.section(of: finalState.currentID(id) ?? id)
  }

  /// How long the interview ran: from the first event to the last, in milliseconds.
  public var duration: Int {
    guard let first = events.first, let last = events.last else { return 0 }
    return max(0, last.ms - first.ms)
  }
}

/// Times as a coach reads them: `0:42`, `12:05`, `1:02:09`.
public enum ClockText {
  /// `milliseconds` as minutes and seconds (hours when there are any).
  public static func duration(_ milliseconds: Int) -> String {
    let seconds = max(0, milliseconds) / 1000
    let hours = seconds / 3600
    let minutes = seconds % 3600 / 60
    let rest = seconds % 60
    func two(_ n: Int) -> String { n < 10 ? "0\(n)" : "\(n)" }
    if hours > 0 { return "\(hours):\(two(minutes)):\(two(rest))" }
    return "\(minutes):\(two(rest))"
  }

  /// Reads an offset into the interview: `12:30`, `1:02:09`, `90s`, `5m`, `+5m`, `1h`.
  public static func offset(_ text: String) -> Int? {
    var text = text.trimmingCharacters(in: .whitespaces)
    if text.hasPrefix("+") { text.removeFirst() }
    guard !text.isEmpty else { return nil }
    if text.contains(":") {
      let parts = text.split(separator: ":", omittingEmptySubsequences: false).map { Int($0) }
      guard (2...3).contains(parts.count), parts.allSatisfy({ ($0 ?? -1) >= 0 }) else {
        return nil
      }
      let numbers = parts.compactMap { $0 }
      let seconds = numbers.reduce(0) { $0 * 60 + $1 }
      return seconds * 1000
    }
    let units: [(String, Int)] = [("ms", 1), ("s", 1000), ("m", 60_000), ("h", 3_600_000)]
    for (unit, scale) in units where text.hasSuffix(unit) {
      guard let number = Double(text.dropLast(unit.count)), number >= 0 else { return nil }
      return Int(number * Double(scale))
    }
    guard let minutes = Double(text), minutes >= 0 else { return nil }
    return Int(minutes * 60_000)
  }
}
