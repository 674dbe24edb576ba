import ArgumentParser
import Foundation
import GembaCore
import GembaTerminal

/// `gemba brief`: one screen to read before a call with a customer.
struct BriefCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "brief",
    abstract: "One screen before a call: last time's promises and what the customer said.",
    discussion: """
      Shows the last meeting's date and who was there, the promises still open with their \
      dates (overdue ones marked), what the customer said about purpose, measures and the \
      forces, the last expectation against what happened, the supplier-hierarchy step last \
      recorded, and a suggested focus. The customer's name matches ignoring case, accents and \
      spacing; rehearsals are left out.

        gemba brief 'Café Schön'
      """
  )

  @Argument(help: "The customer's name.")
  var customer: String

  @Option(help: "Where transcripts are kept.", completion: .directory)
  var transcripts: String?

  @Option(
    name: .customLong("as-of"),
    help: "The day of the coming meeting, for overdue promises (by default today).")
  var asOf: String?

  func validate() throws {
    if let asOf, Day(iso: asOf) == nil {
      throw ValidationError("--as-of takes a date written as 2026-12-10, not '\(asOf)'")
    }
    if CustomerKey.make(customer).isEmpty {
      throw ValidationError("name the customer: gemba brief 'Café Schön'")
    }
  }

  func run() throws {
    let folder = TranscriptFolder.resolve(transcripts)
    let record = try CustomerFiles.requireRecord(name: customer, folder: folder)
    let day = asOf.flatMap { Day(iso: $0) } ?? Day.today()
    Console.out(CustomerBrief(record, day: day).text(width: TerminalInfo.columns()))
  }
}
