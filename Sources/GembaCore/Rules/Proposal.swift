/// A next action the rules propose for one interview: a suggestion the salesperson may take up,
/// change or drop. It is never filed as a decision.
public struct Proposal: Sendable, Equatable, Codable {
  public var phase: Phase
  /// For Act: adopt, adapt or abandon.
  public var act: ActKind?
  /// The highest priority among the rules that propose it.
  public var priority: Int
  /// The action, with the answers interpolated.
  public var text: String
  /// Who is to do it, when the rule says.
  public var owner: String?
  /// When it is due, resolved against the interview's day (`2026-12-03 (+7d)`).
  public var due: String?
  /// Why: every rule that proposed this action (two rules with the same action are merged),
  /// highest priority first.
  public var reasons: [ProposalReason]

  /// The rule ids, in the order of ``reasons``.
  public var rules: [String] { reasons.map(\.rule) }

  /// `do`, `act (adapt)`: the phase as it is shown.
  public var phaseLabel: String {
    if let act { return "\(phase.rawValue) (\(act.rawValue))" }
    return phase.rawValue
  }

  /// The `proposal` event that records it in a transcript, so a coach can compare the rules'
  /// suggestions then and now. The event records a suggestion, not a decision.
  public func event(at moment: Moment, rulesHash: String) -> TranscriptEvent {
    var event = TranscriptEvent(.proposal, t: moment.t, ms: moment.ms)
    event.rule = rules.joined(separator: ",")
    event.rulesHash = rulesHash
    event.phase = phaseLabel
    event.text = text
    return event
  }
}

/// One rule's part in a proposal: the rule, its reasoning and the answers that made it fire.
public struct ProposalReason: Sendable, Equatable, Codable {
  public var rule: String
  public var title: String
  public var priority: Int
  public var because: String
  public var source: String?
  /// The rule file it comes from.
  public var file: String
  /// Each condition that was true, with the answers it read.
  public var evidence: [Evidence]
}

/// A condition that held, and the answers it read.
public struct Evidence: Sendable, Equatable, Codable {
  /// The condition as written (printed back from the expression).
  public var condition: String
  public var answers: [AnswerQuote]
}

/// One answer as evidence: the question id and what the customer said (or that it was skipped or
/// never asked).
public struct AnswerQuote: Sendable, Equatable, Codable {
  public enum State: String, Sendable, Codable {
    case answered
    /// Answered in words that could not be read as the question's kind.
    case notUnderstood = "not understood"
    case skipped
    case notAsked = "not asked"
    /// A computed value of the guide.
    case computed
  }

  public var question: String
  public var state: State
  /// The customer's own words, for an answer.
  public var raw: String?
  /// The value as read, for anything but text: `3`, `dated`, `yes`, `2026-12-01`.
  public var value: String?
  /// The tag through which a tag test read the answer.
  public var tag: String?

  /// `push = 3`, `edges: "we keep a spreadsheet"`, `hypothesis: skipped`.
  public var summary: String {
    let prefix = tag.map { "#\($0) " } ?? ""
    switch state {
    case .answered, .computed:
      if let value { return "\(prefix)\(question) = \(value)" }
      return "\(prefix)\(question): \"\(raw ?? "")\""
    case .notUnderstood:
      return "\(prefix)\(question): \"\(raw ?? "")\" (not understood)"
    case .skipped:
      return "\(prefix)\(question): skipped"
    case .notAsked:
      return "\(prefix)\(question): not asked"
    }
  }
}

/// Why a rule fired or did not: its condition as a tree, each node with the truth it had and the
/// values it saw (`--why`, `--why-not`, and failing rule tests).
public struct RuleExplanation: Sendable, Codable {
  public var rule: String
  public var title: String
  public var phase: String
  public var priority: Int
  /// Whether the rule applies to the interview's guide at all.
  public var applies: Bool
  /// The guides the rule applies to, as written (empty: every guide).
  public var appliesTo: [String]
  public var fired: Bool
  public var when: ExplanationNode?
  public var unless: [ExplanationNode]
}

/// One node of a rule's evaluation tree.
public struct ExplanationNode: Sendable, Codable {
  public enum Kind: String, Sendable, Codable {
    /// An `all:` group or an `and`.
    case all
    /// An `any:` group or an `or`.
    case any
    case not
    case test
  }

  public var kind: Kind
  /// The condition as written, printed back from the expression.
  public var text: String
  public var value: Bool
  /// What the test saw: `push = 3`, `push + pull = 5`, `hypothesis: skipped`.
  public var seen: [String]
  public var children: [ExplanationNode]
}
