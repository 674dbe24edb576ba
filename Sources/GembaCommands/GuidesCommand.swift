import ArgumentParser
import GembaCore
import GembaTerminal

/// `gemba guides`: the guides built into Gemba, to list or to copy and adapt.
struct GuidesCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "guides",
    abstract: "List the interview guides built into Gemba, or print one to adapt it.",
    discussion: """
      Gemba carries its default guides inside the program, so it works from any folder. To \
      make your own version of one, print it to a file and edit that:

        gemba guides --print customer-purpose > my-purpose.guide
      """
  )

  @Option(name: .long, help: "Print the source of this built-in guide.")
  var print: String?

  func run() throws {
    if let name = print {
      guard let entry = BuiltInGuides.named(name) else {
        let names = BuiltInGuides.all.map(\.name)
        throw ValidationError(
          "no built-in guide '\(name)'\(Suggestion.didYouMean(name, in: names)) "
            + "(built in: \(names.joined(separator: ", ")))")
      }
      Console.out(entry.text)
      return
    }
    for entry in BuiltInGuides.all {
      let parsed = GuideParser.parse(path: entry.path, text: entry.text)
      let header = parsed.guide.header
      let questions = parsed.guide.questions.count
      let method = header.method.map { " [\($0)]" } ?? ""
      Console.out(
        "\(entry.name)\(method)\n  \(header.title ?? entry.name), version \(header.version ?? "-"), \(questions) questions\n"
      )
      if let description = header.description { Console.out("  \(description)\n") }
    }
  }
}
