import CLibedit
import Foundation
import GembaCore

/// What the process is talking to: a terminal or a pipe, and whether colour is welcome.
public struct TerminalInfo: Sendable {
  public var inputIsTerminal: Bool
  public var outputIsTerminal: Bool
  public var errorIsTerminal: Bool
  public var term: String?
  public var noColor: Bool
  /// The user's colour setting; `NO_COLOR` wins over it.
  public var colorChoice: ColorChoice = .auto

  /// The colour setting from the user's configuration, set once at start-up before any command
  /// runs, so every command's output follows it without each one reading the settings.
  nonisolated(unsafe) public static var preferredColor: ColorChoice = .auto

  /// Reads the real process's file descriptors and environment.
  public static func current(environment: [String: String] = ProcessInfo.processInfo.environment)
    -> TerminalInfo
  {
    var info = TerminalInfo(
      inputIsTerminal: isatty(0) == 1,
      outputIsTerminal: isatty(1) == 1,
      errorIsTerminal: isatty(2) == 1,
      term: environment["TERM"],
      noColor: environment["NO_COLOR"].map { !$0.isEmpty } ?? false)
    info.colorChoice = preferredColor
    return info
  }

  public init(
    inputIsTerminal: Bool, outputIsTerminal: Bool, errorIsTerminal: Bool, term: String?,
    noColor: Bool
  ) {
    self.inputIsTerminal = inputIsTerminal
    self.outputIsTerminal = outputIsTerminal
    self.errorIsTerminal = errorIsTerminal
    self.term = term
    self.noColor = noColor
  }

  /// Colour on standard output: only on a terminal that is not dumb (or always, or never, as the
  /// user chose), never with NO_COLOR.
  public var colorsOutput: Bool { colors(onTerminal: outputIsTerminal) }

  /// Colour on standard error, by the same rule.
  public var colorsErrors: Bool { colors(onTerminal: errorIsTerminal) }

  private func colors(onTerminal isTerminal: Bool) -> Bool {
    switch colorChoice {
    case .never: false
    case .always: !noColor
    case .auto: isTerminal && !noColor && term != "dumb"
    }
  }

  /// Whether a person is at an interactive terminal that can edit lines.
  public var isInteractive: Bool {
    inputIsTerminal && outputIsTerminal && term != "dumb"
  }

  /// The width of the terminal on standard output, or 80 when it is not one.
  public static func columns() -> Int {
    let width = Int(gemba_terminal_columns(1))
    return width > 0 ? width : 80
  }
}

/// Writes to standard output and standard error without buffering surprises.
///
/// Straight `write(2)` calls: Foundation's `FileHandle.write` stops the process when a write
/// fails (a closed pipe, a full disk, a file-size limit), and an interview must outlive its
/// output.
public enum Console {
  public static func out(_ text: String) {
    write(text, to: 1)
  }

  public static func error(_ text: String) {
    write(text, to: 2)
  }

  private static func write(_ text: String, to descriptor: Int32) {
    var bytes = Array(text.utf8)
    var offset = 0
    while offset < bytes.count {
      let written = bytes.withUnsafeMutableBytes { buffer in
        Glibc.write(descriptor, buffer.baseAddress.map { $0 + offset }, buffer.count - offset)
      }
      if written > 0 {
        offset += written
      } else if written < 0 && errno == EINTR {
        continue
      } else {
        // Nowhere left to say it; the transcript, not the screen, is what must not fail.
        return
      }
    }
  }
}
