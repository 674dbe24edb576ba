import Foundation

/// The proposals for one interview, with what a reader needs to place them.
public struct ProposalReport: Sendable, Codable {
  /// The transcript the interview was read from.
  public var transcript: String
  public var customer: String?
  public var guide: String
  public var method: String?
  /// The interview's day.
  public var day: String
  /// SHA-256 of the rule files used.
  public var rulesHash: String
  /// How many rules apply to the interview's guide.
  public var rulesConsidered: Int
  public var proposals: [Proposal]

  public init(
    transcript: String, customer: String?, guide: String, method: String?, day: String,
    rulesHash: String, rulesConsidered: Int, proposals: [Proposal]
  ) {
    self.transcript = transcript
    self.customer = customer
    self.guide = guide
    self.method = method
    self.day = day
    self.rulesHash = rulesHash
    self.rulesConsidered = rulesConsidered
    self.proposals = proposals
  }
}

/// Renders proposals and rule explanations for people (plain text, Markdown) and programs (JSON).
/// Pure: the caller neutralises nothing, since every piece of text from a person or a file is
/// made safe here before it is placed.
public struct ProposalRenderer: Sendable {
  /// The width to wrap plain text to.
  public var width: Int

  public init(width: Int = 80) {
    self.width = max(width, 40)
  }

  // MARK: Text

  /// The proposals of each report as plain text, grouped by phase.
  public func text(_ reports: [ProposalReport]) -> String {
    reports.map(text).joined(separator: "\n")
  }

  public func text(_ report: ProposalReport) -> String {
    var out = safe(report.transcript) + "\n"
    out +=
      [report.customer.map(safe), safe(report.guide), report.day].compactMap { $0 }
      .joined(separator: " · ") + "\n"
    let count = report.proposals.count
    out += wrap(
      "\(count) \(count == 1 ? "proposal" : "proposals") from \(report.rulesConsidered) "
        + "rules. Suggestions only: agree next steps with the customer.", indent: "")
    var number = 0
    for phase in Phase.allCases {
      let group = report.proposals.filter { $0.phase == phase }
      guard !group.isEmpty else { continue }
      out += "\n\(phase.title)\n"
      for proposal in group {
        number += 1
        let lead = "  \(number). "
        let hang = String(repeating: " ", count: lead.count)
        let act = proposal.act.map { "(\($0.rawValue)) " } ?? ""
        let rules = proposal.reasons.map { "\($0.rule) \($0.priority)" }.joined(separator: ", ")
        out += wrap(act + safe(proposal.text) + " [\(rules)]", lead: lead, indent: hang)
        var timing: [String] = []
        if let owner = proposal.owner { timing.append("owner: \(safe(owner))") }
        if let due = proposal.due { timing.append("due: \(safe(due))") }
        if !timing.isEmpty {
          out += wrap(timing.joined(separator: " · "), lead: hang, indent: hang)
        }
        for reason in proposal.reasons {
          let named = proposal.reasons.count > 1 ? " (\(reason.rule))" : ""
          let source = reason.source.map { " Source: \(safe($0))." } ?? ""
          out += wrap(
            "because\(named): \(safe(reason.because))\(source)", lead: hang, indent: hang + "  ")
          for evidence in reason.evidence {
            let answers = evidence.answers.map { safe($0.summary) }.joined(separator: ", ")
            out += wrap(
              "evidence: \(safe(evidence.condition))" + (answers.isEmpty ? "" : " — \(answers)"),
              lead: hang + "  ", indent: hang + "    ")
          }
        }
      }
    }
    return out
  }

  // MARK: Markdown

  public func markdown(_ reports: [ProposalReport]) -> String {
    reports.map(markdown).joined(separator: "\n")
  }

  public func markdown(_ report: ProposalReport) -> String {
    let who = report.customer.map { md($0) + ": " } ?? ""
    var out = "## \(who)\(md(report.guide)), \(report.day)\n\n"
    out += "`\(code(report.transcript))` · \(report.proposals.count) proposals from "
    out += "\(report.rulesConsidered) rules · suggestions, not decisions\n"
    for phase in Phase.allCases {
      let group = report.proposals.filter { $0.phase == phase }
      guard !group.isEmpty else { continue }
      out += "\n### \(phase.title)\n\n"
      for (offset, proposal) in group.enumerated() {
        let act = proposal.act.map { "(\($0.rawValue)) " } ?? ""
        let rules = proposal.reasons.map { "`\($0.rule)` \($0.priority)" }.joined(separator: ", ")
        out += "\(offset + 1). \(act)**\(md(proposal.text))** (\(rules))\n"
        var timing: [String] = []
        if let owner = proposal.owner { timing.append("owner: \(md(owner))") }
        if let due = proposal.due { timing.append("due: \(md(due))") }
        if !timing.isEmpty { out += "   - \(timing.joined(separator: "; "))\n" }
        for reason in proposal.reasons {
          let named = proposal.reasons.count > 1 ? " (`\(reason.rule)`)" : ""
          let source = reason.source.map { " *Source: \(md($0)).*" } ?? ""
          out += "   - because\(named): \(md(reason.because))\(source)\n"
          for evidence in reason.evidence {
            let answers = evidence.answers.map { md($0.summary) }.joined(separator: ", ")
            out += "     - evidence: `\(code(evidence.condition))`"
            out += answers.isEmpty ? "\n" : " — \(answers)\n"
          }
        }
      }
    }
    return out
  }

  // MARK: JSON

  /// The reports as JSON: every field, for programs.
  public static func json(_ reports: [ProposalReport]) -> String {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
    guard let data = try? encoder.encode(reports) else { return "[]" }
    return String(decoding: data, as: UTF8.self)
  }

  // MARK: Why

  /// A rule's evaluation tree: each condition with its truth and what it saw.
  ///
  ///     why 'trial' did not fire: Forces favour a switch (do, priority 80)
  ///       false  when all of:
  ///       true     push + pull >= anxiety + habit + 2 — push = 3, pull = 2, …
  ///       false    struggle_found is dated — struggle_found = general
  public func why(_ explanation: RuleExplanation, guide: String? = nil) -> String {
    let verdict = explanation.fired ? "fired" : "did not fire"
    var out = wrap(
      "why '\(explanation.rule)' \(verdict): \(safe(explanation.title)) "
        + "(\(explanation.phase), priority \(explanation.priority))", indent: "  ")
    if !explanation.applies {
      let names = explanation.appliesTo.map(safe).joined(separator: ", ")
      let which = guide.map { " '\(safe($0))'" } ?? ""
      out += wrap(
        "it does not apply to this interview's guide\(which); it applies to: \(names)",
        lead: "  ", indent: "    ")
    }
    if let when = explanation.when {
      out += lines(when, label: "when ", depth: 0)
    }
    for blocker in explanation.unless {
      out += lines(blocker, label: "unless ", depth: 0)
    }
    let whenHolds = explanation.when?.value ?? false
    let blocked = explanation.unless.filter(\.value)
    let conclusion: String
    if !explanation.applies {
      conclusion = "not evaluated for this guide"
    } else if explanation.fired {
      conclusion =
        explanation.unless.isEmpty
        ? "its condition holds" : "its condition holds and no 'unless' does"
    } else if !whenHolds {
      conclusion = "its condition is false"
    } else {
      conclusion = "'unless \(safe(blocked.first?.text ?? ""))' holds"
    }
    out += "  => \(conclusion)\n"
    return out
  }

  private func lines(_ node: ExplanationNode, label: String, depth: Int) -> String {
    let mark = node.value ? "true " : "false"
    let lead = "  \(mark)  " + String(repeating: "  ", count: depth)
    let hang = String(repeating: " ", count: lead.count + 4)
    var body = label + safe(node.text)
    switch node.kind {
    case .all where node.text == "all of", .any where node.text == "any of":
      body += ":"
    default:
      break
    }
    if !node.seen.isEmpty {
      body += " — " + node.seen.map(safe).joined(separator: ", ")
    }
    var out = wrap(body, lead: lead, indent: hang)
    for child in node.children {
      out += lines(child, label: "", depth: depth + 1)
    }
    return out
  }

  // MARK: Helpers

  private func safe(_ text: String) -> String { TerminalSafe.neutralize(text) }

  /// Markdown text: neutralised, with the characters that would start formatting escaped.
  private func md(_ text: String) -> String { MarkupEscape.markdown(text) }

  /// Text inside a code span: backticks would end it.
  private func code(_ text: String) -> String {
    safe(text).replacingOccurrences(of: "`", with: "'")
  }

  /// `lead` and then `text`, wrapped at word boundaries to ``width``; `lead` is kept as it is,
  /// continuation lines are indented by `indent`. Ends with a newline.
  func wrap(_ text: String, lead: String = "", indent: String) -> String {
    var lines: [String] = []
    var line = lead
    var lineWidth = DisplayWidth.of(lead)
    var empty = true
    for word in text.split(separator: " ") {
      let wordWidth = DisplayWidth.of(String(word))
      if !empty, lineWidth + 1 + wordWidth > width {
        lines.append(line)
        line = indent + word
        lineWidth = DisplayWidth.of(indent) + wordWidth
      } else {
        if !empty {
          line += " "
          lineWidth += 1
        }
        line += word
        lineWidth += wordWidth
      }
      empty = false
    }
    lines.append(line)
    return lines.joined(separator: "\n") + "\n"
  }
}
