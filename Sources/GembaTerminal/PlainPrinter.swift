import GembaCore

/// Prints an interview as plain lines, for pipes and dumb terminals: no colour, no cursor
/// movement, and every piece of text that came from a person or a file neutralised first.
public struct PlainPrinter {
  public init() {}

  public func question(_ view: QuestionView) -> String {
    var out = "[\(safe(view.section))] \(view.id): \(safe(view.prompt))\n"
    for choice in view.choices {
      out += "  \(choice.number)) \(choice.value): \(safe(choice.label))\n"
    }
    let expectation = view.expectation
    if !expectation.isEmpty { out += "  (\(safe(expectation)))\n" }
    if let earlier = view.earlierAnswer {
      out += "  (answered: \(safe(earlier)); Enter keeps it, or type a new answer)\n"
    }
    return out
  }

  public func message(_ message: SessionMessage) -> String {
    switch message {
    case .info(let text): return "- \(safe(text))\n"
    case .warning(let text): return "! \(safe(text))\n"
    case .hint(let text): return "hint: \(safe(text))\n"
    case .probe(let text): return "probe: \(safe(text))\n"
    case .help(let lines): return lines.map { "  \(safe($0))\n" }.joined()
    case .outline(let lines):
      return lines.map { line in
        switch line.status {
        case .section: return "\(safe(line.text))\n"
        default: return "  [\(line.status.rawValue)] \(safe(line.text))\n"
        }
      }.joined()
    }
  }

  private func safe(_ text: String) -> String { TerminalSafe.neutralize(text) }
}
