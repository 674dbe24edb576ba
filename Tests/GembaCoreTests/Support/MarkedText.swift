import GembaCore

/// Source text with position markers (1️⃣, 2️⃣, …) taken out, remembering where each stood as a
/// 1-based line and UTF-8 column, so tests can say where a diagnostic must point.
struct MarkedText {
  static let markers = ["1️⃣", "2️⃣", "3️⃣", "4️⃣", "5️⃣", "6️⃣", "7️⃣", "8️⃣", "9️⃣"]

  let text: String
  let positions: [String: (line: Int, column: Int)]

  init(_ marked: String) {
    var text = ""
    var positions: [String: (line: Int, column: Int)] = [:]
    var line = 1
    var column = 1
    var rest = Substring(marked)
    outer: while let character = rest.first {
      for marker in Self.markers where rest.hasPrefix(marker) {
        positions[marker] = (line, column)
        rest = rest.dropFirst(marker.count)
        continue outer
      }
      text.append(character)
      if character == "\n" {
        line += 1
        column = 1
      } else {
        column += character.utf8.count
      }
      rest = rest.dropFirst()
    }
    self.text = text
    self.positions = positions
  }

  /// The place of `marker` in a file at `path`.
  func location(_ marker: String, path: String = "test.guide") -> SourceLocation? {
    positions[marker].map { SourceLocation(path: path, line: $0.line, column: $0.column) }
  }
}

/// Parses and checks `text` as `test.guide`.
func diagnose(_ text: String, files: [String: String] = [:]) -> [Diagnostic] {
  GuideChecker.parseAndCheck(path: "test.guide", text: text, loader: InMemorySourceLoader(files))
    .diagnostics
}

/// A small valid guide to build cases on: a header, one question in each part.
func guide(_ body: String, header: String = "title: Test") -> String {
  "\(header)\n\n\(body)\n"
}
