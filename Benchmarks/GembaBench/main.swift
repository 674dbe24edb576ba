import Foundation
import GembaCore

// gemba-bench: times parsing and checking (flow analysis included) of generated guides at several
// sizes, to hold parse + check of a 10,000-question guide under 100 ms and to show the cost grows
// linearly. See Benchmarks/README.md.

struct Options {
  var sizes = [1000, 10_000, 100_000]
  var sizesGiven = false
  var runs = 7
  var warmups = 2
  var writeGuide: String?
  var writeSize = 10_000
  var json = false
  var seed: UInt64 = 0x6765_6D62_61

  static let usage = """
    usage: gemba-bench [--sizes 1000,10000,100000] [--runs 7] [--warmups 2] [--json]
                       [--write-guide PATH [--write-size 10000]] [--seed N]

    Times GuideParser.parse, then GuideChecker.check and FlowAnalyzer.analyze (what
    GuideChecker.parseAndCheck runs, and so `gemba check`), on generated guides of each size.

      --sizes LIST       question counts to time, smallest first (default 1000,10000,100000)
      --runs N           timed runs per size; the table shows their median, min and max (default 7)
      --warmups N        untimed runs before them (default 2)
      --json             print the results as JSON instead of a table
      --write-guide PATH write a generated guide to PATH; without --sizes, only that
      --write-size N     questions in the written guide (default 10000)
      --seed N           seed of the generator (default fixed, so every run times the same guide)
    """

  static func parse(_ arguments: [String]) -> Options {
    var options = Options()
    var rest = arguments[...]
    func value(_ name: String) -> String {
      guard let next = rest.popFirst() else { fail("\(name) needs a value") }
      return next
    }
    func count(_ name: String, minimum: Int) -> Int {
      let text = value(name)
      guard let number = Int(text.replacingOccurrences(of: "_", with: "")), number >= minimum
      else { fail("\(name) needs a whole number of at least \(minimum), not '\(text)'") }
      return number
    }
    while let argument = rest.popFirst() {
      switch argument {
      case "--sizes":
        let text = value(argument)
        let sizes = text.split(separator: ",").compactMap { Int($0.filter { $0 != "_" }) }
        guard !sizes.isEmpty, sizes.count == text.split(separator: ",").count,
          sizes.allSatisfy({ $0 >= 20 })
        else { fail("--sizes needs question counts of at least 20, like 1000,10000") }
        options.sizes = sizes.sorted()
        options.sizesGiven = true
      case "--runs": options.runs = count(argument, minimum: 1)
      case "--warmups": options.warmups = count(argument, minimum: 0)
      case "--write-guide": options.writeGuide = value(argument)
      case "--write-size": options.writeSize = count(argument, minimum: 20)
      case "--seed":
        let text = value(argument)
        guard let seed = UInt64(text) else { fail("--seed needs a whole number, not '\(text)'") }
        options.seed = seed
      case "--json": options.json = true
      case "-h", "--help":
        print(usage)
        exit(0)
      default: fail("unknown option '\(argument)'")
      }
    }
    return options
  }

  static func fail(_ message: String) -> Never {
    FileHandle.standardError.write(Data("gemba-bench: error: \(message)\n\n\(usage)\n".utf8))
    exit(64)
  }
}

/// The figures for one size.
struct SizeResult: Codable {
  var questions: Int
  var sections: Int
  var lines: Int
  var bytes: Int
  var warnings: Int
  var parseMs: Summary
  var checkMs: Summary
  var totalMs: Summary
  var nsPerQuestion: Double
  /// ns per question here divided by ns per question at the smallest size: 1 is linear.
  var ratioToSmallest: Double
  var peakRSSMiB: Double
}

struct Report: Codable {
  var date: String
  var cpus: Int
  var cpuModel: String
  var runs: Int
  var warmups: Int
  /// Whether the peak was reset before each size; if not, it is the process's peak so far.
  var peakPerSize: Bool
  var results: [SizeResult]
}

/// One parse and check, timed in two parts; the same steps as `GuideChecker.parseAndCheck`.
func measureOnce(path: String, text: String) -> (parse: UInt64, check: UInt64, diagnostics: Int) {
  let start = nowNanoseconds()
  let parsed = GuideParser.parse(path: path, text: text)
  let parsedAt = nowNanoseconds()
  var diagnostics = parsed.diagnostics + GuideChecker.check(parsed.guide)
  if !diagnostics.hasErrors {
    diagnostics += FlowAnalyzer.analyze(parsed.guide).diagnostics
  }
  let checkedAt = nowNanoseconds()
  // Freeing the guide is left out of the timing, as `gemba check` keeps it to print the report.
  return withExtendedLifetime(parsed) {
    (parsedAt - start, checkedAt - parsedAt, diagnostics.count)
  }
}

/// Checks that the guide has no errors, so the timings are of the path valid guides take.
func validate(_ guide: GeneratedGuide, path: String) -> Int {
  let (_, diagnostics) = GuideChecker.parseAndCheck(path: path, text: guide.text)
  let errors = diagnostics.filter { $0.severity == .error }
  if !errors.isEmpty {
    var message = "gemba-bench: error: the generated guide of \(guide.questions) questions has "
    message += "\(errors.count) errors; the benchmark would time error paths:\n"
    for error in errors.prefix(10) {
      let place = error.range.start
      message += "  \(place.path):\(place.line):\(place.column): \(error.message) "
      message += "[\(error.code.rawValue)]\n"
    }
    FileHandle.standardError.write(Data(message.utf8))
    exit(1)
  }
  let split = measureOnce(path: path, text: guide.text)
  if split.diagnostics != diagnostics.count {
    FileHandle.standardError.write(
      Data("gemba-bench: error: the timed steps differ from GuideChecker.parseAndCheck\n".utf8))
    exit(1)
  }
  return diagnostics.count { $0.severity == .warning }
}

func run(size: Int, options: Options, peakPerSize: Bool) -> SizeResult {
  let guide = GuideGenerator.generate(questions: size, seed: options.seed)
  let path = "bench-\(size).guide"
  let warnings = validate(guide, path: path)
  for _ in 0..<options.warmups { _ = measureOnce(path: path, text: guide.text) }
  if peakPerSize { PeakMemory.reset() }
  var parse: [Double] = []
  var check: [Double] = []
  var total: [Double] = []
  for _ in 0..<options.runs {
    let sample = measureOnce(path: path, text: guide.text)
    parse.append(Double(sample.parse) / 1e6)
    check.append(Double(sample.check) / 1e6)
    total.append(Double(sample.parse + sample.check) / 1e6)
  }
  let peak = Double(PeakMemory.peakBytes()) / 1_048_576
  let totals = Summary(total)
  return SizeResult(
    questions: guide.questions, sections: guide.sections, lines: guide.lines,
    bytes: guide.text.utf8.count, warnings: warnings, parseMs: Summary(parse),
    checkMs: Summary(check), totalMs: totals,
    nsPerQuestion: totals.median * 1e6 / Double(guide.questions), ratioToSmallest: 1,
    peakRSSMiB: peak)
}

func cpuModel() -> String {
  guard let info = try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8) else {
    return "unknown"
  }
  for line in info.split(separator: "\n") where line.hasPrefix("model name") {
    if let colon = line.firstIndex(of: ":") {
      return line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
    }
  }
  return "unknown"
}

func printTable(_ report: Report) {
  print("gemba-bench: parse + check (flow analysis included) of generated guides")
  print(
    "\(report.date), \(report.cpus) CPUs, \(report.cpuModel); median of \(report.runs) runs "
      + "after \(report.warmups) warm-ups")
  #if DEBUG
  print("warning: debug build; build with -c release for figures worth comparing")
  #endif
  print("")
  let header = [
    "questions", "sections", "parse ms", "check+flow ms", "total ms", "min", "max", "ns/question",
    "peak RSS MiB", "ns/q ratio",
  ]
  let widths = [9, 8, 9, 13, 9, 8, 8, 11, 12, 10]
  func row(_ cells: [String]) -> String {
    zip(cells, widths).map { cell, width in
      String(repeating: " ", count: max(0, width - cell.count)) + cell
    }.joined(separator: "  ")
  }
  print(row(header))
  for result in report.results {
    print(
      row([
        "\(result.questions)", "\(result.sections)",
        String(format: "%.2f", result.parseMs.median),
        String(format: "%.2f", result.checkMs.median),
        String(format: "%.2f", result.totalMs.median),
        String(format: "%.2f", result.totalMs.min),
        String(format: "%.2f", result.totalMs.max),
        String(format: "%.0f", result.nsPerQuestion),
        String(format: "%.1f", result.peakRSSMiB),
        String(format: "%.2f", result.ratioToSmallest),
      ]))
  }
  print("")
  for result in report.results {
    print(
      "\(result.questions) questions: \(result.lines) lines, \(result.bytes / 1024) KiB, "
        + "no errors, \(result.warnings) warnings")
  }
  if !report.peakPerSize {
    print("peak RSS is the process's peak so far (the peak could not be reset per size)")
  }
  if let tenK = report.results.first(where: { $0.questions == 10_000 }) {
    let met = tenK.totalMs.median < 100 ? "met" : "MISSED"
    print(
      "target: 10,000 questions parsed and checked in under 100 ms: \(met) "
        + "(median \(String(format: "%.2f", tenK.totalMs.median)) ms)")
  }
}

let options = Options.parse(Array(CommandLine.arguments.dropFirst()))

if let path = options.writeGuide {
  let guide = GuideGenerator.generate(questions: options.writeSize, seed: options.seed)
  do {
    try guide.text.write(toFile: path, atomically: true, encoding: .utf8)
  } catch {
    Options.fail("cannot write '\(path)': \(error.localizedDescription)")
  }
  FileHandle.standardError.write(
    Data(
      "gemba-bench: wrote \(path): \(guide.questions) questions, \(guide.sections) sections\n"
        .utf8))
  if !options.sizesGiven { exit(0) }
}

let peakPerSize = PeakMemory.reset()
var results: [SizeResult] = []
for size in options.sizes {
  FileHandle.standardError.write(Data("gemba-bench: \(size) questions…\n".utf8))
  results.append(run(size: size, options: options, peakPerSize: peakPerSize))
}
if let smallest = results.first?.nsPerQuestion, smallest > 0 {
  for index in results.indices {
    results[index].ratioToSmallest = results[index].nsPerQuestion / smallest
  }
}
let formatter = ISO8601DateFormatter()
formatter.formatOptions = [.withFullDate]
let report = Report(
  date: formatter.string(from: Date()), cpus: ProcessInfo.processInfo.activeProcessorCount,
  cpuModel: cpuModel(), runs: options.runs, warmups: options.warmups, peakPerSize: peakPerSize,
  results: results)
if options.json {
  let encoder = JSONEncoder()
  encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
  do {
    print(String(decoding: try encoder.encode(report), as: UTF8.self))
  } catch {
    Options.fail("cannot encode the results: \(error)")
  }
} else {
  printTable(report)
}
