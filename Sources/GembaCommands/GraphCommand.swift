import ArgumentParser
import Foundation
import GembaCore
import GembaTerminal

/// `gemba graph`: the flow of a guide as a picture.
struct GraphCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "graph",
    abstract: "Draw the flow of a guide as a Graphviz or Mermaid picture.",
    discussion: """
      Sections are drawn as boxes coloured by their part (before, customer, after), questions \
      as nodes with their id and answer kind, computed values as hexagons and decisions as \
      diamonds. Edges carry their condition or option value; jumps are bold, passing over is \
      dashed, and whatever can never be reached is dashed and red.

      The DOT output renders with Graphviz:

        gemba graph customer-purpose | dot -Tsvg -o flow.svg

      The Mermaid output is a flowchart that GitHub shows inside a ```mermaid block in a \
      Markdown file:

        gemba graph scripts/my.guide --format mermaid --out flow.mmd

      A guide with errors is not drawn: its problems are printed to standard error as by \
      `gemba check`. docs/flow-pictures.md explains the pictures.

      Exit status: 0 when the picture was written, 1 when the guide has errors or the output \
      cannot be written, 64 on bad usage.
      """
  )

  enum Format: String, ExpressibleByArgument, CaseIterable {
    case dot
    case mermaid
  }

  @Argument(
    help: "The guide to draw: a file, or the name of a built-in guide such as customer-purpose.",
    completion: .file(extensions: ["guide"]))
  var guide: String

  @Option(help: "Picture language: dot for Graphviz, mermaid for Markdown on GitHub.")
  var format: Format = .dot

  @Option(
    name: .shortAndLong,
    help: ArgumentHelp(
      "Write the picture to this file instead of standard output.", valueName: "file"),
    completion: .file())
  var out: String?

  func run() throws {
    let outcome: GuideFiles.Outcome
    let path: String
    if !FileManager.default.fileExists(atPath: guide), let entry = BuiltInGuides.named(guide) {
      outcome = GuideFiles.check([], builtIns: [entry])
      path = entry.path
    } else {
      outcome = GuideFiles.check([guide])
      path = guide
    }
    guard !outcome.diagnostics.hasErrors, let parsed = outcome.guides[path] else {
      let errors = outcome.diagnostics.filter { $0.severity == .error }
      let terminal = TerminalInfo.current()
      let renderer = DiagnosticRenderer(colored: terminal.colorsErrors, showsSource: true)
      Console.error(renderer.render(all: errors, sources: outcome.sources))
      Console.error(DiagnosticRenderer.summary(of: errors, files: 1) + "\n")
      throw ExitCode(1)
    }
    let analysis = FlowAnalyzer.analyze(parsed)
    let picture = GraphRenderer.render(
      parsed, analysis: analysis, as: format == .dot ? .dot : .mermaid)
    guard let out else {
      Console.out(picture)
      return
    }
    do {
      try picture.write(toFile: out, atomically: true, encoding: .utf8)
    } catch {
      Console.error("gemba: error: cannot write '\(out)': \(error.localizedDescription)\n")
      throw ExitCode(1)
    }
  }
}
