import Foundation
import GembaCore
import GembaTerminal

/// The end of an interview: the rules' proposals are recorded, the customer's next steps and
/// the proposals they agreed to become promises, one keystroke each for the usual case.
extension InterviewRunner {
  /// Takes the promises; false when the interview was paused on the way (resume carries on
  /// with the ones not yet made).
  func takePromises() -> Bool {
    let today = session.index.today
    let proposals = recordProposals()
    // The customer's own words first, then what the rules proposed and the customer agreed to.
    let steps = nextStepDrafts(today: today)
    var asked = 0
    for draft in steps {
      asked += 1
      switch promise(draft, first: asked == 1, today: today) {
      case .paused: return false
      case .finished: return true
      case .chosen: continue
      }
    }
    let promisedRules = Set(session.state.promises.compactMap(\.rule))
    let open = proposals.filter { !promisedRules.contains($0.rules.joined(separator: ",")) }
    guard !open.isEmpty else { return true }
    let agreed: [Proposal]
    switch agreedProposals(open) {
    case .paused: return false
    case .finished: return true
    case .chosen(let chosen): agreed = chosen
    }
    for proposal in agreed {
      asked += 1
      let draft = PromiseDraft.proposal(proposal, today: today)
      switch promise(draft, first: asked == 1, today: today) {
      case .paused: return false
      case .finished: return true
      case .chosen: continue
      }
    }
    return true
  }

  private enum Outcome<Value> {
    case chosen(Value)
    case paused
    /// `:end`: the rest is left without promises.
    case finished
  }

  /// Records the rules' proposals for the interview as it ends (those not recorded already).
  private func recordProposals() -> [Proposal] {
    guard let rules else { return [] }
    let proposals = rules.propose(for: session)
    let recorded = Set(session.state.proposals.map { "\($0.rule ?? "")\n\($0.text ?? "")" })
    let moment = now()
    let new = proposals.map { $0.event(at: moment, rulesHash: rules.hash) }.filter {
      !recorded.contains("\($0.rule ?? "")\n\($0.text ?? "")")
    }
    session.apply(new)
    record(new)
    return proposals
  }

  /// The next steps written in the customer's words (answers to questions tagged `#promise`)
  /// that are not promises yet.
  private func nextStepDrafts(today: Day) -> [PromiseDraft] {
    let promised = Set(session.state.promises.compactMap(\.q))
    var drafts: [PromiseDraft] = []
    for question in session.index.guide.questions {
      guard question.tags.contains(where: { $0.name == "promise" }), !question.isAssessment,
        case .text = question.kind, !promised.contains(question.id),
        let raw = session.state.answers[question.id]?.raw,
        !raw.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty
      else { continue }
      var draft = PromiseDraft.nextStep(raw, question: question.id, today: today)
      if let (slot, field) = FollowUpCheck.slot(of: question.id), field == "new",
        let earlier = journal.header.followUp?.promises, slot <= earlier.count
      {
        draft.replaces = earlier[slot - 1].ref
        if PromiseDraft.guessOwner(raw) == nil { draft.owner = earlier[slot - 1].owner }
      }
      drafts.append(draft)
    }
    return drafts
  }

  /// Which proposals the customer agreed to: numbers, Enter for none.
  private func agreedProposals(_ proposals: [Proposal]) -> Outcome<[Proposal]> {
    var text =
      "the rules propose (suggestions: only what the customer agreed to becomes a promise):"
    for (offset, proposal) in proposals.enumerated() {
      var terms: [String] = []
      if let owner = proposal.owner { terms.append("owner: \(owner)") }
      if let due = proposal.due { terms.append("due: \(due)") }
      let extra = terms.isEmpty ? "" : " (\(terms.joined(separator: " · ")))"
      text += "\n  \(offset + 1). \(proposal.phaseLabel): \(proposal.text)\(extra)"
    }
    console.say(text)
    while true {
      console.say("which did the customer agree to? their numbers (1 3), Enter for none")
      switch console.read(prompt: "agreed › ") {
      case .end: return pause(reason: console.endReason)
      case .interrupted: continue
      case .line(let line):
        let trimmed = line.trimmingCharacters(in: .whitespaces)
        if trimmed == ":skip" || trimmed.isEmpty { return .chosen([]) }
        if let outcome = stageCommand(trimmed) {
          if case .paused = outcome { return .paused }
          if case .finished = outcome { return .finished }
          continue
        }
        let words = trimmed.split(whereSeparator: { $0 == " " || $0 == "," })
        let numbers = words.compactMap { Int($0) }
        guard numbers.count == words.count,
          numbers.allSatisfy({ (1...proposals.count).contains($0) })
        else {
          console.show(
            .warning(
              "type the numbers of the proposals agreed, 1 to \(proposals.count), or Enter for none"
            ), status: status())
          continue
        }
        var seen = Set<Int>()
        return .chosen(numbers.filter { seen.insert($0).inserted }.map { proposals[$0 - 1] })
      }
    }
  }

  /// The number the next promise is recorded with: one after the last made, so a resumed
  /// interview goes on counting where it stopped.
  private var nextPromiseNumber: Int {
    (session.state.promises.compactMap(\.promise).max() ?? 0) + 1
  }

  /// One promise: Enter takes the terms shown; a reply changes them; `:skip` leaves it.
  private func promise(_ draft: PromiseDraft, first: Bool, today: Day) -> Outcome<Void> {
    var draft = draft
    var explained = !first
    // The words on a line of their own under the number, so a long step wraps as a list does.
    console.say("promise \(nextPromiseNumber):\n  \"\(draft.text)\"")
    while true {
      console.say(
        "  \(draft.terms)"
          + (explained
            ? " (Enter takes it)"
            : " (Enter takes it; or change it: who: us, customer, both; by when: "
              + "\(Day.fromOrdinal(today.ordinal + 7)), +7d, next meeting; yes, no or if "
              + "CONDITIONS; :skip leaves it)"))
      explained = true
      switch console.read(prompt: "promise › ") {
      case .end: return pause(reason: console.endReason)
      case .interrupted: continue
      case .line(let line):
        let trimmed = line.trimmingCharacters(in: .whitespaces)
        if trimmed == ":skip" || trimmed.hasPrefix(":skip ") {
          console.say("left without a promise")
          return .chosen(())
        }
        if let outcome = stageCommand(trimmed) {
          if case .paused = outcome { return .paused }
          if case .finished = outcome { return .finished }
          continue
        }
        if let problem = draft.apply(reply: trimmed, today: today) {
          console.show(.warning(problem), status: status())
          continue
        }
        let promise = draft.record(
          interview: journal.header.id, number: nextPromiseNumber,
          made: session.index.today.description)
        let event = promise.event(at: now())
        session.apply([event])
        record([event])
        console.say("promised: \(promise.terms)")
        return .chosen(())
      }
    }
  }

  /// The commands that work while promises are taken; nil for a line that is none of them.
  private func stageCommand(_ line: String) -> Outcome<Void>? {
    guard line.hasPrefix(":"), !line.hasPrefix("::") else { return nil }
    switch line {
    case ":pause": return pause(reason: nil)
    case ":end", ":end!":
      console.say("the rest is left without promises")
      return .finished
    case ":actions":
      console.say(actions())
    case ":help", ":?":
      console.say(
        "Enter takes the promise as shown; a reply changes it: who (us, customer, both), by "
          + "when (\(Day.fromOrdinal(session.index.today.ordinal + 7)), today, tomorrow, +7d, "
          + "+2w, next Tuesday, within two weeks, next meeting), yes, no, or if "
          + "followed by the conditions of satisfaction; :skip leaves one without a promise; "
          + ":actions shows the proposals; :pause stops for now; :end finishes without the rest")
    default:
      if line == ":last" || line.hasPrefix(":last ") {
        console.say(last(String(line.dropFirst(5)).trimmingCharacters(in: .whitespaces)))
      } else {
        console.show(
          .warning("not while promises are taken; :help says what works here"), status: status())
      }
    }
    return .chosen(())
  }

  /// Records a pause among the promises: `reason` nil for `:pause`, else why input ended.
  private func pause<Value>(reason: String?) -> Outcome<Value> {
    let moment = now()
    var event = TranscriptEvent(.pause, t: moment.t, ms: moment.ms)
    event.reason = reason
    record([event])
    return .paused
  }

  // MARK: Proposals and earlier answers

  /// `:actions`: the rules' proposals so far, each with the answers that made it fire.
  func actions() -> String {
    guard let rules else { return "no rules are in force, so nothing is proposed" }
    let proposals = rules.propose(for: session)
    guard !proposals.isEmpty else { return "the rules propose nothing yet" }
    var out = "the rules propose (suggestions, not decisions):"
    for (offset, proposal) in proposals.enumerated() {
      out += "\n  \(offset + 1). \(proposal.phaseLabel): \(proposal.text)"
      var quotes: [String] = []
      for reason in proposal.reasons {
        for evidence in reason.evidence {
          for answer in evidence.answers where !quotes.contains(answer.summary) {
            quotes.append(answer.summary)
          }
        }
      }
      out += "\n     because: " + (proposal.reasons.first?.because ?? "")
      if !quotes.isEmpty { out += "\n     from: " + quotes.joined(separator: "; ") }
    }
    return out
  }

  /// `:last [ID]`: what the customer said to the question last time. A Check question is
  /// matched by the promise it checks, since `check_N` numbering starts again each meeting.
  func last(_ argument: String) -> String {
    guard let id = argument.isEmpty ? session.current : argument else {
      return "usage: :last ID (no question is open)"
    }
    guard session.index.question(id) != nil else {
      let ids = session.index.guide.questions.map(\.id)
      return "no question '\(TerminalSafe.neutralize(id))'\(Suggestion.didYouMean(id, in: ids))"
    }
    guard let named = journal.header.customer?.name else {
      return "no customer is named, so there is no earlier interview (name them with --customer)"
    }
    let who = TerminalSafe.neutralize(named)
    guard let customer, !customer.meetings.isEmpty else {
      return "no earlier interview with \(who): this is the first"
    }
    let earlier: (day: Day, text: String)?
    if let (slot, field) = FollowUpCheck.slot(of: id) {
      guard let promises = followUpPromises, slot <= promises.count else {
        return "'\(id)' checks no promise of an earlier meeting"
      }
      let promise = promises[slot - 1]
      earlier = customer.lastCheckAnswer(promise: promise.ref, field: field)
      guard let earlier else {
        return "promise \(promise.ref) was not checked before this meeting, so '\(id)' has no "
          + "earlier answer"
      }
      return "last check of this promise (\(earlier.day)), \(id): "
        + "\"\(TerminalSafe.neutralize(earlier.text))\""
    }
    earlier = customer.lastAnswer(id)
    guard let earlier else {
      return "'\(id)' was not answered in the \(customer.meetings.count) earlier "
        + "interview\(customer.meetings.count == 1 ? "" : "s") with \(who)"
    }
    return "last time (\(earlier.day)), \(id): \"\(TerminalSafe.neutralize(earlier.text))\""
  }

  /// The promises of earlier meetings this one checks, in the order of its `check_N` questions.
  private var followUpPromises: [PromiseRecord]? { journal.header.followUp?.promises }

  /// The proposals and promises of the interview, for the summary at the end.
  func endSummary() -> String {
    var out = ""
    let proposals = session.state.proposals
    if !proposals.isEmpty {
      out += "\nproposed by the rules (\(proposals.count)):"
      for proposal in proposals {
        out += "\n  \(proposal.phase ?? ""): \(proposal.text ?? "")"
      }
    }
    let promises = session.state.promises.compactMap {
      PromiseRecord(
        event: $0, interview: journal.header.id, made: session.index.today.description)
    }
    out +=
      promises.isEmpty
      ? "\nno promises made"
      : "\npromises (\(promises.count)):"
    for promise in promises {
      out += "\n  \(promise.number). \(promise.text) (\(promise.terms))"
    }
    // An `:end` before the Check part was through leaves those promises open: said, not hidden.
    let unchecked = (followUpPromises ?? []).enumerated().filter {
      session.state.answers[FollowUpCheck.statusID($0.offset + 1)] == nil
    }
    if !unchecked.isEmpty {
      out += "\nnot checked, so still open for the next meeting (\(unchecked.count)):"
      for (_, promise) in unchecked { out += "\n  \(promise.ref). \(promise.text)" }
    }
    return out
  }
}
