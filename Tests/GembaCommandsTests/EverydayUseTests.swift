import Foundation
import GembaCore
import GembaTerminal
import GembaTestSupport
import Testing

/// Settings, rehearsals, listing interviews, notes after the call and formatting, through the
/// built binary as a salesperson uses them.
@Suite("Everyday use, end to end")
struct EverydayUseTests {
  static let cases = casesFolder("transcripts", target: "GembaCommandsTests")

  private static func write(_ text: String, to url: URL) throws {
    try FileManager.default.createDirectory(
      at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
    try text.write(to: url, atomically: true, encoding: .utf8)
  }

  private static func transcripts(in folder: URL) -> [URL] {
    let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
    return names.filter { $0.hasSuffix(".jsonl") }.sorted().map(folder.appendingPathComponent)
  }

  private static func header(_ url: URL) throws -> [String: Any] {
    let text = try String(contentsOf: url, encoding: .utf8)
    let first = String(text.split(separator: "\n").first ?? "")
    return try #require(
      try JSONSerialization.jsonObject(with: Data(first.utf8)) as? [String: Any])
  }

  // MARK: Settings

  @Test func theSettingsFileFillsInWhatTheCommandLineLeavesOut() throws {
    let folder = try BinaryRunner.temporaryFolder()
    let config = folder.appendingPathComponent("config/gemba/config.toml")
    try Self.write(
      """
      interviewer = "Dana"
      minutes = 45
      transcripts = "../../interviews"   # relative to this file
      guide = "jtbd-switch"
      """, to: config)
    let environment = ["GEMBA_CONFIG": config.path]
    let first = try BinaryRunner.run(
      ["run", "--customer", "Acme"], in: folder, input: "x\n", environment: environment)
    #expect(first.status == 0, "\(first.stderr)")
    let interviews = folder.appendingPathComponent("interviews")
    let made = try #require(Self.transcripts(in: interviews).first)
    let header = try Self.header(made)
    #expect(header["interviewer"] as? String == "Dana")
    #expect(header["minutes"] as? Int == 45)
    #expect(
      (header["guide"] as? [String: Any])?["path"] as? String == "<built-in>/jtbd-switch.guide")

    // The command line wins over the file; the environment wins over the file.
    let elsewhere = folder.appendingPathComponent("env-transcripts")
    let second = try BinaryRunner.run(
      ["run", "customer-purpose", "--minutes", "20", "--interviewer", "Sam"], in: folder,
      input: "x\n", environment: environment.merging(["GEMBA_TRANSCRIPTS": elsewhere.path]) { $1 })
    #expect(second.status == 0, "\(second.stderr)")
    let other = try Self.header(try #require(Self.transcripts(in: elsewhere).first))
    #expect(other["minutes"] as? Int == 20)
    #expect(other["interviewer"] as? String == "Sam")
    #expect((other["guide"] as? [String: Any])?["title"] as? String == "Customer purpose")

    let shown = try BinaryRunner.run(
      ["config"], in: folder, environment: environment.merging(["GEMBA_TRANSCRIPTS": "/t"]) { $1 })
    #expect(shown.status == 0)
    #expect(shown.stdout.contains("config file: \(config.path) (read)"))
    #expect(shown.stdout.contains("interviewer  Dana"))
    #expect(shown.stdout.contains("config file, line 1"))
    #expect(shown.stdout.contains("/t "), "\(shown.stdout)")
    #expect(shown.stdout.contains("$GEMBA_TRANSCRIPTS"))
    #expect(shown.stdout.contains("color        never"), "NO_COLOR is set by the test runner")
    let path = try BinaryRunner.run(["config", "--path"], in: folder, environment: environment)
    #expect(path.stdout == config.path + "\n")
  }

  @Test func aMalformedSettingsFileIsReportedWithItsLineAndIgnored() throws {
    let folder = try BinaryRunner.temporaryFolder()
    let config = folder.appendingPathComponent("config.toml")
    try Self.write("interviewer = \"Dana\"\nminutes = = 45\n", to: config)
    let environment = ["GEMBA_CONFIG": config.path]
    let guides = try BinaryRunner.run(["guides"], in: folder, environment: environment)
    #expect(guides.status == 0, "a broken settings file never stops a command")
    #expect(guides.stdout.contains("customer-purpose"))
    #expect(
      guides.stderr.contains(
        "\(config.path):2:11: error: expected a value: text in quotes"),
      "\(guides.stderr)")
    #expect(guides.stderr.contains("the whole file is ignored until this is fixed"))
    let shown = try BinaryRunner.run(["config"], in: folder, environment: environment)
    #expect(shown.status == 0)
    #expect(shown.stdout.contains("(ignored: it has a mistake (below))"))
    #expect(shown.stdout.contains("(asked at the start of an interview)"))
    #expect(shown.stderr.components(separatedBy: ":2:11:").count == 2, "reported once")
  }

  @Test func configInitWritesATemplateThatReadsClean() throws {
    let folder = try BinaryRunner.temporaryFolder()
    let environment = ["XDG_CONFIG_HOME": folder.path, "GEMBA_CONFIG": ""]
    let made = try BinaryRunner.run(["config", "--init"], in: folder, environment: environment)
    #expect(made.status == 0, "\(made.stderr)")
    let path = folder.appendingPathComponent("gemba/config.toml").path
    #expect(FileManager.default.fileExists(atPath: path))
    let again = try BinaryRunner.run(["config", "--init"], in: folder, environment: environment)
    #expect(again.status == 1)
    #expect(again.stderr.contains("already exists"))
    let shown = try BinaryRunner.run(["config"], in: folder, environment: environment)
    #expect(shown.stderr.isEmpty, "\(shown.stderr)")
    #expect(shown.stdout.contains("(read)"))
  }

  // MARK: Practice and list

  @Test func rehearsalsAreKeptApartAndOutOfTheList() throws {
    let folder = try BinaryRunner.temporaryFolder()
    let transcripts = folder.appendingPathComponent("t")
    let real = try BinaryRunner.run(
      ["run", "--customer", "Acme", "--transcripts", transcripts.path], input: "x\n")
    #expect(real.status == 0)
    let practice = try BinaryRunner.run(
      ["run", "--practice", "--customer", "Big Prospect", "--transcripts", transcripts.path],
      input: "x\n")
    #expect(practice.status == 0, "\(practice.stderr)")
    #expect(practice.stdout.contains("kept apart from real interviews"))
    let rehearsal = try #require(
      Self.transcripts(in: transcripts.appendingPathComponent("practice")).first)
    #expect(try Self.header(rehearsal)["practice"] as? Bool == true)
    #expect(Self.transcripts(in: transcripts).count == 1, "only the real interview is beside it")

    let list = try BinaryRunner.run(["list", "--transcripts", transcripts.path])
    #expect(list.status == 0)
    #expect(list.stdout.contains("Acme"))
    #expect(!list.stdout.contains("Big Prospect"))
    let all = try BinaryRunner.run(["list", "--practice", "--transcripts", transcripts.path])
    #expect(all.stdout.contains("Big Prospect [practice]"))

    // A practice transcript moved in among the real ones is still left out.
    try FileManager.default.moveItem(
      at: rehearsal, to: transcripts.appendingPathComponent(rehearsal.lastPathComponent))
    let moved = try BinaryRunner.run(["list", "--transcripts", transcripts.path])
    #expect(!moved.stdout.contains("Big Prospect"))
  }

  /// A folder with a finished interview, an unfinished one and a broken file.
  private static func exampleFolder() throws -> URL {
    let folder = try BinaryRunner.temporaryFolder()
    let answers = try String(
      contentsOf: cases.appendingPathComponent("customer-purpose.answers"), encoding: .utf8)
    let finished = try BinaryRunner.run(
      ["run", "--customer", "Café Schön", "--transcripts", folder.path], input: answers)
    #expect(finished.status == 0)
    let unfinished = try BinaryRunner.run(
      ["run", "jtbd-switch", "--customer", "Tanaka Logistics", "--transcripts", folder.path],
      input: "learn\nhypothesis\n")
    #expect(unfinished.status == 0)
    try "not a transcript\n".write(
      to: folder.appendingPathComponent("2020-01-01T0000Z_broken_abcd.jsonl"), atomically: true,
      encoding: .utf8)
    return folder
  }

  @Test func listShowsUnfinishedFirstWithHowFarEachGot() throws {
    let folder = try Self.exampleFolder()
    let text = try BinaryRunner.run(
      ["list", "--transcripts", folder.path], environment: ["TZ": "UTC"])
    #expect(text.status == 0, "\(text.stderr)")
    let lines = text.stdout.split(separator: "\n").map(String.init)
    let tanaka = try #require(lines.firstIndex { $0.contains("Tanaka Logistics") })
    let cafe = try #require(lines.firstIndex { $0.contains("Café Schön") })
    #expect(tanaka < cafe, "unfinished first")
    #expect(lines[tanaka].contains("Jobs to be done"))
    #expect(lines[tanaka].contains("2 of "), "\(lines[tanaka])")
    #expect(lines[tanaka].contains("stopped in Before the call"))
    #expect(lines[cafe].contains("ended"))
    #expect(text.stdout.contains("cannot be read"))
    #expect(text.stdout.contains("broken_abcd.jsonl: the first line is not a Gemba transcript"))

    let unfinished = try BinaryRunner.run(["list", "--unfinished", "--transcripts", folder.path])
    #expect(unfinished.stdout.contains("Tanaka"))
    #expect(!unfinished.stdout.contains("Café Schön"))

    let json = try BinaryRunner.run(
      ["list", "--format", "json", "--customer", "cafe  SCHON", "--transcripts", folder.path])
    let entries = try #require(
      try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [[String: Any]])
    #expect(entries.count == 1)
    #expect(entries.first?["customer"] as? String == "Café Schön")
    #expect(entries.first?["finished"] as? Bool == true)
    let answered = try #require(entries.first?["answered"] as? Int)
    let onPath = try #require(entries.first?["onPath"] as? Int)
    #expect(answered > 0 && answered <= onPath)

    let empty = try BinaryRunner.run(["list", "--transcripts", folder.path + "/none"])
    #expect(empty.status == 0)
    #expect(empty.stdout.hasPrefix("no interviews in "))
  }

  // MARK: Notes

  @Test func aNoteIsAppendedAfterTheCallAndNothingElseChanges() throws {
    let folder = try Self.exampleFolder()
    let cafe = try #require(
      Self.transcripts(in: folder).first { $0.lastPathComponent.contains("cafe-schon") })
    let before = try Data(contentsOf: cafe)

    let byName = try BinaryRunner.run(
      [
        "note", "CAFE schön", "they", "called", "back:", "pilot", "in", "March", "--transcripts",
        folder.path,
      ])
    #expect(byName.status == 0, "\(byName.stderr)")
    // The interview already holds a note taken during the call: this one comes after it.
    #expect(byName.stdout.hasPrefix("note 2 added to the interview with Café Schön"))
    let byPath = try BinaryRunner.run(["note", cafe.path, "second thought"])
    #expect(byPath.status == 0, "\(byPath.stderr)")

    let after = try Data(contentsOf: cafe)
    #expect(after.prefix(before.count) == before, "earlier lines are never touched")
    let added = String(decoding: after.dropFirst(before.count), as: UTF8.self)
      .split(separator: "\n")
    #expect(added.count == 2)
    let note = try #require(
      try JSONSerialization.jsonObject(with: Data(added[0].utf8)) as? [String: Any])
    #expect(note["type"] as? String == "note")
    #expect(note["text"] as? String == "they called back: pilot in March")
    #expect(note["note"] as? Int == 2)
    #expect(note["t"] is String)
    #expect(added[1].contains("\"note\":3"))
    let contents = try #require(try? TranscriptCodec.read(Array(after)).get())
    #expect(contents.problems.isEmpty)
    #expect(contents.isFinished, "a note after the end leaves the interview ended")

    let unknown = try BinaryRunner.run(["note", "Nobody", "x", "--transcripts", folder.path])
    #expect(unknown.status == 1)
    #expect(unknown.stderr.contains("no interview with 'Nobody'"))
    let empty = try BinaryRunner.run(["note", cafe.path])
    #expect(empty.status == 64)
  }

  @Test func aNoteIsRefusedWhileAnotherGembaHoldsTheInterview() throws {
    let folder = try Self.exampleFolder()
    let tanaka = try #require(
      Self.transcripts(in: folder).first { $0.lastPathComponent.contains("tanaka") })
    let (journal, _) = try TranscriptJournal.open(path: tanaka.path)
    defer { journal.close() }
    let before = try Data(contentsOf: tanaka)
    let refused = try BinaryRunner.run(["note", tanaka.path, "x"])
    #expect(refused.status == 1)
    #expect(refused.stderr.contains("another Gemba has this interview open"), "\(refused.stderr)")
    #expect(try Data(contentsOf: tanaka) == before)
  }

  // MARK: Formatting

  @Test func fmtCheckListsWhatWouldChangeAndFmtFixesIt() throws {
    let folder = try BinaryRunner.temporaryFolder()
    let messy = folder.appendingPathComponent("guides/messy.guide")
    try Self.write("title:T\n#  A (before)\n?a: A?\n   hint:h\n", to: messy)
    let tidy = folder.appendingPathComponent("guides/tidy.guide")
    try Self.write("title: T\n\n# A\n? a: A?\n", to: tidy)
    let rules = folder.appendingPathComponent("guides/x.rules")
    try Self.write(
      "title: R\nrule r:  R\n   when: a is answered\n   phase: do\n   propose: P\n   because: B\n"
        + "   source: S\n", to: rules)

    let check = try BinaryRunner.run(["fmt", "--check", "guides"], in: folder)
    #expect(check.status == 1)
    #expect(check.stdout == "guides/messy.guide\nguides/x.rules\n")
    #expect(check.stderr.contains("2 of 3 files are not formatted"), "\(check.stderr)")

    let fix = try BinaryRunner.run(["fmt", "guides"], in: folder)
    #expect(fix.status == 0, "\(fix.stderr)")
    #expect(
      try String(contentsOf: messy, encoding: .utf8)
        == "title: T\n\n# A (before)\n? a: A?\n  hint: h\n")
    #expect(
      try String(contentsOf: rules, encoding: .utf8)
        == "title: R\n\nrule r: R\n  phase: do\n  when: a is answered\n  propose: P\n  because: B\n"
        + "  source: S\n")
    #expect(try BinaryRunner.run(["fmt", "--check", "guides"], in: folder).status == 0)

    let broken = folder.appendingPathComponent("broken.guide")
    try Self.write("title: T\n# A\n? a (scal): A?\n", to: broken)
    let refused = try BinaryRunner.run(["fmt", "broken.guide"], in: folder)
    #expect(refused.status == 1)
    #expect(refused.stderr.contains("broken.guide:3:6: error: unknown attribute 'scal'"))
    #expect(try String(contentsOf: broken, encoding: .utf8) == "title: T\n# A\n? a (scal): A?\n")
  }

  @Test func theShippedScriptsAreFormatted() throws {
    let result = try BinaryRunner.run(["fmt", "--check", "scripts"])
    #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
  }

  // MARK: Installing

  @Test func makeInstallPutsAWorkingGembaInAPrefixAndUninstallTakesItAway() throws {
    let prefix = try BinaryRunner.temporaryFolder()
    let install = try Self.make(
      [
        "install-files", "PREFIX=\(prefix.path)", "GEMBA_BIN=\(BinaryRunner.binary.path)",
        "MAN_PAGE=",
      ])
    #expect(install.status == 0, "\(install.stderr)")
    let installed = prefix.appendingPathComponent("bin/gemba")
    for file in [
      "bin/gemba", "share/gemba/customer-purpose.guide", "share/gemba/jtbd-switch.guide",
      "share/bash-completion/completions/gemba", "share/zsh/site-functions/_gemba",
      "share/fish/vendor_completions.d/gemba.fish",
    ] {
      let path = prefix.appendingPathComponent(file).path
      let size = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? 0
      #expect(size > 0, "\(file) is installed")
    }

    // From a folder with no scripts/ and no transcripts/: the built-in guides, the user's data.
    let elsewhere = try BinaryRunner.temporaryFolder()
    let run = Process()
    run.executableURL = installed
    run.arguments = ["check"]
    run.currentDirectoryURL = elsewhere
    let output = Pipe()
    run.standardOutput = output
    try run.run()
    let printed = String(
      decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    run.waitUntilExit()
    #expect(run.terminationStatus == 0)
    #expect(printed.hasSuffix("files checked, no problems found\n"), "\(printed)")

    let uninstall = try Self.make(["uninstall", "PREFIX=\(prefix.path)"])
    #expect(uninstall.status == 0, "\(uninstall.stderr)")
    let left = FileManager.default.enumerator(atPath: prefix.path)?.allObjects.compactMap {
      item -> String? in
      guard let name = item as? String else { return nil }
      var isDirectory: ObjCBool = false
      FileManager.default.fileExists(
        atPath: prefix.appendingPathComponent(name).path, isDirectory: &isDirectory)
      return isDirectory.boolValue ? nil : name
    }
    #expect(left == [], "uninstall leaves no file behind")
  }

  private static func make(_ arguments: [String]) throws -> BinaryRunner.Output {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments =
      ["make", "--no-print-directory", "-C", BinaryRunner.repositoryRoot.path]
      + arguments
    let output = Pipe()
    let errors = Pipe()
    process.standardOutput = output
    process.standardError = errors
    try process.run()
    let printed = output.fileHandleForReading.readDataToEndOfFile()
    let failed = errors.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return BinaryRunner.Output(
      status: process.terminationStatus, stdout: String(decoding: printed, as: UTF8.self),
      stderr: String(decoding: failed, as: UTF8.self))
  }
}
