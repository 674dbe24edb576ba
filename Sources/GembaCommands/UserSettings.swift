import Foundation
import GembaCore
import GembaTerminal

/// The user's settings as this process sees them: the configuration file read from disk, the
/// real environment and the working folder, merged by ``Settings/resolve(_:)``.
struct UserSettings {
  var settings: Settings
  /// The configuration file's path, whether or not it exists.
  var path: String
  var fileExists: Bool

  /// The settings, with what was given on the command line winning.
  static func load(
    _ commandLine: Settings.CommandLine = Settings.CommandLine(),
    environment: [String: String] = ProcessInfo.processInfo.environment
  ) -> UserSettings {
    let home = environment["HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? NSHomeDirectory()
    let path = Settings.configPath(environment: environment, home: home)
    var file: (path: String, text: String)?
    var readProblem: ConfigProblem?
    var exists = false
    var isDirectory: ObjCBool = false
    if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) {
      exists = true
      if isDirectory.boolValue {
        readProblem = ConfigProblem(line: 1, column: 1, message: "this is a folder, not a file")
      } else if let data = FileManager.default.contents(atPath: path) {
        if let text = String(data: data, encoding: .utf8) {
          file = (path, text)
        } else {
          readProblem = ConfigProblem(
            line: 1, column: 1, message: "the file is not UTF-8 text, as TOML must be")
        }
      } else {
        readProblem = ConfigProblem(line: 1, column: 1, message: "the file cannot be read")
      }
    }
    var local: ObjCBool = false
    let hasLocal =
      FileManager.default.fileExists(atPath: "transcripts", isDirectory: &local)
      && local.boolValue
    var settings = Settings.resolve(
      Settings.Sources(
        commandLine: commandLine, environment: environment, file: file,
        hasLocalTranscripts: hasLocal, home: home))
    if let readProblem {
      settings.problems.insert(readProblem, at: 0)
      settings.fileIgnored = true
    }
    return UserSettings(settings: settings, path: path, fileExists: exists)
  }

  /// Each problem with the file as one `path:line:col: severity: message` line.
  func problemLines() -> [String] {
    settings.problems.map { problem in
      let severity = settings.fileIgnored ? "error" : "warning"
      let tail = settings.fileIgnored ? "; the whole file is ignored until this is fixed" : ""
      return "\(path):\(problem.line):\(problem.column): \(severity): \(problem.message)\(tail)"
    }
  }

  /// Reads the settings once at start-up: applies the colour choice and reports problems with
  /// the file on standard error, unless the command is `gemba config`, which shows them itself.
  static func applyAtStartup(arguments: [String]) {
    let loaded = load()
    TerminalInfo.preferredColor = loaded.settings.color.value
    if arguments.first == "config" { return }
    // Completion scripts are read by shells; a warning there would only confuse.
    if arguments.contains(where: { $0.hasPrefix("--generate-completion-script") }) { return }
    for line in loaded.problemLines() { Console.error("gemba: \(line)\n") }
  }
}
