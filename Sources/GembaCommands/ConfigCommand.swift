import ArgumentParser
import Foundation
import GembaCore
import GembaTerminal

/// `gemba config`: every setting, its value and where the value came from.
struct ConfigCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "config",
    abstract: "Show your settings and where each one comes from.",
    discussion: """
      Settings are read from a TOML file, $XDG_CONFIG_HOME/gemba/config.toml (by default \
      ~/.config/gemba/config.toml; $GEMBA_CONFIG names another). An option on the command \
      line wins over an environment variable ($GEMBA_TRANSCRIPTS, NO_COLOR), which wins over \
      the file, which wins over Gemba's defaults. A file with a mistake is reported with its \
      line and column and ignored; Gemba still runs.

        interviewer = "Dana Whitfield"
        transcripts = "~/Interviews"
        guide = "customer-purpose"
        rules = ["~/sales/follow-up.rules"]
        minutes = 45
        color = "auto"

      Relative paths in the file are read from the file's folder.
      """
  )

  @Flag(help: "Print only the configuration file's path.")
  var path = false

  @Flag(
    name: .customLong("init"),
    help: "Write a configuration file with every setting explained, if there is none yet.")
  var initialize = false

  func run() throws {
    let loaded = UserSettings.load()
    if path {
      Console.out(loaded.path + "\n")
      return
    }
    if initialize {
      try writeTemplate(at: loaded.path, exists: loaded.fileExists)
      return
    }
    Console.out(Self.render(loaded))
    for line in loaded.problemLines() { Console.error("gemba: \(line)\n") }
  }

  /// The table `gemba config` prints.
  static func render(_ loaded: UserSettings) -> String {
    let settings = loaded.settings
    var state = "read"
    if !loaded.fileExists {
      state = "not there; 'gemba config --init' writes one to fill in"
    } else if settings.fileIgnored {
      state = "ignored: it has a mistake (below)"
    } else if !settings.problems.isEmpty {
      state = "read, with warnings (below)"
    }
    var rows: [(String, String, String)] = []
    func origin(_ origin: SettingOrigin) -> String {
      if case .file(_, let line) = origin { return "config file, line \(line)" }
      return origin.description
    }
    rows.append(
      (
        "interviewer", settings.interviewer.value ?? "(asked at the start of an interview)",
        origin(settings.interviewer.origin)
      ))
    rows.append(("transcripts", settings.transcripts.value, origin(settings.transcripts.origin)))
    let guide = settings.guide.value ?? "\(BuiltInGuides.defaultGuide.name) (built in)"
    rows.append(("guide", guide, origin(settings.guide.origin)))
    let rules =
      settings.rules.value.isEmpty ? "(none)" : settings.rules.value.joined(separator: ", ")
    rows.append(("rules", rules, origin(settings.rules.origin)))
    rows.append(
      (
        "minutes", settings.minutes.value.map(String.init) ?? "(not set)",
        origin(settings.minutes.origin)
      ))
    rows.append(("color", settings.color.value.rawValue, origin(settings.color.origin)))
    let keyWidth = rows.map(\.0.count).max() ?? 0
    let valueWidth = min(rows.map { TerminalSafe.neutralize($0.1).count }.max() ?? 0, 48)
    var out = "config file: \(loaded.path) (\(state))\n\n"
    for (key, value, source) in rows {
      let shown = TerminalSafe.neutralize(value)
      let keyPad = String(repeating: " ", count: keyWidth - key.count)
      let valuePad = String(repeating: " ", count: max(1, valueWidth - shown.count + 1))
      out += "\(key)\(keyPad)  \(shown)\(valuePad) \(source)\n"
    }
    return out
  }

  private func writeTemplate(at path: String, exists: Bool) throws {
    if exists {
      throw CommandFailure("\(path) already exists; it is left as it is (edit it in any editor)")
    }
    var text = """
      # Gemba's settings (TOML). Remove the '#' in front of a setting to use it.
      # An option on the command line wins over these; 'gemba config' shows what is in force.

      """
    let examples = [
      "interviewer": "\"Your Name\"", "transcripts": "\"~/Interviews\"",
      "guide": "\"customer-purpose\"", "rules": "[\"~/sales/follow-up.rules\"]",
      "minutes": "45", "color": "\"auto\"",
    ]
    for (key, help) in Settings.keys {
      text += "\n# \(help)\n# \(key) = \(examples[key] ?? "\"\"")\n"
    }
    let folder = Path.directory(path)
    do {
      try FileManager.default.createDirectory(
        atPath: folder, withIntermediateDirectories: true)
      try Data(text.utf8).write(to: URL(fileURLWithPath: path), options: .withoutOverwriting)
    } catch {
      throw CommandFailure("cannot write \(path): \(error.localizedDescription)")
    }
    Console.out("wrote \(path); edit it in any editor, then check it with 'gemba config'\n")
  }
}
