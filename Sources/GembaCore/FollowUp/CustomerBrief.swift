/// One screen before a call (`gemba brief`): the last meeting and who was there, the promises
/// still open and their dates, what the customer said about purpose, measures and the forces,
/// the last expectation against what happened, the supplier-hierarchy step, and what to focus on.
public struct CustomerBrief: Sendable {
  public let record: CustomerRecord
  /// The day of the coming meeting: open promises are judged against it.
  public let day: Day

  /// The brief of `record` for a meeting on `day`; meetings after `day` are left out.
  public init(_ record: CustomerRecord, day: Day) {
    self.record = record
    self.day = day
  }

  /// The brief as plain text, wrapped to `width`, customer text neutralised.
  public func text(width: Int = 80) -> String {
    let safe = { (text: String) in TerminalSafe.neutralize(text) }
    let wrapper = ProposalRenderer(width: width)
    let known = record.upTo(day)
    let meetings = known.meetings
    guard let last = meetings.last else {
      return "\(safe(record.name)): no interview on or before \(day)\n"
    }
    var out = "\(safe(record.name)): brief for \(day)\n"
    var people = last.header.interviewer ?? "interviewer not named"
    if !last.header.with.isEmpty { people += " with " + last.header.with.joined(separator: ", ") }
    out += wrapper.wrap(
      "last meeting: \(last.day) (\(day.ordinal - last.day.ordinal) days ago), "
        + "\(safe(last.header.guide.title)), \(safe(people))"
        + (last.isFinished ? "" : ", not ended")
        + "; \(meetings.count) interview\(meetings.count == 1 ? "" : "s") in all",
      indent: "  ")

    let open = known.openPromises
    let overdue = open.filter { $0.isOverdue(on: day) }
    out += "\nopen promises"
    out += open.isEmpty ? ": none\n" : " (\(open.count), \(overdue.count) overdue)\n"
    for (offset, promise) in open.enumerated() {
      var when = promise.due.map { "by \($0)" } ?? "no date"
      if let due = promise.dueDay, due < day {
        let days = day.ordinal - due.ordinal
        when += ", OVERDUE \(days) day\(days == 1 ? "" : "s")"
      }
      var answer = promise.answer.rawValue
      if promise.answer == .yesIf, let conditions = promise.conditions {
        answer += " " + conditions
      }
      out += wrapper.wrap(
        "\(promise.owner.rawValue): \"\(safe(promise.text))\" — \(safe(when)); \(safe(answer)); "
          + "promised \(safe(promise.made))",
        lead: "  \(offset + 1). ", indent: "     ")
    }

    out += "\nwhat they said\n"
    var said = false
    func quote(_ label: String, _ tag: String, excluding other: String? = nil) {
      for meeting in meetings.reversed() {
        // What the customer said: the conversation's answers, not the salesperson's notes.
        let found = meeting.answers(taggedWith: tag, assessment: false).filter { answer in
          guard let question = meeting.guide.question(answer.id), question.part == .customer
          else { return false }
          guard let other else { return true }
          return !question.tags.contains { $0.name == other }
        }
        guard let first = found.first else { continue }
        out += wrapper.wrap(
          "\(label) (\(meeting.day)): " + CustomerHistoryRenderer.quoted(safe(first.text)),
          lead: "  ", indent: "    ")
        said = true
        return
      }
    }
    quote("purpose", "purpose", excluding: "measure")
    quote("measures", "measure")
    var forces: [String] = []
    for force in ["push", "pull", "anxiety", "habit"] {
      guard
        let meeting = meetings.last(where: {
          !$0.answers(taggedWith: force, assessment: true).isEmpty
        }),
        let judged = meeting.answers(taggedWith: force, assessment: true).first
      else { continue }
      var entry = "\(force) \(safe(judged.text))"
      if let words = meeting.answers(taggedWith: force, assessment: false).first {
        entry += " (" + CustomerHistoryRenderer.quoted(safe(words.text)) + ")"
      }
      forces.append(entry)
    }
    if !forces.isEmpty {
      out += wrapper.wrap(
        "forces, as judged after the call: " + forces.joined(separator: "; "), lead: "  ",
        indent: "    ")
      said = true
    }
    if !said { out += "  nothing on purpose, measures or the forces yet\n" }

    let expectations = last.answers(taggedWith: "expectation", assessment: false)
    let before = expectations.first { last.guide.question($0.id)?.part == .before }
    let after = expectations.first { last.guide.question($0.id)?.part == .after }
    out += "\nlast time\n"
    out += wrapper.wrap(
      "expected: " + (before.map { "\"\(safe($0.text))\"" } ?? "not written"), lead: "  ",
      indent: "    ")
    out += wrapper.wrap(
      "happened: " + (after.map { "\"\(safe($0.text))\"" } ?? "not written"), lead: "  ",
      indent: "    ")

    let steps = known.hierarchySteps
    out += "\nsupplier hierarchy: "
    out += steps.last.map { "\(safe($0.step)) (\($0.day))\n" } ?? "not recorded\n"

    out += "\nsuggested focus\n"
    var focus: [String] = []
    if !open.isEmpty {
      focus.append(
        "Check first: the \(open.count) open promise\(open.count == 1 ? "" : "s")"
          + (overdue.isEmpty ? "" : " (\(overdue.count) overdue)")
          + ", in the order they were made: what was expected, what happened, what was learned")
    }
    let promised = Set(last.promises.compactMap { $0.rules?.joined(separator: ",") })
    for proposal in last.state.proposals where !promised.contains(proposal.rule ?? "") {
      guard focus.count < 4, let text = proposal.text else { continue }
      focus.append("\(safe(proposal.phase ?? "")) (rules, \(last.day)): \(safe(text))")
    }
    if focus.isEmpty { focus.append("nothing open: plan the next experiment with the customer") }
    for (offset, item) in focus.enumerated() {
      out += wrapper.wrap(item, lead: "  \(offset + 1). ", indent: "     ")
    }
    return out
  }
}
