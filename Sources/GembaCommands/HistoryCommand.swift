import ArgumentParser
import Foundation
import GembaCore
import GembaTerminal

/// `gemba history`: one customer's interviews, promises and PDCA cycles over time.
struct HistoryCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "history",
    abstract: "One customer's interviews, promises and PDCA cycles over time.",
    discussion: """
      Every interview with the customer in time order; each promise from the meeting that made \
      it (and the rules that proposed it) through the checks of later meetings to its close \
      (proposed, promised, checked, adopted, adapted or abandoned); the answers that changed \
      between meetings; and the supplier-hierarchy step recorded at each. Rehearsals are left \
      out.
      """
  )

  enum Format: String, ExpressibleByArgument, CaseIterable {
    case text
    case markdown
    case json
    case html
  }

  @Argument(help: "The customer's name (case, accents and spacing are ignored).")
  var customer: String

  @Option(help: "Where transcripts are kept.", completion: .directory)
  var transcripts: String?

  @Option(help: "Output format: text, markdown, json or html.")
  var format: Format = .text

  func validate() throws {
    if CustomerKey.make(customer).isEmpty {
      throw ValidationError("name the customer: gemba history 'Café Schön'")
    }
  }

  func run() throws {
    let folder = TranscriptFolder.resolve(transcripts)
    let history = CustomerHistory(try CustomerFiles.requireRecord(name: customer, folder: folder))
    let renderer = CustomerHistoryRenderer(width: TerminalInfo.columns())
    switch format {
    case .text: Console.out(renderer.text(history))
    case .markdown: Console.out(renderer.markdown(history))
    case .json: Console.out(CustomerHistoryRenderer.json(history) + "\n")
    case .html: Console.out(renderer.html(history))
    }
  }
}
