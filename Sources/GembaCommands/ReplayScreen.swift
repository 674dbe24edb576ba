import Foundation
import GembaCore
import GembaTerminal

/// What the coach sees at each step of a replay, wrapped to the terminal. Every piece of text
/// that came from a person (answers, notes, own questions, comments) is neutralised before it
/// is shown: an answer cannot move the cursor, change colours or set the window title.
struct ReplayScreen {
  /// A gap between two events longer than this is called out as a silence.
  static let silence = 45_000

  let timeline: ReplayTimeline
  let width: Int
  /// The coach's comments so far, shown at the events they are about.
  var comments: [CoachComment] = []

  // MARK: The overview

  /// The first screen: who, when, how it went, and the expectation written before the call
  /// beside what happened; with `stepping`, the keys that step through it.
  func overview(stepping: Bool = true) -> String {
    let header = timeline.header
    let state = timeline.finalState
    var out: [String] = []
    var who = header.customer.map { safe($0.name) } ?? "no customer named"
    if let interviewer = header.interviewer { who += " · \(safe(interviewer))" }
    if !header.with.isEmpty { who += " (with \(header.with.map(safe).joined(separator: ", ")))" }
    var title = safe(header.guide.title)
    if let version = header.guide.version { title += " \(safe(version))" }
    out += wrap("Replay · \(title) · \(who)")
    let started = header.started.prefix(16).replacingOccurrences(of: "T", with: " ")
    let ended = state.isFinished ? "ended" : "not ended"
    let skipped = state.skipped.count
    var facts = [
      "started \(started) UTC", "\(ClockText.duration(timeline.duration)) long", ended,
      "\(timeline.steps.count) step\(timeline.steps.count == 1 ? "" : "s")",
      "\(state.answers.count) answered", "\(skipped) skipped",
    ]
    if !state.notes.isEmpty { facts.append(count(state.notes.count, "note")) }
    if !state.ownQuestions.isEmpty { facts.append(count(state.ownQuestions.count, "own question")) }
    if header.practice { facts.append("practice") }
    out += wrap(facts.joined(separator: " · "))
    out.append("")
    let (expected, happened) = expectations()
    out += columns(
      (
        "Expected before the call",
        expected.isEmpty ? ["(nothing written before the call)"] : expected
      ),
      ("What happened", happened.isEmpty ? ["(nothing written after the call)"] : happened))
    let general = comments.filter { $0.event == 0 }
    if !general.isEmpty {
      out.append("")
      for comment in general { out += wrap(describe(comment), indent: "  ") }
    }
    // Played back, nothing is read: the keys would promise what does not happen.
    guard stepping else { return out.joined(separator: "\n") + "\n" }
    out.append("")
    out += wrap(
      "Enter or n: next step · p: back · :help for jumps, search, :comment, :score, :flags, "
        + ":actions")
    return out.joined(separator: "\n") + "\n"
  }

  /// The answers before the call to questions about expectations and hypotheses, and the
  /// answers after it to the same kind of question.
  private func expectations() -> (before: [String], after: [String]) {
    let state = timeline.finalState
    var before: [String] = []
    var after: [String] = []
    for section in timeline.index.guide.sections where section.part != .customer {
      for item in section.items {
        guard case .question(let question) = item else { continue }
        let tags = Set(question.tags.map(\.name))
        guard !tags.isDisjoint(with: ["expectation", "hypothesis"]) else { continue }
        let text: String
        if let answer = state.answers[question.id] {
          text = "\(question.id): \(safe(answer.raw))"
        } else if let reason = state.skipped[question.id] {
          text = "\(question.id): skipped\(reason.map { " (\(safe($0)))" } ?? "")"
        } else {
          continue
        }
        if section.part == .before { before.append(text) } else { after.append(text) }
      }
    }
    return (before, after)
  }

  /// Two titled columns side by side when the terminal is wide enough, else one after the other.
  private func columns(_ left: (String, [String]), _ right: (String, [String])) -> [String] {
    let gap = 3
    let columnWidth = (width - gap) / 2
    guard columnWidth >= 30 else {
      return [left.0] + left.1.flatMap { wrap($0, indent: "  ") } + [""] + [right.0]
        + right.1.flatMap { wrap($0, indent: "  ") }
    }
    let leftLines = [left.0] + left.1.flatMap { TextWrap.wrap($0, width: columnWidth) }
    let rightLines = [right.0] + right.1.flatMap { TextWrap.wrap($0, width: columnWidth) }
    var out: [String] = []
    for row in 0..<max(leftLines.count, rightLines.count) {
      let leftText = row < leftLines.count ? leftLines[row] : ""
      let rightText = row < rightLines.count ? rightLines[row] : ""
      if rightText.isEmpty {
        out.append(leftText)
      } else {
        let padding = String(repeating: " ", count: max(0, columnWidth - DisplayWidth.of(leftText)))
        out.append(leftText + padding + String(repeating: " ", count: gap) + rightText)
      }
    }
    return out
  }

  // MARK: A step

  /// Step `number` (from 1): the question as it was asked, the answer in the customer's words
  /// and who said it, and everything around it.
  func step(_ number: Int, flags: [CoachFlag] = []) -> String {
    let step = timeline.steps[number - 1]
    let events = timeline.events
    let timing = timeline.timing(ofStep: number)
    var out: [String] = []
    let first = timeline.numbers[step.events.lowerBound]
    let last = timeline.numbers[step.events.upperBound - 1]
    var heading = "── \(number)/\(timeline.steps.count) · event \(first)"
    if last != first { heading += "–\(last)" }
    if let id = step.question, let section = timeline.section(of: id) {
      heading += " · \(safe(section.title)) (\(section.part.rawValue))"
    }
    heading += " · at \(ClockText.duration(timing.start)) "
    out.append(heading + String(repeating: "─", count: max(3, width - DisplayWidth.of(heading))))

    let stateBefore = timeline.state(afterEvents: step.events.lowerBound)
    if let id = step.question {
      let shown = events[step.events].first { $0.type == .shown }
      let prompt = shown?.prompt ?? timeline.index.question(id).map { $0.prompt.text } ?? ""
      out += wrap("\(id): \(safe(prompt))")
    }
    var previousMS = events[step.events.lowerBound].ms
    for position in step.events {
      let event = events[position]
      let gap = event.ms - previousMS
      if gap >= Self.silence {
        out.append("  … \(ClockText.duration(gap)) with nothing typed")
      }
      previousMS = event.ms
      let state = timeline.state(afterEvents: position)
      out += describe(event, position: position, speaker: state.speaker ?? stateBefore.speaker)
      for comment in comments where comment.event == timeline.numbers[position] {
        out += wrap(describe(comment), indent: "    ")
      }
      for flag in flags where flag.events.contains(timeline.numbers[position]) {
        let title = flag.proposal.reasons.first?.title ?? flag.proposal.text
        out += wrap("flag: \(safe(title)) (:flags)", indent: "    ", continuation: "      ")
      }
    }
    out += laterChanges(to: step)
    var facts = ["time \(ClockText.duration(timing.duration))"]
    if let id = step.question, let section = timeline.section(of: id),
      let budget = section.budgetMinutes
    {
      facts.append("section budget \(budget) min")
    }
    out.append("  " + facts.joined(separator: " · "))
    return out.joined(separator: "\n") + "\n"
  }

  /// One event as a line (or a few): nothing for the `shown` that heads the step.
  private func describe(_ event: TranscriptEvent, position: Int, speaker: String?) -> [String] {
    let number = timeline.numbers[position]
    switch event.type {
    case .shown:
      return []
    case .answer:
      var line = "answer"
      if let who = event.who ?? answerer(of: event, speaking: speaker) {
        line += " (\(safe(who)))"
      }
      line += ": \(safe(event.raw ?? ""))"
      var lines = wrap(line, indent: "  ", continuation: "    ")
      if event.understood == false { lines.append("    kept in their words, not understood") }
      for warning in event.warnings ?? [] where event.understood != false {
        lines += wrap("note: \(safe(warning))", indent: "    ", continuation: "      ")
      }
      return lines
    case .edit:
      return wrap(
        "revised (event \(number)): \(safe(event.raw ?? ""))", indent: "  ", continuation: "    ")
    case .skip:
      return ["  skipped" + (event.reason.map { ": \(safe($0))" } ?? " (no reason given)")]
    case .covered:
      return wrap(
        "covered in passing: \(event.q ?? "")" + (event.raw.map { " — \(safe($0))" } ?? ""),
        indent: "  ", continuation: "    ")
    case .probe:
      let ordinal = (event.index ?? 0) + 1
      return wrap("probe \(ordinal): \(safe(event.text ?? ""))", indent: "  ", continuation: "    ")
    case .hint:
      return ["  hint shown"]
    case .asked:
      return wrap("you asked: \(safe(event.text ?? ""))", indent: "  ", continuation: "    ")
    case .note:
      var line = "note \(event.note ?? 0): \(safe(event.text ?? ""))"
      let filed = timeline.finalState.notes.first { $0.number == event.note }?.filedUnder
      if let filed { line += " (filed under \(filed))" }
      return wrap(line, indent: "  ", continuation: "    ")
    case .file:
      return ["  note \(event.note ?? 0) filed under \(event.q ?? "?")"]
    case .tag:
      return ["  tagged #\(safe(event.tag ?? ""))" + (event.q.map { " on \($0)" } ?? "")]
    case .back:
      return ["  went back from \(event.from ?? "?") to \(event.q ?? "?")"]
    case .goto:
      return ["  went to \(event.q ?? event.section.map(safe) ?? "?")"]
    case .speaker:
      return ["  now speaking: \(safe(event.who ?? "?"))"]
    case .proposal:
      return wrap(
        "proposed then (\(event.phase ?? "?"), \(event.rule ?? "?")): \(safe(event.text ?? ""))",
        indent: "  ", continuation: "    ")
    case .promise:
      var line = "promise: \(safe(event.text ?? ""))"
      let details = [
        event.owner.map { "owner \(safe($0))" }, event.due.map { "due \(safe($0))" },
        // A yes-if is only half a promise without what it was conditional on.
        event.answer.map { answer in
          safe(answer) + (event.conditions.map { " \(safe($0))" } ?? "")
        },
      ].compactMap { $0 }
      if !details.isEmpty { line += " (\(details.joined(separator: ", ")))" }
      return wrap(line, indent: "  ", continuation: "    ")
    case .pause:
      return ["  paused"]
    case .interrupted:
      return ["  interrupted" + (event.signal.map { " (\($0))" } ?? "")]
    case .recovered:
      return ["  resumed" + (event.dropped.map { ", \($0) unreadable lines left behind" } ?? "")]
    case .end:
      let open = event.openRequired ?? []
      return [
        "  interview ended"
          + (open.isEmpty ? "" : "; required questions open: \(open.joined(separator: ", "))")
      ]
    }
  }

  /// Who gave an answer: before and after the call the interviewer writes for themselves; with
  /// the customer, whoever was last said to be speaking, else the customer.
  private func answerer(of event: TranscriptEvent, speaking: String?) -> String? {
    if let id = event.q, let section = timeline.section(of: id), section.part != .customer {
      return timeline.header.interviewer ?? "interviewer"
    }
    return speaking ?? timeline.header.customer?.name
  }

  /// Revisions of the step's answer made after the step, as a diff with when they were made.
  private func laterChanges(to step: ReplayStep) -> [String] {
    guard let id = step.question else { return [] }
    let state = timeline.finalState
    let canonical = state.currentID(id) ?? id
    let events = timeline.events
    var previous = events[step.events].last {
      ($0.type == .answer || $0.type == .edit) && $0.q.flatMap(state.currentID) == canonical
    }?.raw
    guard previous != nil else { return [] }
    var out: [String] = []
    for position in step.events.upperBound..<events.count {
      let event = events[position]
      guard event.type == .answer || event.type == .edit,
        event.q.flatMap(state.currentID) == canonical
      else { continue }
      out.append(
        "  changed later, at \(ClockText.duration(event.ms)) (event \(timeline.numbers[position])):"
      )
      out += wrap("- \(safe(previous ?? ""))", indent: "    ", continuation: "      ")
      out += wrap("+ \(safe(event.raw ?? ""))", indent: "    ", continuation: "      ")
      previous = event.raw
    }
    return out
  }

  private func describe(_ comment: CoachComment) -> String {
    var label = "coach"
    if let kind = comment.kind { label += " \(kind.rawValue)" }
    if let by = comment.by { label += " (\(safe(by)))" }
    return "\(label): \(safe(comment.text))"
  }

  // MARK: Text

  private func safe(_ text: String) -> String { TerminalSafe.neutralize(text) }

  private func count(_ number: Int, _ noun: String) -> String {
    "\(number) \(noun)\(number == 1 ? "" : "s")"
  }

  /// `text` wrapped to the width: the first line after `indent`, the rest after `continuation`
  /// (by default the same).
  func wrap(_ text: String, indent: String = "", continuation: String? = nil) -> [String] {
    let rest = continuation ?? indent
    let room = width - max(DisplayWidth.of(indent), DisplayWidth.of(rest))
    return TextWrap.wrap(text, width: room).enumerated().map {
      ($0.offset == 0 ? indent : rest) + $0.element
    }
  }
}
