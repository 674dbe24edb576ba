import CLibedit
import CLineInput
import Foundation
import GembaCore

/// A line editor for a person at a terminal, on libedit's native API.
///
/// What it does beyond reading a line, and why:
/// - Ctrl-C clears the line and never ends anything: signal generation is off while editing and
///   ^C is a key bound to a function (a SIGINT handler racing `read(2)` loses keystrokes).
/// - Single keys (Alt-letters and F1–F5) trigger actions without losing a half-typed line: the
///   line is handed back with the action and typed in again at the next prompt.
/// - A bracketed paste of many lines stays one answer; a very large one is held outside the edit
///   buffer and shown as a placeholder, so libedit never has to redraw it.
/// - Tab completes through a caller-supplied function; Up/Down and Ctrl-R search this session's
///   lines.
/// - libedit's own signal handlers are off (EL_SIGNAL): its SIGWINCH handler reallocates the
///   display inside the handler, which corrupted the heap when a window was resized while keys
///   arrived. Keys are read by Gemba's reader (`CLineInput`), which applies a resize between
///   keys, and Ctrl-Z gives the terminal back and takes it again itself.
public final class LineEditor {
  /// What a call to ``readLine(prompt:prefill:)`` brought back.
  public enum Input: Equatable {
    case line(String)
    /// A key bound to an action; `pending` is what was typed so far, to be kept.
    case action(KeyAction, pending: String)
    /// Ctrl-C: the line was cleared.
    case interrupted
    /// Ctrl-D on an empty line, or the terminal went away.
    case endOfInput
  }

  public enum KeyAction: String, CaseIterable, Sendable {
    case hint
    case probe
    case back
    case skip
    case note
  }

  /// The keys for each action, as libedit names them: Alt-letter (ESC then the letter, as most
  /// terminals and tmux send it) and a function key.
  public static let keys: [(KeyAction, [String], String)] = [
    (.hint, ["\\eh", "\\eOP", "\\e[11~"], "Alt-h or F1"),
    (.probe, ["\\ep", "\\eOQ", "\\e[12~"], "Alt-p or F2"),
    (.back, ["\\eb", "\\eOR", "\\e[13~"], "Alt-b or F3"),
    (.skip, ["\\es", "\\eOS", "\\e[14~"], "Alt-s or F4"),
    (.note, ["\\en", "\\e[15~"], "Alt-n or F5"),
  ]

  /// Given the text before the cursor, the words that could complete its last word.
  public var completer: ((String) -> [String])?

  /// Pastes longer than this, or of more lines than `pasteLinesInline`, are held outside the
  /// edit buffer.
  public var largePaste = 2000
  public var pasteLinesInline = 12

  fileprivate let editLine: OpaquePointer
  private let history: OpaquePointer
  private var promptText: UnsafeMutablePointer<CChar>?
  fileprivate var action: KeyAction?
  fileprivate var interrupted = false
  fileprivate var pastes: [String] = []
  fileprivate var pendingPrefill: String?

  /// A marker for a line break inside an answer (Alt-Enter, or a pasted line break).
  public static let lineBreakMarker = "\u{21B5}"
  static let promptEscape: CChar = 1

  /// Starts the editor on the process's terminal; nil when it cannot start.
  public init?(program: String = "gemba") {
    // With no locale set (cron, ssh, containers) setlocale gives the "C" locale, not nil: libedit
    // then cannot read the prompt's "·" and crashes. Gemba writes UTF-8 whatever the locale.
    if setlocale(LC_CTYPE, "") == nil || String(cString: nl_langinfo(nl_item(CODESET))) != "UTF-8" {
      _ = setlocale(LC_CTYPE, "C.UTF-8")
    }
    Self.restoreTerminalAtExit()
    guard let editLine = gemba_el_init(program), let history = history_init() else { return nil }
    self.editLine = editLine
    self.history = history
    _ = gemba_history_setsize(history, 1000)
    _ = gemba_history_setunique(history, 1)
    _ = gemba_el_set_hist(editLine, history)
    _ = gemba_el_set_editor(editLine, "emacs")
    _ = gemba_el_set_signal(editLine, 0)
    _ = gemba_watch_resize()
    _ = gemba_el_use_key_reader(editLine)
    _ = gemba_el_set_clientdata(editLine, Unmanaged.passUnretained(self).toOpaque())
    _ = gemba_el_set_prompt_esc(editLine, promptFunction, Self.promptEscape)
    // Ctrl-C and Ctrl-Z arrive as keys, not signals, while a line is edited.
    _ = gemba_el_settty(editLine, "-d", "-isig")
    bind("gemba-interrupt", "clear the line", interruptKey, ["^C"])
    bind("gemba-suspend", "suspend", suspendKey, ["^Z"])
    bind("gemba-complete", "complete", completeKey, ["^I"])
    bind("gemba-paste", "bracketed paste", pasteKey, ["\\e[200~"])
    bind("gemba-newline", "a line break in the answer", lineBreakKey, ["\\e^M", "\\e^J"])
    bind("gemba-hint", "hint", hintKey, Self.keys[0].1)
    bind("gemba-probe", "next probe", probeKey, Self.keys[1].1)
    bind("gemba-back", "back", backKey, Self.keys[2].1)
    bind("gemba-skip", "skip", skipKey, Self.keys[3].1)
    bind("gemba-note", "note", noteKey, Self.keys[4].1)
    _ = gemba_el_bind(editLine, "^R", "em-inc-search-prev")
  }

  deinit {
    Console.out("\u{1B}[?2004l")
    el_end(editLine)
    history_end(history)
    free(promptText)
  }

  /// Puts the terminal's settings of now back when the program exits.
  ///
  /// SIGTERM and SIGHUP end the program with exit() from another thread while libedit has the
  /// terminal in raw mode, and the shell would get it back without echo or line editing.
  private static func restoreTerminalAtExit() {
    var settings = termios()
    guard terminalAtStart == nil, tcgetattr(0, &settings) == 0 else { return }
    terminalAtStart = settings
    atexit {
      guard var settings = terminalAtStart else { return }
      Console.out("\u{1B}[?2004l")
      tcsetattr(0, TCSANOW, &settings)
    }
  }

  private func bind(_ name: String, _ help: String, _ function: gemba_key_fn, _ keys: [String]) {
    _ = gemba_el_addfn(editLine, name, help, function)
    for key in keys { _ = gemba_el_bind(editLine, key, name) }
  }

  /// Reads one line. `prompt` may hold ANSI colours; `prefill` is typed in first, so a
  /// half-typed answer survives an action key.
  public func readLine(prompt: String, prefill: String = "") -> Input {
    setPrompt(prompt)
    action = nil
    interrupted = false
    pastes = []
    // Bracketed paste: the terminal marks pasted text, so a paste of many lines is one answer.
    Console.out("\u{1B}[?2004h")
    // Typed in by the prompt function once the fresh line is ready: pushing it as input
    // (el_push, el_wpush) brings back stale characters from longer earlier lines.
    pendingPrefill = prefill.isEmpty ? nil : prefill
    var count: Int32 = 0
    let raw = whileEditing { el_gets(editLine, &count) }
    Console.out("\u{1B}[?2004l")
    if interrupted {
      Console.out("\n")
      return .interrupted
    }
    // Before the end-of-input check: a key function on an empty line ends it with nothing read,
    // which el_gets reports as it reports the end of input.
    if let action {
      // A key function ends the line without moving down; move down before anything is printed.
      Console.out("\n")
      // A key function ends the line without terminating libedit's buffer, so the returned
      // string can run on into an earlier, longer line: use the line as the function saw it.
      return .action(action, pending: expand(capturedLine))
    }
    guard let raw, count > 0 else {
      Console.out("\n")
      return .endOfInput
    }
    var line = String(cString: raw)
    if line.hasSuffix("\n") { line.removeLast() }
    return .line(expand(line))
  }

  /// Runs `body` (a call into libedit that reads keys) with the signals the program has taken
  /// over held back.
  ///
  /// While it reads, libedit puts its own handler on SIGINT, SIGTERM and SIGHUP, which ends the
  /// line as if input had ended: a `kill -INT`, or a ^C typed as the line starts, paused the
  /// interview, and a SIGTERM both paused it and stopped it, from two threads at once. Held back
  /// on this thread, an ignored signal is dropped when libedit puts SIG_IGN back, and a handled
  /// one goes to the thread that handles it.
  private func whileEditing<T>(_ body: () -> T) -> T {
    var held = sigset_t()
    sigemptyset(&held)
    for number in [SIGINT, SIGTERM, SIGHUP] {
      var current = sigaction()
      sigaction(number, nil, &current)
      let handler = unsafeBitCast(current.__sigaction_handler.sa_handler, to: Int.self)
      if handler != unsafeBitCast(SIG_DFL, to: Int.self) { sigaddset(&held, number) }
    }
    var previous = sigset_t()
    pthread_sigmask(SIG_BLOCK, &held, &previous)
    defer { pthread_sigmask(SIG_SETMASK, &previous, nil) }
    return body()
  }

  /// Adds `line` to this session's history (Up/Down, Ctrl-R).
  public func remember(_ line: String) {
    guard !line.isEmpty else { return }
    _ = gemba_history_enter(history, line)
  }

  /// Puts the saved lines of earlier sessions into the history, oldest first.
  public func load(history lines: [String]) {
    for line in lines where !line.isEmpty { _ = gemba_history_enter(history, line) }
  }

  private func setPrompt(_ text: String) {
    free(promptText)
    promptText = strdup(Self.markEscapes(text))
  }

  /// libedit counts every byte of a prompt as a column unless escape sequences are wrapped in
  /// the marker character.
  static func markEscapes(_ text: String) -> String {
    var out = ""
    var inEscape = false
    for scalar in text.unicodeScalars {
      if scalar == "\u{1B}" {
        out.unicodeScalars.append("\u{1}")
        inEscape = true
      }
      out.unicodeScalars.append(scalar)
      if inEscape, scalar.properties.isAlphabetic {
        out.unicodeScalars.append("\u{1}")
        inEscape = false
      }
    }
    return out
  }

  /// The line with paste placeholders and line-break markers turned back into what was meant.
  private func expand(_ line: String) -> String {
    var result = line.replacingOccurrences(of: Self.lineBreakMarker, with: "\n")
    for (index, paste) in pastes.enumerated() {
      result = result.replacingOccurrences(of: Self.placeholder(index, paste), with: paste)
    }
    return result
  }

  static func placeholder(_ index: Int, _ text: String) -> String {
    let lines = text.split(separator: "\n", omittingEmptySubsequences: false).count
    return "\u{27E6}paste \(index + 1): \(lines) lines, \(text.count) characters\u{27E7}"
  }

  // MARK: Called from the key functions

  fileprivate var lineBeforeCursor: String { line(toCursor: true) }

  /// The whole line being edited, as the key functions see it.
  fileprivate var wholeLine: String { line(toCursor: false) }

  fileprivate var capturedLine = ""

  private func line(toCursor: Bool) -> String {
    guard let info = el_wline(editLine)?.pointee, let buffer = info.buffer,
      let end = toCursor ? info.cursor : info.lastchar
    else { return "" }
    var text = String.UnicodeScalarView()
    var pointer = buffer
    while pointer < end {
      if let scalar = Unicode.Scalar(UInt32(bitPattern: pointer.pointee)) { text.append(scalar) }
      pointer += 1
    }
    return String(text)
  }

  fileprivate func insert(_ text: String) {
    _ = el_winsertstr(editLine, Self.wide(text))
  }

  /// `text` as a zero-terminated wide string, as libedit's wide calls take it.
  static func wide(_ text: String) -> [wchar_t] {
    text.unicodeScalars.map { wchar_t(bitPattern: $0.value) } + [0]
  }

  fileprivate func complete() -> UInt8 {
    guard let completer else { return CC.error }
    let before = lineBeforeCursor
    let word = String(before.reversed().prefix(while: { $0 != " " }).reversed())
    let candidates = completer(before).filter { $0.hasPrefix(word) }
    guard !candidates.isEmpty else { return CC.error }
    let common = candidates.dropFirst().reduce(candidates[0]) { prefix, candidate in
      String(zip(prefix, candidate).prefix(while: { $0 == $1 }).map(\.0))
    }
    if candidates.count == 1 {
      insert(String(common.dropFirst(word.count)) + " ")
      return CC.refresh
    }
    if common.count > word.count {
      insert(String(common.dropFirst(word.count)))
      return CC.refresh
    }
    Console.out("\n" + columns(candidates.sorted()) + "\n")
    return CC.redisplay
  }

  private func columns(_ words: [String]) -> String {
    let width = max(TerminalInfo.columns(), 20)
    let cell = (words.map(\.count).max() ?? 0) + 2
    let perLine = max(1, width / cell)
    var out = ""
    for (index, word) in words.enumerated() {
      out += word.padding(toLength: cell, withPad: " ", startingAt: 0)
      if (index + 1) % perLine == 0 { out += "\n" }
    }
    return out.hasSuffix("\n") ? String(out.dropLast()) : out
  }

  fileprivate func readPaste() -> UInt8 {
    var scalars: [Unicode.Scalar] = []
    let end = Array("\u{1B}[201~".unicodeScalars)
    // The wide call: el_getc fails on every character beyond ASCII, which ended the paste there
    // and typed the rest in, each pasted line an answer of its own.
    var character: wchar_t = 0
    while el_wgetc(editLine, &character) == 1 {
      guard let scalar = Unicode.Scalar(UInt32(bitPattern: character)) else { continue }
      scalars.append(scalar)
      if scalar == "~", scalars.count >= end.count, Array(scalars.suffix(end.count)) == end {
        scalars.removeLast(end.count)
        break
      }
      if scalars.count > 64 * 1024 * 1024 { break }
    }
    var text = String(String.UnicodeScalarView(scalars))
    text = text.replacingOccurrences(of: "\r\n", with: "\n").replacingOccurrences(
      of: "\r", with: "\n")
    while text.hasSuffix("\n") { text.removeLast() }
    let lines = text.split(separator: "\n", omittingEmptySubsequences: false).count
    if text.count > largePaste || lines > pasteLinesInline {
      pastes.append(text)
      insert(Self.placeholder(pastes.count - 1, text))
    } else {
      let safe = TerminalSafe.neutralize(text, keepingNewlines: true)
      insert(safe.replacingOccurrences(of: "\n", with: Self.lineBreakMarker))
    }
    return CC.refresh
  }
}

/// The terminal's settings before the first editor changed them; set once, on the main thread,
/// and read at exit.
nonisolated(unsafe) private var terminalAtStart: termios?

/// libedit's key-function results.
enum CC {
  static let norm: UInt8 = 0
  static let newline: UInt8 = 1
  static let eof: UInt8 = 2
  static let refresh: UInt8 = 4
  static let error: UInt8 = 6
  static let redisplay: UInt8 = 8
}

// C callbacks cannot capture context: each finds its editor through EL_CLIENTDATA.
private func editor(_ editLine: OpaquePointer?) -> LineEditor? {
  guard let editLine, let data = gemba_el_get_clientdata(editLine) else { return nil }
  return Unmanaged<LineEditor>.fromOpaque(data).takeUnretainedValue()
}

private func trigger(_ editLine: OpaquePointer?, _ action: LineEditor.KeyAction) -> UInt8 {
  guard let editor = editor(editLine) else { return CC.error }
  editor.capturedLine = editor.wholeLine
  editor.action = action
  return CC.newline
}

private let promptFunction: gemba_prompt_fn = { editLine in
  guard let editLine, let data = gemba_el_get_clientdata(editLine) else { return nil }
  let editor = Unmanaged<LineEditor>.fromOpaque(data).takeUnretainedValue()
  return editor.promptPointer
}

extension LineEditor {
  fileprivate var promptPointer: UnsafeMutablePointer<CChar>? {
    if let text = pendingPrefill {
      pendingPrefill = nil
      insert(text)
    }
    return promptText
  }
}

private let interruptKey: gemba_key_fn = { editLine, _ in
  guard let editor = editor(editLine) else { return CC.error }
  editor.interrupted = true
  return CC.newline
}

private let suspendKey: gemba_key_fn = { editLine, _ in
  // The shell gets the terminal back as it gave it (no raw mode, no bracketed paste); after
  // `fg`, editing mode comes back and the line is drawn again where the cursor is.
  Console.out("\u{1B}[?2004l\r\n")
  _ = gemba_el_prep_term(editLine, 0)
  kill(getpid(), SIGTSTP)
  _ = gemba_el_prep_term(editLine, 1)
  Console.out("\u{1B}[?2004h")
  return CC.redisplay
}

private let completeKey: gemba_key_fn = { editLine, _ in editor(editLine)?.complete() ?? CC.error }
private let pasteKey: gemba_key_fn = { editLine, _ in editor(editLine)?.readPaste() ?? CC.error }
private let lineBreakKey: gemba_key_fn = { editLine, _ in
  editor(editLine)?.insert(LineEditor.lineBreakMarker)
  return CC.refresh
}
private let hintKey: gemba_key_fn = { editLine, _ in trigger(editLine, .hint) }
private let probeKey: gemba_key_fn = { editLine, _ in trigger(editLine, .probe) }
private let backKey: gemba_key_fn = { editLine, _ in trigger(editLine, .back) }
private let skipKey: gemba_key_fn = { editLine, _ in trigger(editLine, .skip) }
private let noteKey: gemba_key_fn = { editLine, _ in trigger(editLine, .note) }
