import ArgumentParser
import Foundation
import GembaCore
import GembaTerminal

/// `gemba fmt`: one layout for every guide, so diffs show what changed and nothing else.
struct FmtCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "fmt",
    abstract: "Lay out guides and rules one canonical way (indentation, spacing, order of fields).",
    discussion: """
      Rewrites each .guide and .rules file under the given files and folders in place (by \
      default scripts/). Guides: fields indented by two spaces in one order (if, labels, \
      options, constraint, message, jumps, hint, probes, tags, was, required), one space after \
      each ':', one blank line before each section. Rules: fields in one order (phase, \
      priority, applies to, when, unless, propose, because, source, owner, due), a group's \
      conditions two spaces deeper, one blank line before each rule. Comments stay where they \
      are; prompts, proposals and expressions keep their words. Formatting never changes what \
      a file means: the result is parsed and compared with the original before it is written. \
      A file with syntax errors is left alone (see 'gemba check'). '-' formats a guide from \
      standard input to standard output.

      Exit status: 0 when done (with --check: when every file is formatted already), 1 when a \
      file would change (with --check) or could not be formatted.
      """
  )

  @Argument(
    help:
      "Guide and rule files or folders (default: scripts/); '-' reads a guide from standard input.",
    completion: .file(extensions: ["guide"]))
  var paths: [String] = []

  @Flag(help: "Change nothing; list the files that are not formatted and exit 1 if there are any.")
  var check = false

  func run() throws {
    if paths == ["-"] {
      try formatStandardInput()
      return
    }
    var requested = paths
    if requested.isEmpty {
      guard FileManager.default.fileExists(atPath: "scripts") else {
        throw ValidationError(
          "name the guide files or folders to format (there is no scripts/ here)")
      }
      requested = ["scripts"]
    }
    var failed = false
    var files: [String] = []
    for path in requested {
      let found = Self.find(path)
      if found == nil {
        Console.error("gemba: error: no such file or folder '\(path)'\n")
        failed = true
      }
      files += found ?? []
    }
    var changed: [String] = []
    var checked = 0
    for file in files {
      checked += 1
      guard let data = FileManager.default.contents(atPath: file) else {
        Console.error("gemba: error: cannot read '\(file)'\n")
        failed = true
        continue
      }
      let text = String(decoding: data, as: UTF8.self)
      let result =
        file.hasSuffix(".rules")
        ? RuleFormatter.format(text, path: file) : GuideFormatter.format(text, path: file)
      switch result {
      case .success(let formatted):
        guard formatted != text else { continue }
        changed.append(file)
        if check {
          Console.out(file + "\n")
        } else {
          do {
            try Self.write(formatted, to: file)
            Console.out("formatted \(file)\n")
          } catch {
            Console.error("gemba: error: cannot write '\(file)': \(error.localizedDescription)\n")
            failed = true
          }
        }
      case .failure(let refusal):
        report(refusal, file: file, text: text)
        failed = true
      }
    }
    if check && !changed.isEmpty {
      Console.error(
        "gemba: \(changed.count) of \(checked) file\(checked == 1 ? " is" : "s are") not "
          + "formatted; run 'gemba fmt \(requested.joined(separator: " "))'\n")
      failed = true
    } else if !check {
      Console.out(
        "\(changed.count) of \(checked) file\(checked == 1 ? "" : "s") reformatted\n")
    }
    if failed { throw ExitCode(1) }
  }

  private func formatStandardInput() throws {
    var bytes: [UInt8] = []
    while let line = readLine(strippingNewline: false) { bytes += Array(line.utf8) }
    let text = String(decoding: bytes, as: UTF8.self)
    switch GuideFormatter.format(text, path: "<stdin>") {
    case .success(let formatted):
      if check {
        if formatted != text { throw ExitCode(1) }
      } else {
        Console.out(formatted)
      }
    case .failure(let refusal):
      report(refusal, file: "<stdin>", text: text)
      if !check { Console.out(text) }
      throw ExitCode(1)
    }
  }

  private func report(_ refusal: GuideFormatter.Refusal, file: String, text: String) {
    switch refusal {
    case .syntaxErrors(let diagnostics):
      let renderer = DiagnosticRenderer(colored: TerminalInfo.current().colorsErrors)
      Console.error(
        renderer.render(all: diagnostics, sources: [file: SourceFile(path: file, text: text)]))
      Console.error(
        "gemba: \(file) has syntax errors, so it is left as it is; "
          + DiagnosticRenderer.summary(of: diagnostics, files: 1) + "\n")
    case .unclearLine(let line, let message):
      Console.error("\(file):\(line):1: error: \(message); the file is left as it is\n")
    case .meaningChanged:
      Console.error(
        "gemba: error: formatting \(file) would change what it means, so it is left as it is; "
          + "this is a bug in gemba fmt, please report it with the file\n")
    }
  }

  /// The guide and rule files at `path` (a file, or a folder searched to any depth), sorted;
  /// nil when there is nothing at `path`.
  static func find(_ path: String) -> [String]? {
    var isDirectory: ObjCBool = false
    guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
      return nil
    }
    guard isDirectory.boolValue else { return [path] }
    guard let enumerator = FileManager.default.enumerator(atPath: path) else { return [] }
    var found: [String] = []
    while let item = enumerator.nextObject() as? String {
      if Path.lastComponent(item).hasPrefix(".") {
        enumerator.skipDescendants()
        continue
      }
      if item.hasSuffix(".guide") || item.hasSuffix(".rules") {
        found.append(path.hasSuffix("/") ? path + item : path + "/" + item)
      }
    }
    return found.sorted()
  }

  /// Replaces `path` in one step, keeping its permissions, so a crash leaves the old file or
  /// the new one and never half of each.
  static func write(_ text: String, to path: String) throws {
    // A link (such as the built-in guides' links to scripts/) stays a link: its target changes.
    let target = URL(fileURLWithPath: path).resolvingSymlinksInPath()
    let attributes = try? FileManager.default.attributesOfItem(atPath: target.path)
    try Data(text.utf8).write(to: target, options: .atomic)
    if let permissions = attributes?[.posixPermissions] {
      try? FileManager.default.setAttributes(
        [.posixPermissions: permissions], ofItemAtPath: target.path)
    }
  }
}
