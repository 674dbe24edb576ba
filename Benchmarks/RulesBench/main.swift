import Foundation
import GembaCore

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

// gemba-rules-bench: Gemba's side of the rules-peers benchmark (see Benchmarks/README.md).
//
//   gemba-rules-bench DATADIR [--repeat N] [--write FOLDER] [--scripts FOLDER] [--eval-only]
//
// Reads DATADIR/rules.json and DATADIR/records.json (from the peers' gen.py), converts them into a
// guide, a rule file and one interview per record, evaluates every rule against every interview
// through the evaluator `gemba propose` uses, and prints one JSON line in the peers' format
// (rule-evaluations per second, firings and the oracle's checksum). Rule loading and reading the
// records are left out of the time, as they are for the peers; each interview's sheet of answers is
// built inside it, and nothing is kept from one interview to the next. With --scripts it also
// times one interview's full proposals (evidence and all) against the default rules.

/// Monotonic seconds.
func now() -> Double {
  var spec = timespec()
  clock_gettime(CLOCK_MONOTONIC, &spec)
  return Double(spec.tv_sec) + Double(spec.tv_nsec) / 1e9
}

/// Seconds of CPU this thread has used: steadier than the wall clock on a busy machine.
func cpuNow() -> Double {
  var spec = timespec()
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &spec)
  return Double(spec.tv_sec) + Double(spec.tv_nsec) / 1e9
}

func fail(_ message: String) -> Never {
  FileHandle.standardError.write(Data("gemba-rules-bench: \(message)\n".utf8))
  exit(1)
}

func note(_ message: String) {
  FileHandle.standardError.write(Data((message + "\n").utf8))
}

func median(_ values: [Double]) -> Double {
  let sorted = values.sorted()
  guard !sorted.isEmpty else { return 0 }
  let middle = sorted.count / 2
  return sorted.count % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2
}

var arguments = Array(CommandLine.arguments.dropFirst())
var repeats = 3
var writeFolder: String?
var scriptsFolder: String?
var dataFolder: String?
var evaluationOnly = false
while !arguments.isEmpty {
  let argument = arguments.removeFirst()
  switch argument {
  case "--repeat":
    guard let value = arguments.first.flatMap(Int.init), value > 0 else {
      fail("--repeat needs a positive number")
    }
    repeats = value
    arguments.removeFirst()
  case "--write":
    guard let value = arguments.first else { fail("--write needs a folder") }
    writeFolder = value
    arguments.removeFirst()
  case "--eval-only":
    evaluationOnly = true
  case "--scripts":
    guard let value = arguments.first else { fail("--scripts needs a folder") }
    scriptsFolder = value
    arguments.removeFirst()
  default:
    dataFolder = argument
  }
}
let today = Day(year: 2026, month: 11, day: 26) ?? RuleTestRunner.defaultToday

/// Every rule of the workload in `dataFolder` against every interview: the peers' measure.
func runWorkload(
  _ dataFolder: String, repeats: Int, writeFolder: String?, evaluationOnly: Bool
) -> [String: Any] {
  let workload: Workload
  do {
    workload = try Workload(folder: dataFolder)
  } catch {
    fail("cannot read the workload in \(dataFolder): \(error)")
  }

  // Loading: the guide and rules parsed and checked, the rules compiled (not timed as evaluation).
  let compileStart = now()
  let guideResult = GuideChecker.parseAndCheck(path: "rules-bench.guide", text: workload.guideText)
  if guideResult.diagnostics.hasErrors { fail("the generated guide has errors") }
  let guide = guideResult.guide
  let checked = RuleChecker.parseAndCheck(
    path: "rules-bench.rules", text: workload.rulesText,
    guides: [RuleGuide(path: "rules-bench.guide", guide: guide)])
  let errors = checked.diagnostics.filter { $0.severity == .error }
  if !errors.isEmpty {
    let renderer = DiagnosticRenderer(colored: false, showsSource: false)
    fail(
      "the generated rules have errors:\n" + errors.map(renderer.headline).joined(separator: "\n"))
  }
  let rules = RuleSet([checked.file])
  let index = GuideIndex(guide, today: today)
  let prepared = rules.prepared(for: index)
  let compileSeconds = now() - compileStart
  guard prepared.applicable.count == workload.rules.count else {
    fail("only \(prepared.applicable.count) of \(workload.rules.count) rules apply to the guide")
  }

  // Reading the interviews: the transcript events folded into each interview's state, as
  // `gemba propose` does after reading a transcript file (the peers' JSON parsing, also untimed).
  var states: [InterviewState] = []
  var samples: [[TranscriptEvent]] = []
  workload.forEachTranscript(guide: guide, today: today) { events in
    var state = InterviewState(guide: guide)
    for event in events { state.apply(event) }
    states.append(state)
    if samples.count < 3 { samples.append(events) }
  }
  let ids = workload.records.map { UInt64($0.id) }

  if let writeFolder {
    try? FileManager.default.createDirectory(atPath: writeFolder, withIntermediateDirectories: true)
    try? workload.guideText.write(
      toFile: writeFolder + "/rules-bench.guide", atomically: true, encoding: .utf8)
    try? workload.rulesText.write(
      toFile: writeFolder + "/rules-bench.rules", atomically: true, encoding: .utf8)
    // A few transcripts to look at; the rest stay in memory.
    for (offset, events) in samples.enumerated() {
      let header = TranscriptHeader(
        id: "bench\(offset)", started: "\(today)T09:00:00.000Z",
        guide: .init(
          title: "Rules benchmark records", path: "rules-bench.guide", version: nil,
          method: "rules-bench", sha256: SHA256.hex(workload.guideText), source: workload.guideText),
        customer: .init(name: "Record \(workload.records[offset].id)"), interviewer: nil)
      let text = ([TranscriptCodec.line(header)] + events.map(TranscriptCodec.line)).joined()
      try? text.write(
        toFile: writeFolder + "/record-\(workload.records[offset].id).jsonl", atomically: true,
        encoding: .utf8)
    }
  }

  // Evaluation: every rule against every interview.
  let modulus: UInt64 = (1 << 61) - 1
  var timings: [Double] = []
  var cpuTimings: [Double] = []
  var firings = 0
  var checksum: UInt64 = 0
  for _ in 0..<repeats {
    var count = 0
    var sum: UInt64 = 0
    let start = now()
    let cpuStart = cpuNow()
    for (offset, state) in states.enumerated() {
      let id = ids[offset] + 1
      prepared.forEachFiring(state: state) { position in
        count += 1
        sum = (sum + UInt64(position + 1) * id) % modulus
      }
    }
    timings.append(now() - start)
    cpuTimings.append(cpuNow() - cpuStart)
    firings = count
    checksum = sum
  }
  let evalSeconds = median(timings)
  let pairs = Double(workload.rules.count * states.count)

  // Full proposals (text, evidence, merging) for each interview of the workload.
  let proposeStart = now()
  var proposals = 0
  for state in states where !evaluationOnly { proposals += prepared.propose(state: state).count }
  let proposeSeconds = now() - proposeStart

  let result: [String: Any] = [
    "engine": "gemba (compiled rules)",
    "rules": workload.rules.count,
    "records": states.count,
    "compile_s": (compileSeconds * 10000).rounded() / 10000,
    "eval_s": (evalSeconds * 10000).rounded() / 10000,
    "eval_cpu_s": (median(cpuTimings) * 10000).rounded() / 10000,
    "pairs_per_s": Int((pairs / evalSeconds).rounded()),
    "firings": firings,
    "checksum": checksum,
    "runs": repeats,
    "propose_us_per_interview": (proposeSeconds / Double(states.count) * 1e6 * 10).rounded() / 10,
    "proposals": proposals,
  ]
  return result
}

/// One interview against the default rules in `scriptsFolder`, as the live interview will ask
/// after an answer: the worst of the two default guides, in microseconds.
func runDefaults(_ scriptsFolder: String) -> Double {
  // One interview against the default rules, as the live interview will ask after an answer.

  func read(_ name: String) -> String {
    (try? String(contentsOfFile: scriptsFolder + "/" + name, encoding: .utf8)) ?? ""
  }
  let defaultGuides = ["customer-purpose", "jtbd-switch"].map { name in
    RuleGuide(
      path: name + ".guide",
      guide: GuideParser.parse(path: name + ".guide", text: read(name + ".guide")).guide)
  }
  let defaults = RuleChecker.parseAndCheck(
    path: "next-steps.rules", text: read("next-steps.rules"), guides: defaultGuides)
  if defaults.diagnostics.hasErrors { fail("the default rules have errors") }
  let defaultRules = RuleSet([defaults.file])
  var worst = 0.0
  var averages: [String] = []
  for entry in defaultGuides {
    // Every question answered, in words that make many rules fire and quote evidence.
    var state = InterviewState(guide: entry.guide)
    let parser = AnswerParser(today: today)
    for (offset, question) in entry.guide.questions.enumerated() {
      var event = TranscriptEvent(.answer, t: "\(today)T09:00:00.000Z", ms: offset, q: question.id)
      let raw: String
      switch question.kind {
      case .choice, .choices: raw = question.options.last?.value ?? ""
      case .scale: raw = "2"
      case .number: raw = "3"
      case .yesNo: raw = "no"
      case .date: raw = "2026-12-01"
      case .text:
        raw =
          "Usually someone in finance would chase it and re-key it into a spreadsheet; "
          + "I'll just keep doing that."
      }
      event.raw = raw
      event.value = parser.read(raw, for: question).value
      state.apply(event)
    }
    let session = GuideIndex(entry.guide, today: today)
    let runs = 2000
    var made = 0
    let start = now()
    for _ in 0..<runs { made += defaultRules.propose(state: state, index: session).count }
    let seconds = (now() - start) / Double(runs)
    worst = max(worst, seconds)
    averages.append(
      "\(entry.stem): \((seconds * 1e6 * 10).rounded() / 10) µs, \(made / runs) proposals")
  }
  note("one interview against the default rules: " + averages.joined(separator: "; "))
  return (worst * 1e6 * 10).rounded() / 10
}

var result: [String: Any] = [:]
if let dataFolder {
  result = runWorkload(
    dataFolder, repeats: repeats, writeFolder: writeFolder, evaluationOnly: evaluationOnly)
} else if scriptsFolder == nil {
  fail(
    "usage: gemba-rules-bench [DATADIR] [--repeat N] [--write FOLDER] [--scripts FOLDER] "
      + "[--eval-only]")
}
if let scriptsFolder {
  result["default_rules_interview_us"] = runDefaults(scriptsFolder)
}

let data = (try? JSONSerialization.data(withJSONObject: result, options: [.sortedKeys])) ?? Data()
print(String(decoding: data, as: UTF8.self))
