import Foundation
import Testing

/// Damaged transcripts given to every command that reads one: each works, or says which file
/// and what is wrong with it; none crashes. Tests/Faults/faults.py runs the same cases at scale
/// (a 50 MB transcript among them).
@Suite("Broken transcripts")
struct BrokenTranscriptTests {
  static let guide = "title: T\n# A\n? a: A?\n? b: B?\n? c: C?\n? d: D?\n"

  /// A paused interview of `g.guide` in `folder/source`, as lines.
  static func pausedInterview(in folder: URL) throws -> [String] {
    try guide.write(
      to: folder.appendingPathComponent("g.guide"), atomically: true, encoding: .utf8)
    _ = try BinaryRunner.run(
      ["run", "g.guide", "--transcripts", "source", "--customer", "Broken Co"], in: folder,
      input: "alpha\nbeta\n")
    let found = try #require(
      InterviewEndToEndTests.findTranscript(in: folder.appendingPathComponent("source")))
    return found.text.split(separator: "\n").map(String.init)
  }

  /// The broken copies, by what is wrong with them.
  static func cases(from lines: [String]) -> [(name: String, text: String)] {
    let whole = lines.joined(separator: "\n") + "\n"
    let newer = lines[0].replacingOccurrences(of: "\"version\":1", with: "\"version\":99")
    let brokenGuide = lines[0].replacingOccurrences(
      of: #".guide","sha256""#, with: #".gone","sha256""#
    ).replacingOccurrences(of: #""source":"title: T\n"#, with: #""source":"title: T\n? x (((\n"#)
    return [
      ("torn last line", whole + #"{"ms":99,"q":"c","raw":"gam"#),
      (
        "garbage line",
        ([lines[0], "not json \u{7F}"] + lines.dropFirst()).joined(separator: "\n") + "\n"
      ),
      ("newer format", ([newer] + lines.dropFirst()).joined(separator: "\n") + "\n"),
      ("empty file", ""),
      (
        "guide copy with errors", ([brokenGuide] + lines.dropFirst()).joined(separator: "\n") + "\n"
      ),
    ]
  }

  @Test func everyCommandWorksOrSaysWhatIsWrong() throws {
    let folder = try BinaryRunner.temporaryFolder()
    let lines = try Self.pausedInterview(in: folder)
    for (number, (name, text)) in Self.cases(from: lines).enumerated() {
      let caseFolder = folder.appendingPathComponent("case-\(number)")
      try FileManager.default.createDirectory(at: caseFolder, withIntermediateDirectories: true)
      let path = caseFolder.appendingPathComponent("2026-11-26T1400Z_broken-co_000\(number).jsonl")
      try text.write(to: path, atomically: true, encoding: .utf8)
      let file = path.lastPathComponent
      let commands: [(String, [String], String)] = [
        ("list", ["list", "--transcripts", caseFolder.path], ""),
        ("replay", ["replay", path.path], ":quit\n"),
        ("resume", ["resume", path.path], "gamma\n:end\n:end\n\n\n"),
        ("propose", ["propose", path.path], ""),
        ("history", ["history", "Broken Co", "--transcripts", caseFolder.path], ""),
        ("report", ["report", path.path], ""),
        ("report csv", ["report", path.path, "--format", "csv"], ""),
        ("stats", ["stats", caseFolder.path], ""),
        ("stats of the file", ["stats", path.path], ""),
      ]
      for (command, arguments, input) in commands {
        let result = try BinaryRunner.run(arguments, in: folder, input: input)
        let said = result.stderr + result.stdout
        #expect(
          result.status == 0 || result.status == 1,
          "\(command) on \(name): exit \(result.status)\n\(result.stderr)")
        #expect(!said.contains("Fatal error"), "\(command) on \(name) crashed:\n\(said)")
        if result.status != 0 {
          #expect(
            result.stderr.contains(file) || result.stderr.contains("Broken Co"),
            "\(command) on \(name) failed without naming the file:\n\(result.stderr)")
        }
      }
    }
  }

  @Test func aDamagedGuideCopyIsNamedWithItsFirstError() throws {
    let folder = try BinaryRunner.temporaryFolder()
    let lines = try Self.pausedInterview(in: folder)
    let text = try #require(Self.cases(from: lines).first { $0.name == "guide copy with errors" })
    let path = folder.appendingPathComponent("damaged.jsonl")
    try text.text.write(to: path, atomically: true, encoding: .utf8)
    let result = try BinaryRunner.run(["resume", path.path], in: folder, input: ":end\n")
    #expect(result.status == 1)
    #expect(result.stderr.contains("cannot resume '\(path.path)'"), "\(result.stderr)")
    #expect(result.stderr.contains("g.gone:2:"), "\(result.stderr)")
    #expect(result.stderr.contains("the transcript may be damaged"), "\(result.stderr)")
  }

  @Test func aNewerFormatIsRefusedWithItsVersion() throws {
    let folder = try BinaryRunner.temporaryFolder()
    let lines = try Self.pausedInterview(in: folder)
    let text = try #require(Self.cases(from: lines).first { $0.name == "newer format" })
    let path = folder.appendingPathComponent("newer.jsonl")
    try text.text.write(to: path, atomically: true, encoding: .utf8)
    for arguments in [["resume", path.path], ["replay", path.path], ["propose", path.path]] {
      let result = try BinaryRunner.run(arguments, in: folder, input: ":quit\n")
      #expect(result.status == 1)
      #expect(result.stderr.contains("99"), "\(arguments[0]): \(result.stderr)")
    }
  }
}
