import ArgumentParser
import GembaCore

/// `gemba`: guided customer interviews, from the first question to the coach's replay.
public struct GembaCommand: ParsableCommand {
  public static let configuration = CommandConfiguration(
    commandName: "gemba",
    abstract: "Run guided customer interviews and learn from them.",
    discussion: """
      Gemba walks a salesperson through an interview guide live with a customer, keeps every \
      answer in a transcript the moment it is given, and turns answers into proposed next \
      actions. Guides are plain text files (*.guide) you can edit in any editor.
      """,
    version: GembaVersion.current,
    subcommands: [
      RunCommand.self, ResumeCommand.self, CheckCommand.self, TestCommand.self, GraphCommand.self,
      GuidesCommand.self, ListCommand.self, NoteCommand.self, ConfigCommand.self,
      FmtCommand.self, ProposeCommand.self, ReplayCommand.self, BriefCommand.self,
      HistoryCommand.self, ReportCommand.self, StatsCommand.self, OutcomeCommand.self,
    ],
    defaultSubcommand: RunCommand.self
  )

  public init() {}

  /// Runs the command the arguments name, after reading the user's settings (colour, and
  /// problems with the configuration file, which are reported but never stop a command).
  public static func main() {
    let arguments = Array(CommandLine.arguments.dropFirst())
    UserSettings.applyAtStartup(arguments: arguments)
    main(arguments)
  }
}
