import Testing

@testable import GembaCore

@Suite("Configuration file")
struct ConfigFileTests {
  @Test func readsTheSubsetOfTOMLSettingsUse() {
    let file = ConfigFile.parse(
      """
      # Dana's settings
      interviewer = "Dana \\"D\\" Whitfield"   # with a comment
      transcripts = '~/Interviews\\raw'
      minutes = 1_440
      rules = ["a.rules", 'b.rules',]
      flag = false

      [later]
      "quoted key" = -3
      """)
    #expect(file.syntaxErrors.isEmpty)
    #expect(file.entry("interviewer")?.value == .string("Dana \"D\" Whitfield"))
    #expect(file.entry("transcripts")?.value == .string("~/Interviews\\raw"))
    #expect(file.entry("minutes")?.value == .integer(1440))
    #expect(file.entry("rules")?.value == .strings(["a.rules", "b.rules"]))
    #expect(file.entry("flag")?.value == .boolean(false))
    #expect(file.entry("quoted key", section: "later")?.value == .integer(-3))
    #expect(file.entry("minutes")?.line == 4)
  }

  @Test(arguments: [
    ("interviewer = \"Dana\n", 1, 15, "no closing"),
    ("minutes = 4.5\n", 1, 11, "whole numbers"),
    ("minutes =\n", 1, 10, "expected a value"),
    ("a = 1\na = 2\n", 2, 1, "set twice (first on line 1)"),
    ("name \"x\"\n", 1, 6, "expected '='"),
    ("[ui\ncolor = 1\n", 1, 4, "']'"),
    ("a = \"x\" y\n", 1, 9, "unexpected text"),
    ("a = \"\\q\"\n", 1, 6, "unknown escape"),
    ("a.b = 1\n", 1, 2, "dotted keys"),
    ("a = [\"x\"\n", 1, 9, "no closing ']'"),
    ("a = {}\n", 1, 5, "inline tables"),
    ("a = 2026-11-26\n", 1, 5, "whole numbers"),
  ])
  func eachSyntaxErrorHasItsLineAndColumn(
    text: String, line: Int, column: Int, message: String
  ) {
    let problems = ConfigFile.parse(text).syntaxErrors
    #expect(problems.count == 1, "\(problems)")
    #expect(problems.first?.line == line)
    #expect(problems.first?.column == column, "\(problems)")
    #expect(problems.first?.message.contains(message) == true, "\(problems)")
  }

  @Test func windowsLineEndingsAndAByteOrderMarkAreFine() {
    let file = ConfigFile.parse("\u{FEFF}interviewer = \"Dana\"\r\nminutes = 30\r\n")
    #expect(file.syntaxErrors.isEmpty)
    #expect(file.entry("minutes")?.value == .integer(30))
  }
}

@Suite("Settings precedence")
struct SettingsTests {
  private let file = (
    path: "/home/dana/.config/gemba/config.toml",
    text: """
    interviewer = "Dana"
    transcripts = "interviews"
    guide = "jtbd-switch"
    rules = ["~/sales/a.rules", "b.rules"]
    minutes = 45
    color = "always"
    """
  )

  @Test func theFileWinsOverTheDefaults() {
    let settings = Settings.resolve(Settings.Sources(file: file, home: "/home/dana"))
    #expect(settings.problems.isEmpty)
    #expect(settings.interviewer == Setting("Dana", from: .file(path: file.path, line: 1)))
    // A relative path means the same from any folder: it is read from the file's folder.
    #expect(settings.transcripts.value == "/home/dana/.config/gemba/interviews")
    #expect(settings.guide.value == "jtbd-switch")
    #expect(
      settings.rules.value == ["/home/dana/sales/a.rules", "/home/dana/.config/gemba/b.rules"])
    #expect(settings.minutes == Setting(45, from: .file(path: file.path, line: 5)))
    #expect(settings.color == Setting(.always, from: .file(path: file.path, line: 6)))
  }

  @Test func theEnvironmentWinsOverTheFileAndTheCommandLineOverBoth() {
    let environment = ["GEMBA_TRANSCRIPTS": "~/env-transcripts", "NO_COLOR": "1"]
    let fromEnvironment = Settings.resolve(
      Settings.Sources(environment: environment, file: file, home: "/home/dana"))
    #expect(
      fromEnvironment.transcripts
        == Setting("/home/dana/env-transcripts", from: .environment("GEMBA_TRANSCRIPTS")))
    #expect(fromEnvironment.color == Setting(.never, from: .environment("NO_COLOR")))

    let commandLine = Settings.CommandLine(
      interviewer: "Sam", transcripts: "cli", guide: "my.guide", rules: ["c.rules"], minutes: 20)
    let fromCommandLine = Settings.resolve(
      Settings.Sources(
        commandLine: commandLine, environment: environment, file: file, hasLocalTranscripts: true,
        home: "/home/dana"))
    #expect(fromCommandLine.interviewer == Setting("Sam", from: .commandLine))
    #expect(fromCommandLine.transcripts == Setting("cli", from: .commandLine))
    #expect(fromCommandLine.guide == Setting("my.guide", from: .commandLine))
    #expect(fromCommandLine.rules == Setting(["c.rules"], from: .commandLine))
    #expect(fromCommandLine.minutes == Setting(20, from: .commandLine))
  }

  @Test func aTranscriptsFolderHereWinsOverTheEnvironmentAndTheFile() {
    let settings = Settings.resolve(
      Settings.Sources(
        environment: ["GEMBA_TRANSCRIPTS": "/elsewhere"], file: file, hasLocalTranscripts: true,
        home: "/home/dana"))
    #expect(settings.transcripts == Setting("transcripts", from: .workingFolder))
  }

  @Test func withNothingSetTheDefaultsHold() {
    let settings = Settings.resolve(Settings.Sources(home: "/home/dana"))
    #expect(settings.interviewer.value == nil)
    #expect(
      settings.transcripts
        == Setting("/home/dana/.local/share/gemba/transcripts", from: .defaultValue))
    #expect(settings.guide.value == nil)
    #expect(settings.rules.value.isEmpty)
    #expect(settings.minutes.value == nil)
    #expect(settings.color == Setting(.auto, from: .defaultValue))
    let xdg = Settings.resolve(
      Settings.Sources(environment: ["XDG_DATA_HOME": "/data"], home: "/home/dana"))
    #expect(xdg.transcripts.value == "/data/gemba/transcripts")
  }

  @Test func aMalformedFileIsIgnoredWholeWithItsLine() {
    let broken = (path: "/c.toml", text: "interviewer = \"Dana\"\nminutes = = 3\n")
    let settings = Settings.resolve(Settings.Sources(file: broken, home: "/h"))
    #expect(settings.fileIgnored)
    #expect(settings.problems.map(\.line) == [2])
    #expect(settings.interviewer.value == nil, "nothing is taken from a file with a mistake")
  }

  @Test func aBadValueIgnoresOnlyThatSetting() {
    let odd = (
      path: "/c.toml",
      text: "interviewer = \"Dana\"\nminutes = \"45\"\ncolour = \"never\"\ncolor = \"blue\"\n"
    )
    let settings = Settings.resolve(Settings.Sources(file: odd, home: "/h"))
    #expect(!settings.fileIgnored)
    #expect(settings.interviewer.value == "Dana")
    #expect(settings.minutes.value == nil)
    #expect(settings.color.value == .auto)
    #expect(settings.problems.map(\.line) == [2, 3, 4])
    #expect(settings.problems[0].message.contains("'minutes' should be a whole number"))
    #expect(
      settings.problems[1].message.contains("unknown setting 'colour'; did you mean 'color'?"))
  }

  @Test func theFileIsFoundByXDGOrByGembaConfig() {
    #expect(
      Settings.configPath(environment: [:], home: "/h") == "/h/.config/gemba/config.toml")
    #expect(
      Settings.configPath(environment: ["XDG_CONFIG_HOME": "/x"], home: "/h")
        == "/x/gemba/config.toml")
    #expect(
      Settings.configPath(environment: ["GEMBA_CONFIG": "~/g.toml"], home: "/h") == "/h/g.toml")
  }
}
