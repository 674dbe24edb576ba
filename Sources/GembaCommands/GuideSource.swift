import Foundation
import GembaCore
import GembaTerminal

/// A guide chosen on the command line: a file, or one built into Gemba.
struct GuideSource {
  /// The path as recorded in transcripts (`<built-in>/NAME.guide` for a built-in guide).
  var path: String
  /// The root file's text.
  var text: String
  var loader: any SourceLoader

  /// The guide named by `argument`: a file path, a built-in name, or the default guide.
  static func resolve(_ argument: String?) throws -> GuideSource {
    guard let argument else { return builtIn(BuiltInGuides.defaultGuide) }
    if FileManager.default.fileExists(atPath: argument) {
      switch DiskSourceLoader().load(argument) {
      case .success(let text):
        return GuideSource(path: argument, text: text, loader: DiskSourceLoader())
      case .failure(let error):
        throw CommandFailure("cannot read the guide '\(argument)': \(error.message)")
      }
    }
    if let entry = BuiltInGuides.named(argument) { return builtIn(entry) }
    let names = BuiltInGuides.all.map(\.name)
    throw CommandFailure(
      "no guide file '\(argument)', and no built-in guide of that name"
        + "\(Suggestion.didYouMean(argument, in: names)) (built in: \(names.joined(separator: ", ")))"
    )
  }

  /// The guide recorded at `path` in a transcript header, as it is now, if it can still be read.
  static func current(recordedAt path: String) -> GuideSource? {
    if path.hasPrefix("<built-in>/") {
      return BuiltInGuides.named(Path.lastComponent(path)).map(builtIn)
    }
    guard case .success(let text) = DiskSourceLoader().load(path) else { return nil }
    return GuideSource(path: path, text: text, loader: DiskSourceLoader())
  }

  static func builtIn(_ entry: BuiltInGuides.Entry) -> GuideSource {
    GuideSource(path: entry.path, text: entry.text, loader: InMemorySourceLoader([:]))
  }

  /// Parses and checks the guide; nil, with the diagnostics printed, when it has errors.
  func load() -> (guide: Guide, expanded: String)? {
    load(preparing: { _ in () }).map { ($0.guide, $0.expanded) }
  }

  /// A guide ready for an interview: parsed and checked, its text with includes expanded and
  /// that text's SHA-256 (for the transcript's header), and what the caller prepared from it.
  struct Loaded<Prepared> {
    var guide: Guide
    var expanded: String
    var sha256: String
    var prepared: Prepared
  }

  /// Parses and checks the guide, and meanwhile runs `prepare` on the parsed guide; nil, with the
  /// diagnostics printed, when it has errors (what `prepare` made is then dropped).
  ///
  /// The three pieces of work that do not depend on each other run side by side, so a large
  /// guide starts sooner: the expanded text and its hash on one thread from the start, the
  /// checker on another once the guide is parsed, and `prepare` on the caller's.
  func load<Prepared>(preparing prepare: (Guide) -> Prepared) -> Loaded<Prepared>? {
    let (path, text, loader) = (path, text, loader)
    let expanding = Background {
      let expanded = GuideExpander.expand(path: path, text: text, loader: loader)
      return (expanded, SHA256.hex(expanded))
    }
    // Only errors stop an interview, so the whole-flow analysis (warnings for authors, which
    // `gemba check` reports) is left out of start-up.
    let parsed = GuideParser.parse(path: path, text: text, loader: loader)
    let guide = parsed.guide
    let checking = Background { GuideChecker.check(guide) }
    let prepared = prepare(guide)
    let diagnostics = parsed.diagnostics + checking.result()
    let (expanded, sha256) = expanding.result()
    if diagnostics.hasErrors {
      var sources: [String: SourceFile] = [:]
      for file in guide.files { sources[file.path] = file }
      let renderer = DiagnosticRenderer(colored: TerminalInfo.current().colorsErrors)
      Console.error(renderer.render(all: diagnostics, sources: sources))
      Console.error(
        "gemba: the guide '\(path)' has errors, so the interview cannot start; "
          + DiagnosticRenderer.summary(of: diagnostics, files: 1) + "\n")
      return nil
    }
    return Loaded(guide: guide, expanded: expanded, sha256: sha256, prepared: prepared)
  }
}

/// A failure a command reports in one plain sentence, exiting 1.
struct CommandFailure: Error, CustomStringConvertible {
  var description: String
  init(_ description: String) { self.description = description }
}
