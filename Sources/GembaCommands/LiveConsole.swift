import Foundation
import GembaCore
import GembaTerminal

/// The console for a person at a terminal: libedit line editing, a prompt that shows where the
/// interview stands, questions wrapped to the terminal, colour only where welcome.
final class LiveConsole: InterviewConsole {
  let stopsOnInterrupt = false
  let endReason = "Ctrl-D: paused at the terminal"
  private let editor: LineEditor
  private let colored: Bool
  private let index: GuideIndex
  private var prefill = ""
  private var current: QuestionView?
  private let history: CommandHistory

  init(editor: LineEditor, index: GuideIndex, colored: Bool, history: CommandHistory) {
    self.editor = editor
    self.index = index
    self.colored = colored
    self.history = history
    editor.load(history: history.lines)
    editor.completer = { [weak self] before in self?.completions(before) ?? [] }
  }

  // MARK: Showing

  func show(_ view: QuestionView, status: InterviewStatus) {
    current = view
    let width = TerminalInfo.columns()
    var out = "\n"
    let part =
      switch view.part {
      case .before: "before the call"
      case .customer: "with the customer"
      case .after: "after the call"
      }
    out +=
      paint(
        TextWrap.wrap("\(safe(view.section)) · \(part)", width: width - 1).joined(separator: "\n"),
        "2") + "\n"
    let marker = view.isAssessment && !status.sharing ? " (your assessment)" : ""
    let lines = TextWrap.wrap(safe(view.prompt) + marker, width: width - 1)
    out += lines.map { paint($0, "1") }.joined(separator: "\n") + "\n"
    for choice in view.choices {
      let number = paint(String(choice.number).leftPadded(to: 3), "36")
      let label = TextWrap.wrap(safe(choice.label), width: width - 6, indent: "      ")
      out += "\(number)  \(label.first?.dropFirst(6) ?? "")\n"
      for more in label.dropFirst() { out += more + "\n" }
    }
    var notes: [String] = []
    if !view.expectation.isEmpty && view.choices.isEmpty { notes.append(view.expectation) }
    if !status.sharing {
      if view.hasHint { notes.append("hint: Alt-h") }
      if view.probesLeft > 0 {
        notes.append("\(view.probesLeft) probe\(view.probesLeft == 1 ? "" : "s"): Alt-p")
      }
    }
    if !notes.isEmpty {
      let wrapped = TextWrap.wrap(notes.joined(separator: " · "), width: width - 1)
      out += paint(wrapped.joined(separator: "\n"), "2") + "\n"
    }
    if let earlier = view.earlierAnswer {
      let wrapped = TextWrap.wrap("answered: \(safe(earlier)) (Enter keeps it)", width: width - 1)
      out += paint(wrapped.joined(separator: "\n"), "2") + "\n"
    }
    Console.out(out)
  }

  func show(_ message: SessionMessage, status: InterviewStatus) {
    let width = TerminalInfo.columns() - 1
    switch message {
    case .info(let text):
      Console.out(
        paint(TextWrap.wrap("· " + safe(text), width: width).joined(separator: "\n"), "2") + "\n")
    case .warning(let text):
      Console.out(
        paint(TextWrap.wrap("! " + safe(text), width: width).joined(separator: "\n"), "33") + "\n")
    case .hint(let text):
      if status.sharing {
        Console.out(paint("· hints are hidden while the screen is shared", "2") + "\n")
      } else {
        Console.out(
          paint(TextWrap.wrap("hint: " + safe(text), width: width).joined(separator: "\n"), "36")
            + "\n")
      }
    case .probe(let text):
      Console.out(
        paint(TextWrap.wrap("probe: " + safe(text), width: width).joined(separator: "\n"), "35")
          + "\n")
    case .help(let lines):
      var out = lines.map { "  " + safe($0) }.joined(separator: "\n") + "\n"
      out += "  keys: " + LineEditor.keys.map { "\($0.2) \($0.0.rawValue)" }.joined(separator: ", ")
      out += "; Ctrl-C clears the line; Ctrl-D pauses; Alt-Enter or a final \\ breaks the line\n"
      out +=
        "  :share on|off  hide coaching while the customer sees the screen; :reload  re-read the guide\n"
      Console.out(paint(out, "2"))
    case .outline(let lines):
      var out = ""
      for line in lines {
        switch line.status {
        case .section: out += paint(safe(line.text), "1") + "\n"
        case .current: out += paint("  ▸ \(safe(line.text))", "1;36") + "\n"
        case .answered: out += "  ✓ \(safe(line.text))\n"
        case .covered: out += "  ~ \(safe(line.text)) (covered)\n"
        case .skipped: out += paint("  – \(safe(line.text)) (skipped)", "33") + "\n"
        case .toCome: out += paint("  · \(safe(line.text))", "2") + "\n"
        case .passedOver: out += paint("    \(safe(line.text)) (passed over)", "2") + "\n"
        case .offPath: out += paint("  ✗ \(safe(line.text)) (off the path)", "2") + "\n"
        }
      }
      Console.out(out)
    }
  }

  func say(_ text: String) {
    // The lines of a list wrapped to the terminal, each continuation indented under its text.
    let width = TerminalInfo.columns() - 1
    var out: [String] = []
    for line in safe(text, keepingNewlines: true).split(
      separator: "\n", omittingEmptySubsequences: false)
    {
      let lead = String(line.prefix { $0 == " " })
      // A line that names a file (`gemba resume PATH`) stays whole, so the command can be
      // copied in one piece; every other line is wrapped at spaces.
      if lead.isEmpty && line.split(separator: " ").contains(where: { $0.contains("/") }) {
        out.append(String(line))
        continue
      }
      let body = String(line.dropFirst(lead.count))
      let hang = lead + "   "
      let wrapped = TextWrap.wrap(body, width: width, indent: hang)
      guard let first = wrapped.first else {
        out.append(String(line))
        continue
      }
      out.append(lead + first.dropFirst(hang.count))
      out += wrapped.dropFirst()
    }
    Console.out(paint(out.joined(separator: "\n"), "2") + "\n")
  }

  // MARK: Reading

  func read(prompt: String) -> ConsoleInput {
    while true {
      switch editor.readLine(prompt: paint(prompt, "36")) {
      case .endOfInput: return .end
      case .interrupted:
        Console.out(paint("· line cleared (Ctrl-D pauses the interview)", "2") + "\n")
      case .line(let line):
        history.add(line)
        return .line(line)
      case .action(let action, _):
        // The single keys of the questions mean nothing here but skip.
        if action == .skip { return .line(":skip") }
      }
    }
  }

  func read(status: InterviewStatus) -> ConsoleInput {
    while true {
      let input = editor.readLine(prompt: prompt(status), prefill: prefill)
      prefill = ""
      switch input {
      case .endOfInput:
        return .end
      case .interrupted:
        Console.out(paint("· line cleared (Ctrl-D pauses the interview)", "2") + "\n")
        continue
      case .line(var line):
        // A line ending in a backslash goes on, as in a pipe.
        while line.hasSuffix("\\") {
          line.removeLast()
          guard case .line(let more) = editor.readLine(prompt: paint("  … ", "2")) else { break }
          line += "\n" + more
        }
        editor.remember(line)
        history.add(line)
        return .line(line)
      case .action(let action, let pending):
        prefill = pending
        switch action {
        case .hint: return .line(":hint")
        case .probe: return .line(":probe")
        case .back: return .line(":back")
        case .skip: return .line(":skip")
        case .note:
          guard case .line(let note) = editor.readLine(prompt: paint("note › ", "36")),
            !note.trimmingCharacters(in: .whitespaces).isEmpty
          else { continue }
          history.add(":note")
          return .line(":note \(note)")
        }
      }
    }
  }

  /// `Purpose · 2 left, 4 sections ahead · 3:05/10m · 12/45m ›`, turning yellow when the
  /// section runs over its budget and red when the meeting runs over its length.
  ///
  /// On a narrow terminal the prompt gives up words, least needed first (the sections ahead,
  /// then the section's name), so it never fills the line the answer is typed on.
  private func prompt(_ status: InterviewStatus) -> String {
    var color = "2"
    var clock =
      "\(status.sectionSeconds / 60):\(String(format: "%02d", status.sectionSeconds % 60))"
    if let budget = status.sectionBudgetMinutes {
      clock += "/\(budget)m"
      if status.sectionSeconds > budget * 60 { color = "33" }
    }
    var times = [clock]
    if let minutes = status.meetingMinutes {
      times.append("\(status.totalSeconds / 60)/\(minutes)m")
      if status.totalSeconds > minutes * 60 { color = "31" }
    }
    if status.sharing { times.append("shared") }
    let ahead =
      status.sectionsAhead == 0 ? "last section" : "\(status.sectionsAhead) sections ahead"
    let left = "\(status.leftInSection) left"
    let section = safe(status.section)
    let candidates = [
      ["\(section) · \(left), \(ahead)"] + times,
      ["\(section) · \(left)"] + times,
      [left] + times,
    ].map { $0.joined(separator: " · ") }
    // Room for at least a few words of answer after the prompt.
    let room = max(16, TerminalInfo.columns() - 20)
    let chosen =
      candidates.first { DisplayWidth.of($0) <= room } ?? candidates[candidates.count - 1]
    return paint(chosen, color) + " › "
  }

  // MARK: Completion

  private func completions(_ before: String) -> [String] {
    let words = before.split(separator: " ", omittingEmptySubsequences: false).map(String.init)
    let ids = index.guide.questions.map(\.id)
    if words.count <= 1 {
      if before.hasPrefix(":") {
        return InterviewSession.commands.map { ":" + $0.name } + [":share", ":reload"]
      }
      return current?.choices.map(\.value) ?? []
    }
    switch words[0] {
    case ":goto":
      return ids + index.guide.sections.map(\.slug)
    case ":edit", ":covered":
      return words.count == 2 ? ids : []
    case ":file":
      return words.count == 3 ? ids : []
    case ":tag":
      if words.count == 2 { return (BuiltInTags.all + index.guide.header.declaredTags).sorted() }
      return words.count == 3 ? ids : []
    case ":share":
      return ["on", "off"]
    default:
      if before.hasPrefix(":") { return [] }
      // A choices answer: complete the word after the last comma.
      return current?.choices.map(\.value) ?? []
    }
  }

  // MARK: Text

  private func safe(_ text: String, keepingNewlines: Bool = false) -> String {
    TerminalSafe.neutralize(text, keepingNewlines: keepingNewlines)
  }

  private func paint(_ text: String, _ code: String) -> String {
    colored ? "\u{1B}[\(code)m\(text)\u{1B}[0m" : text
  }
}

/// The saved line history: commands only, never what a customer said.
///
/// Answers and notes are confidential, so only command names and ids are kept (`:goto purpose`,
/// `:edit budget`), never their free text (`:note …`, `:skip <reason>`, `:asked …`). The file is
/// private (0600) and replaced whole through a temporary file, so a closed terminal cannot leave
/// it half written.
final class CommandHistory {
  private let path: String
  private(set) var lines: [String]
  private let limit = 500

  init(path: String) {
    self.path = path
    let text = (try? String(contentsOfFile: path, encoding: .utf8)) ?? ""
    lines = text.split(separator: "\n").map(String.init).filter { $0.hasPrefix(":") }
  }

  /// Where the history lives: `$XDG_STATE_HOME/gemba/history`, by default
  /// `~/.local/state/gemba/history`.
  static func defaultPath(environment: [String: String] = ProcessInfo.processInfo.environment)
    -> String
  {
    let state =
      environment["XDG_STATE_HOME"].flatMap { $0.isEmpty ? nil : $0 }
      ?? (NSHomeDirectory() + "/.local/state")
    return state + "/gemba/history"
  }

  /// Keeps the command part of `line`; answers are not kept at all.
  func add(_ line: String) {
    guard let kept = Self.sanitize(line) else { return }
    if lines.last != kept { lines.append(kept) }
    if lines.count > limit { lines.removeFirst(lines.count - limit) }
    save()
  }

  /// The part of `line` that may be kept: nil for an answer; a command without its free text.
  static func sanitize(_ line: String) -> String? {
    let trimmed = line.trimmingCharacters(in: .whitespaces)
    guard trimmed.hasPrefix(":"), !trimmed.hasPrefix("::") else { return nil }
    let words = trimmed.split(separator: " ").map(String.init)
    guard let name = words.first else { return nil }
    switch name {
    case ":goto", ":edit", ":covered", ":tag", ":share":
      // An id, a section or a tag names the guide, not the customer.
      return words.prefix(name == ":tag" ? 3 : 2).joined(separator: " ")
    case ":file":
      return words.prefix(3).joined(separator: " ")
    default:
      return name
    }
  }

  private func save() {
    let folder = (path as NSString).deletingLastPathComponent
    try? FileManager.default.createDirectory(
      atPath: folder, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
    let temporary = path + ".tmp-\(getpid())"
    let text = lines.joined(separator: "\n") + "\n"
    guard
      FileManager.default.createFile(
        atPath: temporary, contents: Data(text.utf8), attributes: [.posixPermissions: 0o600])
    else { return }
    let descriptor = open(temporary, O_RDONLY)
    if descriptor >= 0 {
      fsync(descriptor)
      close(descriptor)
    }
    if rename(temporary, path) != 0 { unlink(temporary) }
  }
}

extension String {
  fileprivate func leftPadded(to width: Int) -> String {
    String(repeating: " ", count: max(0, width - count)) + self
  }
}
