/// When to colour what Gemba prints.
public enum ColorChoice: String, Sendable, Equatable, CaseIterable {
  /// On a terminal that is not `TERM=dumb`, never with `NO_COLOR`.
  case auto
  /// Also into a pipe or file (for `less -R`), still never with `NO_COLOR`.
  case always
  case never
}

/// Where a setting's value came from, for `gemba config`.
public enum SettingOrigin: Sendable, Equatable, CustomStringConvertible {
  /// An option on the command line.
  case commandLine
  /// An environment variable, by name.
  case environment(String)
  /// A folder found where Gemba was started (`./transcripts`).
  case workingFolder
  /// The configuration file, at a line.
  case file(path: String, line: Int)
  /// Gemba's own default.
  case defaultValue

  public var description: String {
    switch self {
    case .commandLine: "command line"
    case .environment(let name): "$\(name)"
    case .workingFolder: "./transcripts exists here"
    case .file(let path, let line): "\(path):\(line)"
    case .defaultValue: "default"
    }
  }
}

/// One setting's value with where it came from.
public struct Setting<Value: Sendable & Equatable>: Sendable, Equatable {
  public var value: Value
  public var origin: SettingOrigin

  public init(_ value: Value, from origin: SettingOrigin) {
    self.value = value
    self.origin = origin
  }
}

/// Gemba's settings, merged from the command line, the environment, the configuration file and
/// the defaults, in that order of precedence, each with where it came from.
///
/// Pure: the caller reads the file, the environment and the folder and passes them in, so every
/// rule of precedence is testable without a disk.
public struct Settings: Sendable, Equatable {
  /// Who interviews; nil means ask at the start of an interview.
  public var interviewer: Setting<String?>
  /// The folder transcripts are kept in.
  public var transcripts: Setting<String>
  /// The guide a plain `gemba run` uses: a file, or a built-in guide's name; nil for the built-in
  /// default.
  public var guide: Setting<String?>
  /// Rule files to propose next actions from.
  public var rules: Setting<[String]>
  /// The planned length of a meeting, in minutes.
  public var minutes: Setting<Int?>
  public var color: Setting<ColorChoice>
  /// Problems with the configuration file, each with its line and column. A syntax error makes
  /// the whole file ignored; a bad value ignores only that setting.
  public var problems: [ConfigProblem]
  /// Whether the file was ignored because of a syntax error.
  public var fileIgnored: Bool

  /// The keys the configuration file may set, with what each means, in the order shown.
  public static let keys: [(key: String, help: String)] = [
    ("interviewer", "your name, recorded in every transcript"),
    ("transcripts", "the folder interviews are kept in"),
    ("guide", "the guide 'gemba run' uses: a file, or a built-in guide's name"),
    ("rules", "rule files for proposals: a list, [\"a.rules\", \"b.rules\"]"),
    ("minutes", "the usual length of a meeting"),
    ("color", "\"auto\" (on a terminal), \"always\" or \"never\""),
  ]

  /// What was given on the command line; nil (or empty) where nothing was.
  public struct CommandLine: Sendable, Equatable {
    public var interviewer: String?
    public var transcripts: String?
    public var guide: String?
    public var rules: [String]
    public var minutes: Int?

    public init(
      interviewer: String? = nil, transcripts: String? = nil, guide: String? = nil,
      rules: [String] = [], minutes: Int? = nil
    ) {
      self.interviewer = interviewer
      self.transcripts = transcripts
      self.guide = guide
      self.rules = rules
      self.minutes = minutes
    }
  }

  /// What the settings are made from.
  public struct Sources: Sendable {
    public var commandLine: CommandLine
    public var environment: [String: String]
    /// The configuration file's path (as shown in messages) and its text, when there is one.
    public var file: (path: String, text: String)?
    /// Whether a `transcripts` folder exists where Gemba was started.
    public var hasLocalTranscripts: Bool
    /// The user's home folder, for `~` and the default data folder.
    public var home: String

    public init(
      commandLine: CommandLine = CommandLine(), environment: [String: String] = [:],
      file: (path: String, text: String)? = nil, hasLocalTranscripts: Bool = false,
      home: String
    ) {
      self.commandLine = commandLine
      self.environment = environment
      self.file = file
      self.hasLocalTranscripts = hasLocalTranscripts
      self.home = home
    }
  }

  /// Where the configuration file is: `$GEMBA_CONFIG`, else `$XDG_CONFIG_HOME/gemba/config.toml`,
  /// else `~/.config/gemba/config.toml`.
  public static func configPath(environment: [String: String], home: String) -> String {
    if let path = nonEmpty(environment["GEMBA_CONFIG"]) { return expandHome(path, home: home) }
    let base = nonEmpty(environment["XDG_CONFIG_HOME"]) ?? (home + "/.config")
    return base + "/gemba/config.toml"
  }

  /// Merges `sources`: command line, then environment, then file, then defaults.
  public static func resolve(_ sources: Sources) -> Settings {
    let env = sources.environment
    let home = sources.home
    var problems: [ConfigProblem] = []
    var entries: [ConfigEntry] = []
    var fileIgnored = false
    var filePath = ""
    if let file = sources.file {
      filePath = file.path
      let parsed = ConfigFile.parse(file.text)
      if parsed.syntaxErrors.isEmpty {
        entries = parsed.entries
      } else {
        problems = parsed.syntaxErrors
        fileIgnored = true
      }
    }
    let folder = Path.directory(filePath)

    // Each known key once, type-checked; anything else is reported and left alone.
    var known: [String: (value: ConfigValue, origin: SettingOrigin, column: Int)] = [:]
    for entry in entries {
      if entry.section == nil, keys.contains(where: { $0.key == entry.key }) {
        known[entry.key] = (entry.value, .file(path: filePath, line: entry.line), entry.column)
      } else {
        let names = keys.map(\.key)
        let hint =
          entry.section == nil
          ? Suggestion.didYouMean(entry.key, in: names)
          : "; Gemba's settings are not in sections: put '\(entry.key)' above the first [section]"
        problems.append(
          ConfigProblem(
            line: entry.line, column: entry.column,
            message:
              "unknown setting '\(entry.name)'\(hint) (known: \(names.joined(separator: ", ")))"
          ))
      }
    }

    func text(_ key: String) -> Setting<String>? {
      guard let found = known[key] else { return nil }
      guard case .string(let value) = found.value else {
        wrongType(key, found, expected: "text in quotes")
        return nil
      }
      guard !value.trimmingSpaces().isEmpty else {
        wrongType(key, found, expected: "some text")
        return nil
      }
      return Setting(value, from: found.origin)
    }

    func wrongType(
      _ key: String, _ found: (value: ConfigValue, origin: SettingOrigin, column: Int),
      expected: String
    ) {
      guard case .file(_, let line) = found.origin else { return }
      problems.append(
        ConfigProblem(
          line: line, column: found.column,
          message: "'\(key)' should be \(expected), not \(found.value.typeName); it is ignored"))
    }

    func path(_ value: String) -> String {
      let expanded = expandHome(value, home: home)
      if expanded.hasPrefix("/") || sources.file == nil { return expanded }
      // A relative path in the file means the same from any folder: relative to the file.
      return Path.normalize(folder + "/" + expanded)
    }

    // interviewer
    var interviewer = Setting<String?>(nil, from: .defaultValue)
    if let given = sources.commandLine.interviewer {
      interviewer = Setting(given, from: .commandLine)
    } else if let fromFile = text("interviewer") {
      interviewer = Setting(fromFile.value.trimmingSpaces(), from: fromFile.origin)
    }

    // transcripts
    let dataHome = nonEmpty(env["XDG_DATA_HOME"]) ?? (home + "/.local/share")
    var transcripts = Setting(dataHome + "/gemba/transcripts", from: .defaultValue)
    if let given = sources.commandLine.transcripts {
      transcripts = Setting(given, from: .commandLine)
    } else if sources.hasLocalTranscripts {
      transcripts = Setting("transcripts", from: .workingFolder)
    } else if let fromEnvironment = nonEmpty(env["GEMBA_TRANSCRIPTS"]) {
      transcripts = Setting(
        expandHome(fromEnvironment, home: home), from: .environment("GEMBA_TRANSCRIPTS"))
    } else if let fromFile = text("transcripts") {
      transcripts = Setting(path(fromFile.value), from: fromFile.origin)
    }

    // guide: a built-in guide's name stays a name; anything else is a path.
    var guide = Setting<String?>(nil, from: .defaultValue)
    if let given = sources.commandLine.guide {
      guide = Setting(given, from: .commandLine)
    } else if let fromFile = text("guide") {
      let value = fromFile.value
      let isName = !value.contains("/") && !value.hasSuffix(".guide") && !value.hasPrefix("~")
      guide = Setting(isName ? value : path(value), from: fromFile.origin)
    }

    // rules
    var rules = Setting<[String]>([], from: .defaultValue)
    if !sources.commandLine.rules.isEmpty {
      rules = Setting(sources.commandLine.rules, from: .commandLine)
    } else if let found = known["rules"] {
      switch found.value {
      case .strings(let list): rules = Setting(list.map(path), from: found.origin)
      case .string(let one): rules = Setting([path(one)], from: found.origin)
      default: wrongType("rules", found, expected: "a list of files in quotes")
      }
    }

    // minutes
    var minutes = Setting<Int?>(nil, from: .defaultValue)
    if let given = sources.commandLine.minutes {
      minutes = Setting(given, from: .commandLine)
    } else if let found = known["minutes"] {
      if case .integer(let value) = found.value, value > 0, value <= 24 * 60 {
        minutes = Setting(value, from: found.origin)
      } else if case .integer = found.value {
        wrongType("minutes", found, expected: "a number of minutes from 1 to 1440")
      } else {
        wrongType("minutes", found, expected: "a whole number")
      }
    }

    // color: NO_COLOR wins over the file, as every tool that honours it does.
    var color = Setting(ColorChoice.auto, from: .defaultValue)
    if nonEmpty(env["NO_COLOR"]) != nil {
      color = Setting(.never, from: .environment("NO_COLOR"))
    } else if let found = known["color"] {
      if case .string(let word) = found.value, let choice = ColorChoice(rawValue: word) {
        color = Setting(choice, from: found.origin)
      } else {
        wrongType("color", found, expected: "\"auto\", \"always\" or \"never\"")
      }
    }

    return Settings(
      interviewer: interviewer, transcripts: transcripts, guide: guide, rules: rules,
      minutes: minutes, color: color,
      problems: problems.sorted { ($0.line, $0.column) < ($1.line, $1.column) },
      fileIgnored: fileIgnored)
  }

  /// `~` and `~/…` read as the home folder.
  public static func expandHome(_ path: String, home: String) -> String {
    if path == "~" { return home }
    if path.hasPrefix("~/") { return home + path.dropFirst(1) }
    return path
  }

  private static func nonEmpty(_ value: String?) -> String? {
    guard let value, !value.isEmpty else { return nil }
    return value
  }
}
