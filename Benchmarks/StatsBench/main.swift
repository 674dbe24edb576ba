import Foundation
import GembaCore

// gemba-stats-bench: writes the transcripts the stats and report benchmark times — many
// interviews of 40 answers each, and one long interview of 5,000 events — by driving the
// interview engine with scripted answers and a simulated clock, as a piped interview would be
// written. See Benchmarks/README.md and Benchmarks/run-stats.sh.

let usage = """
  usage: gemba-stats-bench --folder DIR [--count 10000] [--big FILE [--big-events 5000]]
                           [--seed N]

  Writes COUNT transcripts of a 40-question guide (8 sections of 5) into DIR, answered by
  5 interviewers over 12 months with skips, probes, notes, tags and edits, and with --big one
  transcript of about BIG-EVENTS events (notes and probes at every question).
  """

func fail(_ message: String) -> Never {
  FileHandle.standardError.write(Data("gemba-stats-bench: \(message)\n\n\(usage)\n".utf8))
  exit(2)
}

var folder: String?
var count = 10_000
var big: String?
var bigEvents = 5_000
var seed: UInt64 = 0x7374_6174_73
var arguments = CommandLine.arguments.dropFirst()
while let argument = arguments.popFirst() {
  func value() -> String {
    guard let next = arguments.popFirst() else { fail("\(argument) needs a value") }
    return next
  }
  switch argument {
  case "--folder": folder = value()
  case "--count": count = Int(value()) ?? { fail("--count needs a number") }()
  case "--big": big = value()
  case "--big-events": bigEvents = Int(value()) ?? { fail("--big-events needs a number") }()
  case "--seed": seed = UInt64(value()) ?? { fail("--seed needs a number") }()
  case "-h", "--help":
    print(usage)
    exit(0)
  default: fail("unknown option '\(argument)'")
  }
}
guard let folder else { fail("name the folder to write into with --folder") }

extension SeededRandom {
  /// True `percent` times in a hundred.
  mutating func chance(percent: Int) -> Bool { below(100) < percent }
}

/// The benchmark's guide: 8 sections of 5 questions of every kind, with budgets, probes and tags.
let guideSource: String = {
  var text = """
    title: Stats benchmark
    version: 1.0
    method: lean-customer-purpose

    """
  let kinds = ["", " (choice)", " (yesno)", " (scale 1...5)", " (number 0...)"]
  let tags = ["purpose", "measure", "demand", "failure-demand", "workaround", "push", "trust"]
  for section in 1...8 {
    let part = section == 1 ? "before" : section == 8 ? "after" : "customer"
    text += "\n# Section \(section) (\(part), \(3 + section % 4) min)\n"
    for item in 1...5 {
      let id = "s\(section)q\(item)"
      text += "? \(id)\(kinds[item - 1]): Question \(item) of section \(section)?\n"
      if item == 2 {
        text += "  - one: The first\n  - two: The second\n  - three: The third\n"
      }
      text += "  probe: Tell me about the last time that happened.\n"
      text += "  probe: What happened next?\n"
      text += "  tags: \(tags[(section + item) % tags.count])\n"
    }
  }
  return text
}()

let parsed = GuideParser.parse(path: "benchmark.guide", text: guideSource)
let guide = parsed.guide
let guideInfo = TranscriptHeader.GuideInfo(
  title: "Stats benchmark", path: "benchmark.guide", version: "1.0",
  method: "lean-customer-purpose", sha256: SHA256.hex(guideSource), source: guideSource)

let interviewers = ["Dana", "Priya", "Tom", "Ana", "Kenji"]
let words = [
  "the", "last", "time", "we", "called", "them", "about", "orders", "late", "spreadsheet",
  "delivery", "shop", "fridge", "Monday", "every", "week", "customer", "chase", "again", "site",
]

/// One interview: answers (and commands) fed to the engine, every event kept in order.
func interview(
  number: Int, random: inout SeededRandom, notesPerQuestion: Int
) -> (name: String, text: String) {
  let startDay = Day.fromOrdinal(20_454 + random.below(365))  // over a year from 2026
  let startSeconds = Double(startDay.ordinal) * 86_400 + Double(8 * 3600 + random.below(9 * 3600))
  let id = String(format: "b%011d", number)
  let header = TranscriptHeader(
    id: id, started: Timestamp.iso(startSeconds), guide: guideInfo,
    customer: TranscriptHeader.Customer(name: "Customer \(random.below(300))"),
    interviewer: interviewers[random.below(interviewers.count)], with: [], minutes: 45)
  var session = InterviewSession(guide: guide, today: startDay)
  var text = TranscriptCodec.line(header)
  var ms = 0
  func moment() -> Moment {
    ms += 2_000 + random.below(90_000)
    return Moment(t: Timestamp.iso(startSeconds + Double(ms) / 1000), ms: ms)
  }
  func feed(_ line: String) {
    for event in session.handle(line, at: moment()).events { text += TranscriptCodec.line(event) }
  }
  var steps = 0
  while !session.isFinished, steps < 400 {
    steps += 1
    guard let (event, view) = session.presentNext(at: moment()) else {
      feed(":end")
      continue
    }
    text += TranscriptCodec.line(event)
    for note in 0..<notesPerQuestion {
      // Two probes a question, then notes.
      feed(note < 2 ? ":probe" : ":note \(words[random.below(words.count)]) \(note)")
    }
    if random.chance(percent: 15) { feed(":probe") }
    if random.chance(percent: 5) { feed(":tag workaround") }
    if random.chance(percent: 8) {
      feed(":skip \(["no time", "not relevant", "customer left", "forgot"][random.below(4)])")
      continue
    }
    switch view.kind {
    case .choice: feed(["one", "two", "three"][random.below(3)])
    case .yesNo: feed(random.chance(percent: 50) ? "yes" : "no")
    case .scale: feed("\(1 + random.below(5))")
    case .number: feed("\(random.below(500))")
    default:
      feed(
        (0..<(4 + random.below(12))).map { _ in words[random.below(words.count)] }.joined(
          separator: " "))
    }
    if random.chance(percent: 3), let answered = session.state.history.first {
      feed(":edit \(answered) on second thought, \(words[random.below(words.count)])")
    }
  }
  let name =
    "\(Timestamp.compact(startSeconds))_\(header.customer?.key ?? "x")_\(id.suffix(4)).jsonl"
  return (name, text)
}

var random = SeededRandom(seed: seed)
try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
var bytes = 0
for number in 0..<count {
  let (name, text) = interview(number: number, random: &random, notesPerQuestion: 0)
  bytes += text.utf8.count
  FileManager.default.createFile(atPath: folder + "/" + name, contents: Data(text.utf8))
}
print("wrote \(count) transcripts, \(bytes / 1_048_576) MB, into \(folder)")
if let big {
  // About two events per question besides the notes and probes: 40 questions, and the rest.
  let perQuestion = max(0, (bigEvents - 100) / 40)
  let (_, text) = interview(number: count, random: &random, notesPerQuestion: perQuestion)
  FileManager.default.createFile(atPath: big, contents: Data(text.utf8))
  let events = text.split(separator: "\n").count - 1
  print("wrote \(big): \(events) events, \(text.utf8.count / 1024) KB")
}
