extension A3Report {
  /// The report as Markdown that pastes cleanly into a CRM note or a wiki: headings, bold labels
  /// and lists only (no tables, no HTML), every answer escaped so it reads as said.
  public func markdown() -> String {
    var out = "# A3: \(ReportEscaping.markdown(title))\n"
    if !isFinished {
      out += "\n*The interview has not ended: this is what was said so far.*\n"
    }
    out += "\n## Background\n\n"
    out += background.map { Self.markdownLine($0) }.joined()
    out += "\n## Current condition\n"
    if currentCondition.isEmpty { out += "\nNothing was said with the customer yet.\n" }
    for group in currentCondition {
      out += "\n### \(ReportEscaping.markdown(group.title))\n\n"
      out += group.items.map { Self.markdownLine($0) }.joined()
    }
    if !notes.isEmpty {
      out += "\n### Notes\n\n"
      out += notes.map { "- \(ReportEscaping.markdown($0, indent: 2))\n" }.joined()
    }
    out += "\n## Target\n\n"
    out += Self.markdownList(target, empty: "No purpose or measure was named.")
    out += "\n## Analysis\n"
    if !forces.isEmpty {
      out += "\n### The forces, as the interviewer heard them\n\n"
      for force in forces {
        let levels = force.assessed.map { ReportEscaping.markdown($0.text) }
        let level = levels.isEmpty ? "not assessed" : levels.joined(separator: "; ")
        out += "- **\(force.name):** \(level)\n"
        for quote in force.quotes where !quote.text.isEmpty {
          out += "  - \(ReportEscaping.markdown(Self.quoted(quote.text), indent: 4))\n"
        }
      }
    }
    for group in analysis {
      out += "\n### \(ReportEscaping.markdown(group.title))\n\n"
      out += group.items.map { Self.markdownLine($0) }.joined()
    }
    if forces.isEmpty && analysis.isEmpty { out += "\nNo assessment was recorded.\n" }
    out += "\n## Countermeasures and plan\n\n"
    if nextSteps.isEmpty && promises.isEmpty && plan.isEmpty {
      out += "No next step was agreed.\n"
    }
    for (number, step) in nextSteps.enumerated() {
      out += "\(number + 1). \(ReportEscaping.markdown(step.text, indent: 3))\n"
    }
    if !promises.isEmpty {
      out += nextSteps.isEmpty ? "**Promises:**\n\n" : "\n**Promises:**\n\n"
      for promise in promises {
        out += "- \(ReportEscaping.markdown(promise.text, indent: 2))"
        let facts = Self.promiseFacts(promise)
        if !facts.isEmpty { out += " (\(ReportEscaping.markdown(facts)))" }
        out += "\n"
      }
    }
    if !plan.isEmpty {
      out += "\n"
      out += plan.map { Self.markdownLine($0) }.joined()
    }
    out += "\n## Follow-up\n\n"
    out += Self.markdownList(followUp, empty: "Nothing to check was set.")
    if !outcomes.isEmpty {
      out += "\n**Outcome:**\n\n"
      for outcome in outcomes {
        out += "- \(ReportEscaping.markdown(outcome.status))"
        if let text = outcome.text, !text.isEmpty {
          out += ": \(ReportEscaping.markdown(text, indent: 2))"
        }
        out += " (\(ReportEscaping.markdown(Self.signature(outcome.by, outcome.t))))\n"
      }
    }
    if let comments {
      out += "\n## Coach comments\n\n"
      if comments.isEmpty { out += "No comments yet.\n" }
      for comment in comments {
        var label = comment.kind.map { "\($0)" } ?? "comment"
        if let q = comment.q { label += " at \(q)" }
        out +=
          "- **\(ReportEscaping.markdown(label)):** \(ReportEscaping.markdown(comment.text, indent: 2))"
        out += " (\(ReportEscaping.markdown(Self.signature(comment.by, comment.t))))\n"
      }
    }
    out += "\n*From \(ReportEscaping.markdown(transcript)).*\n"
    return out
  }

  private static func markdownList(_ items: [Item], empty: String) -> String {
    items.isEmpty ? "\(empty)\n" : items.map { markdownLine($0) }.joined()
  }

  private static func markdownLine(_ item: Item) -> String {
    var line = "- "
    // A field reads on one line (`Customer: ACME`); a question stands above its answer.
    let inline = item.q == nil
    if !item.label.isEmpty {
      line += "**\(ReportEscaping.markdown(item.label, indent: 2))\(inline ? ":" : "")**"
    }
    if !item.text.isEmpty {
      line += item.label.isEmpty ? "" : inline ? " " : "  \n  "
      line += ReportEscaping.markdown(item.text, indent: 2)
    }
    if !item.detail.isEmpty {
      line += item.text.isEmpty ? " " : "  \n  "
      line +=
        "*" + item.detail.map { ReportEscaping.markdown($0, indent: 2) }.joined(separator: "; ")
        + "*"
    }
    return line + "\n"
  }

  /// The words in quotation marks, unless the interviewer already put them in some.
  static func quoted(_ text: String) -> String {
    let marks: Set<Character> = ["\"", "“", "”", "„", "«", "»", "'", "‘", "’"]
    if let first = text.first, let last = text.last, marks.contains(first), marks.contains(last) {
      return text
    }
    return "“\(text)”"
  }

  /// `owner: Anna; due: 2026-12-04; answer: yes-if (a signed NDA)`.
  static func promiseFacts(_ promise: InterviewRecord.Promise) -> String {
    var facts: [String] = []
    if let owner = promise.owner { facts.append("owner: \(owner)") }
    if let due = promise.due { facts.append("due: \(due)") }
    if let rule = promise.rule { facts.append("proposed by the rule '\(rule)'") }
    if let answer = promise.answer {
      var said = "answer: \(answer)"
      if let conditions = promise.conditions, !conditions.isEmpty { said += " (\(conditions))" }
      facts.append(said)
    }
    return facts.joined(separator: "; ")
  }

  /// `Dana, 2026-11-27 09:12 UTC`.
  static func signature(_ by: String?, _ t: String) -> String {
    let when = "\(t.prefix(10)) \(t.dropFirst(11).prefix(5)) UTC"
    return by.map { "\($0), \(when)" } ?? when
  }
}
