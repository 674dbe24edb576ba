import Foundation
import Testing

@Suite("gemba check, end to end")
struct CheckCommandTests {
  @Test func theShippedScriptsAreClean() throws {
    let result = try BinaryRunner.run(["check", "--warnings-as-errors", "scripts"])
    #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
    #expect(result.stdout.contains("no problems found"))
  }

  @Test func withNoScriptsFolderItChecksTheBuiltInGuidesAndRules() throws {
    let folder = try BinaryRunner.temporaryFolder()
    let result = try BinaryRunner.run(["check"], in: folder)
    #expect(result.status == 0)
    // Two guides, two rule files, their two tests and the coaching rubric.
    #expect(result.stdout == "7 files checked, no problems found\n")
  }

  @Test func errorsExitOneAndNameTheirPlace() throws {
    let folder = try BinaryRunner.temporaryFolder()
    let path = folder.appendingPathComponent("broken.guide")
    try
      "title: Broken\n\n# Purpose\n? focus (choice): What matters?\n  - growth: Growth -> Grwoth\n"
      .write(to: path, atomically: true, encoding: .utf8)
    let result = try BinaryRunner.run(["check", "broken.guide"], in: folder)
    #expect(result.status == 1)
    #expect(
      result.stdout
        == "broken.guide:5:23: error: jump to unknown section 'Grwoth' [G105]\n"
        + "  |\n5 |   - growth: Growth -> Grwoth\n  |                       ^~~~~~\n\n"
        + "1 file checked, 1 error\n")
    #expect(result.stdout.hasSuffix("1 file checked, 1 error\n"))
    #expect(!result.stdout.contains("\u{1B}["), "no colour when not on a terminal")
  }

  @Test func warningsAsErrorsTurnsAWarningIntoFailure() throws {
    let folder = try BinaryRunner.temporaryFolder()
    try "title: T\n# A\n? a: A?\n// TODO: finish\n".write(
      to: folder.appendingPathComponent("todo.guide"), atomically: true, encoding: .utf8)
    #expect(try BinaryRunner.run(["check", "todo.guide"], in: folder).status == 0)
    let strict = try BinaryRunner.run(["check", "--warnings-as-errors", "todo.guide"], in: folder)
    #expect(strict.status == 1)
    #expect(strict.stdout.contains("error: note left in the guide: TODO: finish [G901]"))
  }

  @Test func jsonIsMachineReadable() throws {
    let folder = try BinaryRunner.temporaryFolder()
    try "title: T\n# A\n? a (scal): A?\n".write(
      to: folder.appendingPathComponent("a.guide"), atomically: true, encoding: .utf8)
    let result = try BinaryRunner.run(["check", "--format", "json", "."], in: folder)
    #expect(result.status == 1)
    let object = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any]
    #expect(object?["errors"] as? Int == 1)
    let first = (object?["diagnostics"] as? [[String: Any]])?.first
    #expect(first?["code"] as? String == "G004")
    #expect(first?["line"] as? Int == 3)
    #expect(first?["column"] as? Int == 6)
    #expect(first?["file"] as? String == "./a.guide")
  }

  @Test func badUsageExitsWithTheUsageCode() throws {
    let result = try BinaryRunner.run(["check", "--format", "xml"])
    #expect(result.status == 64)
    #expect(result.stderr.contains("--format"))
  }

  @Test func aMissingPathIsAnError() throws {
    let result = try BinaryRunner.run(["check", "no/such/place"])
    #expect(result.status == 1)
    #expect(result.stderr.contains("no such file or folder 'no/such/place'"))
  }

  @Test func includedFilesAreCheckedWithTheirIncluder() throws {
    let folder = try BinaryRunner.temporaryFolder()
    try "title: T\n# A\n? a: A?\ninclude: parts/debrief.guide\n".write(
      to: folder.appendingPathComponent("main.guide"), atomically: true, encoding: .utf8)
    try FileManager.default.createDirectory(
      at: folder.appendingPathComponent("parts"), withIntermediateDirectories: true)
    try "# Debrief (after)\n? push (assess 0...3): Push?\n".write(
      to: folder.appendingPathComponent("parts/debrief.guide"), atomically: true, encoding: .utf8)
    let result = try BinaryRunner.run(["check", "."], in: folder)
    #expect(result.status == 0, "\(result.stdout)")
  }

  @Test func everySubcommandHasHelpAndThereIsAVersion() throws {
    for command in [[], ["check"], ["guides"]] {
      let result = try BinaryRunner.run(command + ["--help"])
      #expect(result.status == 0)
      #expect(result.stdout.contains("USAGE:"))
    }
    let version = try BinaryRunner.run(["--version"])
    #expect(version.status == 0)
    #expect(version.stdout.first?.isNumber == true)
  }

  @Test func aBuiltInGuideCanBePrintedAndIsTheShippedFile() throws {
    let result = try BinaryRunner.run(["guides", "--print", "jtbd-switch"])
    let shipped = try String(
      contentsOf: BinaryRunner.repositoryRoot.appendingPathComponent("scripts/jtbd-switch.guide"),
      encoding: .utf8)
    #expect(result.stdout == shipped)
  }
}
