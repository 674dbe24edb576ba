/// Renders diagnostics as text for people: the clickable one-line form, optionally followed by the
/// source line with a caret under the problem.
///
///     scripts/demo.guide:7:27: error: jump to unknown section 'Grwoth'; did you mean 'Growth'? [G105]
///       |
///     7 |   - growth: New customers -> Grwoth
///       |                              ^~~~~~
public struct DiagnosticRenderer: Sendable {
  /// Whether to add ANSI colours (only on a terminal, never with NO_COLOR).
  public var colored: Bool
  /// Whether to show the source line and caret beneath the one-line form.
  public var showsSource: Bool

  public init(colored: Bool = false, showsSource: Bool = true) {
    self.colored = colored
    self.showsSource = showsSource
  }

  /// The one-line form, `file:line:col: severity: message [CODE]`.
  public func headline(_ diagnostic: Diagnostic) -> String {
    let start = diagnostic.range.start
    let place = "\(start.path):\(start.line):\(start.column)"
    let severity = paint(diagnostic.severity.rawValue, color(for: diagnostic.severity))
    return "\(paint(place, "1")): \(severity): \(diagnostic.message) [\(diagnostic.code.rawValue)]"
  }

  /// The full rendering of one diagnostic, ending with a newline.
  public func render(_ diagnostic: Diagnostic, sources: [String: SourceFile]) -> String {
    var out = headline(diagnostic) + "\n"
    if showsSource, let file = sources[diagnostic.range.start.path] {
      out += snippet(diagnostic.range, in: file, color: color(for: diagnostic.severity))
    }
    for note in diagnostic.notes {
      if let range = note.range {
        let start = range.start
        out += "\(paint("\(start.path):\(start.line):\(start.column)", "1")): "
        out += "\(paint("note", color(for: .note))): \(note.message)\n"
        if showsSource, let file = sources[start.path] {
          out += snippet(range, in: file, color: color(for: .note))
        }
      } else {
        out += "  = \(paint("note", color(for: .note))): \(note.message)\n"
      }
    }
    return out
  }

  /// Every diagnostic in order, then a summary line such as `2 errors, 1 warning`.
  public func render(all diagnostics: [Diagnostic], sources: [String: SourceFile]) -> String {
    var out = ""
    for diagnostic in diagnostics.sortedByLocation() {
      out += render(diagnostic, sources: sources)
      if showsSource { out += "\n" }
    }
    return out
  }

  /// `3 errors, 1 warning` or `no problems found`.
  public static func summary(of diagnostics: [Diagnostic], files: Int) -> String {
    let errors = diagnostics.filter { $0.severity == .error }.count
    let warnings = diagnostics.filter { $0.severity == .warning }.count
    let checked = "\(files) \(files == 1 ? "file" : "files") checked"
    if errors == 0, warnings == 0 { return "\(checked), no problems found" }
    var parts: [String] = []
    if errors > 0 { parts.append("\(errors) \(errors == 1 ? "error" : "errors")") }
    if warnings > 0 { parts.append("\(warnings) \(warnings == 1 ? "warning" : "warnings")") }
    return "\(checked), " + parts.joined(separator: ", ")
  }

  private func snippet(_ range: SourceRange, in file: SourceFile, color: String) -> String {
    let line = range.start.line
    let text = file.lineText(line)
    let number = String(line)
    let gutter = String(repeating: " ", count: number.count)
    let utf8 = Array(text.utf8)
    let startByte = min(max(range.start.column - 1, 0), utf8.count)
    let endByte = min(startByte + max(range.length, 1), utf8.count)
    let before = String(decoding: utf8[0..<startByte], as: UTF8.self)
    let marked = String(decoding: utf8[startByte..<endByte], as: UTF8.self)
    let indent = String(repeating: " ", count: DisplayWidth.of(before))
    let width = max(DisplayWidth.of(marked), 1)
    let caret = "^" + String(repeating: "~", count: width - 1)
    var out = "\(gutter) |\n"
    out += "\(number) | \(TerminalSafe.neutralize(String(text)))\n"
    out += "\(gutter) | \(indent)\(paint(caret, color))\n"
    return out
  }

  private func color(for severity: Severity) -> String {
    switch severity {
    case .error: "1;31"
    case .warning: "1;33"
    case .note: "1;36"
    }
  }

  private func paint(_ text: String, _ code: String) -> String {
    colored ? "\u{1B}[\(code)m\(text)\u{1B}[0m" : text
  }
}
