import Foundation

/// Where the lines an interview is driven by come from: a person at a line editor, or a pipe.
public protocol LineReader {
  /// The next line, without its line break; nil at the end of input.
  mutating func readLine(prompt: String) -> String?
}

/// Reads plain lines from standard input, for pipes, files and TERM=dumb. A line ending in a
/// backslash continues on the next line (the two are joined with a line break), so an answer can
/// hold several lines.
public struct PlainLineReader: LineReader {
  public init() {}

  public mutating func readLine(prompt: String) -> String? {
    var joined: String?
    while let raw = Swift.readLine(strippingNewline: true) {
      var line = raw
      if line.hasSuffix("\r") { line.removeLast() }
      if line.hasSuffix("\\") {
        line.removeLast()
        joined = (joined.map { $0 + "\n" } ?? "") + line
        continue
      }
      return (joined.map { $0 + "\n" } ?? "") + line
    }
    return joined
  }
}
