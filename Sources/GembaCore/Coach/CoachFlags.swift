import Foundation

/// A coaching flag placed in the transcript: a proposal of the coach's rules, at the events it
/// points to.
public struct CoachFlag: Sendable, Equatable {
  public var proposal: Proposal
  /// The events (numbered as comments name them) the flag is about: the answers its rules read,
  /// the salesperson's own questions it found, or 0 for the interview as a whole.
  public var events: [Int]
}

/// Places coaching flags and compares proposals then and now, over a ``ReplayTimeline``.
public enum CoachFlags {
  /// The coach's rules' proposals for the whole interview, each placed at the events it points
  /// to, in transcript order.
  public static func flags(_ rules: RuleSet, timeline: ReplayTimeline) -> [CoachFlag] {
    let state = timeline.finalState
    let proposals = rules.prepared(for: timeline.index).propose(state: state)
    var flags: [CoachFlag] = []
    for proposal in proposals {
      var events: [Int] = []
      for reason in proposal.reasons {
        for evidence in reason.evidence {
          if let asked = ownQuestionsRead(by: evidence.condition) {
            let before: String? = if case .before(let id) = asked { id } else { nil }
            let condition = parsedCondition(evidence.condition)
            for question in state.ownQuestions(before: before)
            where condition.map({ holds($0, forOwnQuestion: question.text) }) ?? true {
              let position = question.event - 1
              if timeline.numbers.indices.contains(position) {
                events.append(timeline.numbers[position])
              }
            }
            continue
          }
          for quote in evidence.answers {
            if let position = lastEvent(about: quote.question, in: timeline) {
              events.append(timeline.numbers[position])
            }
          }
        }
      }
      let placed = Array(Set(events)).sorted()
      flags.append(CoachFlag(proposal: proposal, events: placed.isEmpty ? [0] : placed))
    }
    return flags.sorted {
      ($0.events.first ?? 0, $0.proposal.text) < ($1.events.first ?? 0, $1.proposal.text)
    }
  }

  /// The condition as written, parsed again, to test it on one own question at a time.
  private static func parsedCondition(_ text: String) -> Expression? {
    let start = SourceLocation(path: "<evidence>", line: 1, column: 1)
    if case .success(let expression) = ExpressionParser.parse(Substring(text), at: start) {
      return expression
    }
    return nil
  }

  /// Whether `condition` holds when `text` is the only question of the salesperson's own, so a
  /// flag points at the questions that raised it, not at every one.
  private static func holds(_ condition: Expression, forOwnQuestion text: String) -> Bool {
    struct OneQuestion: EvaluationContext {
      var text: String
      func state(of id: String) -> QuestionState { .unasked }
      func computed(_ name: String) -> Value? { nil }
      func answers(taggedWith tag: String) -> [RecordedAnswer] { [] }
      func ownQuestions(before id: String?) -> [String] { [text] }
    }
    return Evaluator(context: OneQuestion(text: text)).holds(condition)
  }

  private enum OwnQuestionsRead {
    case all
    case before(String)
  }

  /// Whether a condition reads the salesperson's own questions: `asked()` (all of them) or
  /// `asked_before(ID)`.
  private static func ownQuestionsRead(by condition: String) -> OwnQuestionsRead? {
    if condition.contains("asked()") { return .all }
    guard let start = condition.range(of: "asked_before(") else { return nil }
    let rest = condition[start.upperBound...]
    guard let close = rest.firstIndex(of: ")") else { return nil }
    return .before(String(rest[..<close]).trimmingCharacters(in: .whitespaces))
  }

  /// The last event that answered, revised, skipped or showed question `id`.
  private static func lastEvent(about id: String, in timeline: ReplayTimeline) -> Int? {
    let state = timeline.finalState
    let canonical = state.currentID(id) ?? id
    var shown: Int?
    for position in timeline.events.indices.reversed() {
      let event = timeline.events[position]
      guard let q = event.q, (state.currentID(q) ?? q) == canonical else { continue }
      switch event.type {
      case .answer, .edit, .skip, .covered: return position
      case .shown: shown = shown ?? position
      default: continue
      }
    }
    return shown
  }

  /// The proposals recorded in the transcript, beside what the rules propose now for the same
  /// answers.
  public static func compare(_ rules: RuleSet, timeline: ReplayTimeline) -> ProposalComparison {
    var recorded: [(number: Int, event: TranscriptEvent)] = []
    for (position, event) in timeline.events.enumerated() where event.type == .proposal {
      recorded.append((timeline.numbers[position], event))
    }
    // The answers as they stood when the last proposals were recorded, or at the end when none
    // were.
    let lastPosition = timeline.events.lastIndex { $0.type == .proposal }
    let state =
      lastPosition.map { timeline.state(afterEvents: $0 + 1) } ?? timeline.finalState
    let now = rules.prepared(for: timeline.index).propose(state: state)
    var entries: [ProposalComparison.Entry] = []
    var matched = Set<Int>()
    for (number, event) in recorded {
      let ruleIDs = Set((event.rule ?? "").split(separator: ",").map(String.init))
      let text = event.text ?? ""
      if let same = now.indices.first(where: {
        !matched.contains($0) && TextFolding.words(now[$0].text) == TextFolding.words(text)
      }) {
        matched.insert(same)
        entries.append(.init(change: .same, then: event, thenEvent: number, now: now[same]))
      } else if let sameRule = now.indices.first(where: {
        !matched.contains($0) && !ruleIDs.isDisjoint(with: now[$0].rules)
      }) {
        matched.insert(sameRule)
        entries.append(.init(change: .reworded, then: event, thenEvent: number, now: now[sameRule]))
      } else {
        entries.append(.init(change: .gone, then: event, thenEvent: number, now: nil))
      }
    }
    for index in now.indices where !matched.contains(index) {
      entries.append(.init(change: .new, then: nil, thenEvent: nil, now: now[index]))
    }
    let hashes = Set(recorded.compactMap { $0.event.rulesHash })
    return ProposalComparison(
      entries: entries, recordedCount: recorded.count, rulesHashThen: hashes.sorted(),
      rulesHashNow: rules.hash)
  }
}

/// Proposals recorded during an interview beside the current rules' proposals for the same
/// answers.
public struct ProposalComparison: Sendable, Equatable {
  public enum Change: String, Sendable, Equatable {
    /// Proposed then and now, in the same words.
    case same
    /// The same rule proposes it now in other words.
    case reworded
    /// Proposed then, not now.
    case gone
    /// Proposed now, not then.
    case new
  }

  public struct Entry: Sendable, Equatable {
    public var change: Change
    public var then: TranscriptEvent?
    public var thenEvent: Int?
    public var now: Proposal?
  }

  public var entries: [Entry]
  public var recordedCount: Int
  /// The hashes of the rules in force when the proposals were recorded.
  public var rulesHashThen: [String]
  public var rulesHashNow: String
}
