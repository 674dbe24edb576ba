import Foundation

/// One customer's history for `gemba history`: every interview in time order, the PDCA cycles
/// of the promises (proposed → promised → checked → adopted, adapted or abandoned), the answers
/// that changed between meetings, and the supplier-hierarchy step over time.
public struct CustomerHistory: Sendable, Codable {
  public struct Meeting: Sendable, Codable {
    public var day: String
    public var started: String
    public var guide: String
    public var interviewer: String?
    public var with: [String]
    public var finished: Bool
    public var transcript: String
    /// Promises from earlier meetings it checked.
    public var checked: Int
    /// Promises made at its end.
    public var promised: Int
    /// Proposals the rules made at its end.
    public var proposed: Int
    public var hierarchyStep: String?
  }

  public struct Change: Sendable, Codable {
    public struct Answer: Sendable, Codable {
      public var day: String
      public var text: String
    }

    public var question: String
    public var answers: [Answer]
  }

  public struct Step: Sendable, Codable {
    public var day: String
    public var step: String
  }

  public var customer: String
  public var key: String
  public var meetings: [Meeting]
  public var cycles: [CustomerRecord.Cycle]
  public var changedAnswers: [Change]
  public var hierarchy: [Step]

  public init(_ record: CustomerRecord) {
    customer = record.name
    key = record.key
    meetings = record.meetings.map { meeting in
      Meeting(
        day: meeting.day.description, started: meeting.header.started,
        guide: meeting.header.guide.title, interviewer: meeting.header.interviewer,
        with: meeting.header.with, finished: meeting.isFinished, transcript: meeting.path,
        checked: meeting.checks.count, promised: meeting.promises.count,
        proposed: meeting.state.proposals.count,
        hierarchyStep: meeting.answers(taggedWith: "supplier-hierarchy", assessment: true).first?
          .text)
    }
    cycles = record.cycles
    changedAnswers = record.changedAnswers.map { change in
      Change(
        question: change.id,
        answers: change.answers.map { Change.Answer(day: $0.day, text: $0.text) })
    }
    hierarchy = record.hierarchySteps.map { Step(day: $0.day, step: $0.step) }
  }
}

/// Renders a ``CustomerHistory`` as plain text, Markdown, HTML or JSON. Every piece of customer
/// text is neutralised for a terminal, and escaped for Markdown and HTML.
public struct CustomerHistoryRenderer: Sendable {
  public var width: Int

  public init(width: Int = 80) {
    self.width = max(width, 40)
  }

  /// `text` in double quotes, unless it is already quoted as typed.
  public static func quoted(_ text: String) -> String {
    let quotes: Set<Character> = ["\"", "\u{201C}", "\u{201D}"]
    if text.count >= 2, let first = text.first, let last = text.last, quotes.contains(first),
      quotes.contains(last)
    {
      return text
    }
    return "\"\(text)\""
  }

  /// The steps of one cycle, in order: `promised 2026-11-26 (customer · by … · yes)`, each check,
  /// and how it closed.
  public static func steps(_ cycle: CustomerRecord.Cycle) -> [String] {
    var steps: [String] = []
    if let rules = cycle.promise.rules, !rules.isEmpty {
      steps.append("proposed by the rules (\(rules.joined(separator: ", ")))")
    }
    steps.append("promised \(cycle.promise.made) (\(cycle.promise.terms))")
    if let replaced = cycle.promise.replaces { steps.append("replaces \(replaced)") }
    for check in cycle.checks {
      var parts: [String] = []
      if let expected = check.expected { parts.append("expected " + quoted(expected)) }
      if let happened = check.happened { parts.append("happened " + quoted(happened)) }
      if let learned = check.learned { parts.append("learned " + quoted(learned)) }
      let status = check.status.map { $0.rawValue.replacingOccurrences(of: "_", with: " ") }
      var line = "checked \(check.day): \(status ?? "not settled")"
      if let act = check.act { line += " → \(act)" }
      if !parts.isEmpty { line += "; " + parts.joined(separator: "; ") }
      if let instead = check.agreedInstead { line += "; agreed instead " + quoted(instead) }
      steps.append(line)
    }
    switch cycle.outcome {
    case .open: steps.append("open")
    case .done: steps.append("closed \(cycle.closed ?? ""): the customer declared it done")
    case .released: steps.append("closed \(cycle.closed ?? ""): the customer released it")
    case .replaced:
      steps.append("closed \(cycle.closed ?? ""): replaced by \(cycle.replacedBy ?? "")")
    case .declined: steps.append("declined: the answer was no")
    }
    return steps
  }

  private static func who(_ meeting: CustomerHistory.Meeting) -> String {
    var people = meeting.interviewer ?? "interviewer not named"
    if !meeting.with.isEmpty { people += " with " + meeting.with.joined(separator: ", ") }
    return people
  }

  private static func counts(_ meeting: CustomerHistory.Meeting) -> String {
    var parts = [meeting.finished ? "ended" : "not ended"]
    if meeting.checked > 0 { parts.append("\(meeting.checked) checked") }
    parts.append("\(meeting.proposed) proposed")
    parts.append("\(meeting.promised) promised")
    return parts.joined(separator: ", ")
  }

  // MARK: Text

  public func text(_ history: CustomerHistory) -> String {
    let safe = { (text: String) in TerminalSafe.neutralize(text) }
    let wrapper = ProposalRenderer(width: width)
    var out = "\(safe(history.customer)): \(history.meetings.count) interview"
    out += history.meetings.count == 1 ? "\n" : "s\n"
    out += "\nInterviews\n"
    for (offset, meeting) in history.meetings.enumerated() {
      out += wrapper.wrap(
        "\(meeting.day)  \(safe(meeting.guide)) · \(safe(Self.who(meeting))) · "
          + Self.counts(meeting), lead: "  \(offset + 1). ", indent: "     ")
    }
    out += "\nPDCA cycles\n"
    if history.cycles.isEmpty { out += "  no promises yet\n" }
    for cycle in history.cycles {
      out += wrapper.wrap(
        "\"\(safe(cycle.promise.text))\" [\(cycle.promise.ref)]", lead: "  - ", indent: "    ")
      for step in Self.steps(cycle) {
        out += wrapper.wrap(safe(step), lead: "      ", indent: "        ")
      }
    }
    out += "\nAnswers that changed between meetings\n"
    if history.changedAnswers.isEmpty { out += "  none\n" }
    for change in history.changedAnswers {
      out += "  \(safe(change.question))\n"
      for answer in change.answers {
        out += wrapper.wrap(
          "\(answer.day): " + Self.quoted(safe(answer.text)), lead: "    ", indent: "      ")
      }
    }
    out += "\nSupplier partnering hierarchy\n"
    if history.hierarchy.isEmpty { out += "  not recorded\n" }
    for step in history.hierarchy { out += "  \(step.day)  \(safe(step.step))\n" }
    return out
  }

  // MARK: Markdown

  public func markdown(_ history: CustomerHistory) -> String {
    let md = MarkupEscape.markdown
    var out = "# \(md(history.customer))\n\n## Interviews\n\n"
    out += "| # | day | guide | who | what came of it |\n|---|---|---|---|---|\n"
    for (offset, meeting) in history.meetings.enumerated() {
      out += "| \(offset + 1) | \(meeting.day) | \(md(meeting.guide)) | \(md(Self.who(meeting))) | "
      out += "\(Self.counts(meeting)) |\n"
    }
    out += "\n## PDCA cycles\n\n"
    if history.cycles.isEmpty { out += "No promises yet.\n" }
    for cycle in history.cycles {
      out += "- **\(md(cycle.promise.text))** (`\(cycle.promise.ref)`)\n"
      for step in Self.steps(cycle) { out += "  - \(md(step))\n" }
    }
    out += "\n## Answers that changed between meetings\n\n"
    if history.changedAnswers.isEmpty { out += "None.\n" }
    for change in history.changedAnswers {
      out += "- `\(change.question)`\n"
      for answer in change.answers { out += "  - \(answer.day): \(md(answer.text))\n" }
    }
    out += "\n## Supplier partnering hierarchy\n\n"
    if history.hierarchy.isEmpty { out += "Not recorded.\n" }
    for step in history.hierarchy { out += "- \(step.day): \(md(step.step))\n" }
    return out
  }

  // MARK: HTML

  public func html(_ history: CustomerHistory) -> String {
    let h = MarkupEscape.html
    var out = "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
    out += "<title>\(h(history.customer)): history</title>\n"
    out += "<style>body{font-family:sans-serif;max-width:60em;margin:2em auto;line-height:1.4}"
    out += "td,th{border-bottom:1px solid #ccc;padding:.2em .6em;text-align:left}</style>\n"
    out += "</head>\n<body>\n<h1>\(h(history.customer))</h1>\n<h2>Interviews</h2>\n<table>\n"
    out += "<tr><th>#</th><th>day</th><th>guide</th><th>who</th><th>what came of it</th></tr>\n"
    for (offset, meeting) in history.meetings.enumerated() {
      out += "<tr><td>\(offset + 1)</td><td>\(meeting.day)</td><td>\(h(meeting.guide))</td>"
      out += "<td>\(h(Self.who(meeting)))</td><td>\(Self.counts(meeting))</td></tr>\n"
    }
    out += "</table>\n<h2>PDCA cycles</h2>\n"
    if history.cycles.isEmpty { out += "<p>No promises yet.</p>\n" }
    for cycle in history.cycles {
      out += "<h3>\(h(cycle.promise.text))</h3>\n<ol>\n"
      for step in Self.steps(cycle) { out += "<li>\(h(step))</li>\n" }
      out += "</ol>\n"
    }
    out += "<h2>Answers that changed between meetings</h2>\n"
    if history.changedAnswers.isEmpty { out += "<p>None.</p>\n" }
    for change in history.changedAnswers {
      out += "<h3><code>\(h(change.question))</code></h3>\n<ul>\n"
      for answer in change.answers {
        out += "<li>\(answer.day): \(h(answer.text))</li>\n"
      }
      out += "</ul>\n"
    }
    out += "<h2>Supplier partnering hierarchy</h2>\n"
    if history.hierarchy.isEmpty { out += "<p>Not recorded.</p>\n" }
    if !history.hierarchy.isEmpty {
      out += "<ul>\n"
      for step in history.hierarchy { out += "<li>\(step.day): \(h(step.step))</li>\n" }
      out += "</ul>\n"
    }
    out += "</body>\n</html>\n"
    return out
  }

  // MARK: JSON

  public static func json(_ history: CustomerHistory) -> String {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
    guard let data = try? encoder.encode(history) else { return "{}" }
    return String(decoding: data, as: UTF8.self)
  }
}
