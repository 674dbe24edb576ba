import Foundation
import GembaCore
import GembaTerminal

/// Loads and checks guide files from disk.
enum GuideFiles {
  struct Outcome {
    var guides: [String: Guide] = [:]
    var diagnostics: [Diagnostic] = []
    var sources: [String: SourceFile] = [:]
  }

  /// Parses and checks each file; a file included by another one in the set is checked only as
  /// part of the file that includes it.
  static func check(_ paths: [String], builtIns: [BuiltInGuides.Entry] = []) -> Outcome {
    var outcome = Outcome()
    let loader = DiskSourceLoader()
    var parsed: [(path: String, guide: Guide, diagnostics: [Diagnostic])] = []
    var included = Set<String>()
    for entry in builtIns {
      let (guide, diagnostics) = GuideChecker.parseAndCheck(path: entry.path, text: entry.text)
      parsed.append((entry.path, guide, diagnostics))
    }
    for path in paths {
      switch loader.load(path) {
      case .success(let text):
        let (guide, diagnostics) = GuideChecker.parseAndCheck(
          path: path, text: text, loader: loader)
        parsed.append((path, guide, diagnostics))
        for file in guide.files.dropFirst() { included.insert(Path.normalize(file.path)) }
      case .failure(let error):
        outcome.diagnostics.append(
          Diagnostic(
            .missingInclude, "cannot read '\(path)': \(error.message)",
            at: SourceRange(path: path, line: 1, column: 1)))
      }
    }
    var seen = Set<Diagnostic>()
    for entry in parsed where !included.contains(Path.normalize(entry.path)) {
      outcome.guides[entry.path] = entry.guide
      for file in entry.guide.files { outcome.sources[file.path] = file }
      for diagnostic in entry.diagnostics where seen.insert(diagnostic).inserted {
        outcome.diagnostics.append(diagnostic)
      }
    }
    return outcome
  }
}

/// Diagnostics as JSON, for editors and CI.
enum DiagnosticJSON {
  private struct Report: Encodable {
    var files: Int
    var errors: Int
    var warnings: Int
    var diagnostics: [Entry]
  }

  private struct Entry: Encodable {
    var code: String
    var severity: String
    var message: String
    var file: String
    var line: Int
    var column: Int
    var length: Int
    var fixIt: String?
    var notes: [NoteEntry]
  }

  private struct NoteEntry: Encodable {
    var message: String
    var file: String?
    var line: Int?
    var column: Int?
  }

  static func render(_ diagnostics: [Diagnostic], files: Int) -> String {
    let sorted = diagnostics.sortedByLocation()
    let report = Report(
      files: files,
      errors: sorted.filter { $0.severity == .error }.count,
      warnings: sorted.filter { $0.severity == .warning }.count,
      diagnostics: sorted.map { diagnostic in
        Entry(
          code: diagnostic.code.rawValue, severity: diagnostic.severity.rawValue,
          message: diagnostic.message, file: diagnostic.range.start.path,
          line: diagnostic.range.start.line, column: diagnostic.range.start.column,
          length: diagnostic.range.length, fixIt: diagnostic.fixIt,
          notes: diagnostic.notes.map { note in
            NoteEntry(
              message: note.message, file: note.range?.start.path, line: note.range?.start.line,
              column: note.range?.start.column)
          })
      })
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
    guard let data = try? encoder.encode(report) else { return "{}" }
    return String(decoding: data, as: UTF8.self)
  }
}
