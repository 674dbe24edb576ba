import GembaCore

/// A generated guide and what it holds.
struct GeneratedGuide {
  var text: String
  var questions: Int
  var sections: Int
  var lines: Int
}

/// Writes large guides that look like real ones: choice questions whose options jump forward,
/// `if:` conditions on earlier answers of every kind, `{id}` interpolations, computed values read
/// later, probes, hints and tags, and before, customer and after parts with the assessments in
/// the debrief.
///
/// Every reference points backwards at a question that some path has already asked, every jump
/// points forward without skipping the debrief and every computed value is read, so the guide
/// checks without errors: the benchmark then times the path real guides take, not error
/// reporting.
struct GuideGenerator {
  enum Kind {
    case text
    case choice
    case choices
    case number
    case scale
    case yesNo
    case date
  }

  private struct Asked {
    var id: String
    var kind: Kind
    var options: [String]
  }

  private struct Plan {
    var title: String
    var part: String
    var questions: Int
  }

  private var rng: SeededRandom
  private var lines: [String] = []
  private var plans: [Plan] = []
  private var asked: [Asked] = []
  private var byKind: [Kind: [Int]] = [:]
  private var pendingComputed: [(name: String, isNumber: Bool)] = []
  private var nextQuestion = 1
  private var computedCount = 0
  private var firstAfter = 0
  private var firstCustomer = 0

  /// A guide of exactly `questions` questions in one section per twenty questions.
  static func generate(questions: Int, seed: UInt64 = 0x6765_6D62_61) -> GeneratedGuide {
    var generator = GuideGenerator(seed: seed)
    let sections = generator.plan(questions: max(questions, 20))
    generator.write()
    let text = generator.lines.joined(separator: "\n") + "\n"
    return GeneratedGuide(
      text: text, questions: generator.asked.count, sections: sections,
      lines: generator.lines.count)
  }

  private init(seed: UInt64) {
    rng = SeededRandom(seed: seed)
  }

  // MARK: The shape

  private mutating func plan(questions: Int) -> Int {
    let sectionCount = max(3, questions / 20)
    let before = max(1, sectionCount / 50)
    let after = max(1, sectionCount / 20)
    firstAfter = sectionCount - after
    firstCustomer = before
    for s in 0..<sectionCount {
      let count = questions / sectionCount + (s < questions % sectionCount ? 1 : 0)
      if s < before {
        plans.append(Plan(title: "Before the call \(s + 1)", part: "before", questions: count))
      } else if s < firstAfter {
        let topic = Self.topics[s % Self.topics.count]
        plans.append(Plan(title: "\(topic) \(s + 1)", part: "customer", questions: count))
      } else {
        plans.append(Plan(title: "Debrief \(s + 1)", part: "after", questions: count))
      }
    }
    return sectionCount
  }

  // MARK: Writing

  private mutating func write() {
    lines += [
      "title: Generated benchmark guide (\(plans.reduce(0) { $0 + $1.questions }) questions)",
      "version: 1.0",
      "method: lean-customer-purpose",
      "language: en",
      "author: gemba-bench",
      "description: Written by Benchmarks/GembaBench to time parsing and checking at scale.",
      "tags: segment, churn-risk",
      "",
    ]
    for s in plans.indices {
      writeSection(s)
    }
  }

  private mutating func writeSection(_ s: Int) {
    let plan = plans[s]
    if chance(0.15) {
      lines.append("// \(plan.title): \(sentence(6))")
    }
    var heading = "# \(plan.title)"
    let minutes = [5, 8, 10, 12, 15][int(5)]
    switch (plan.part, int(4)) {
    case ("customer", 0): heading += ""
    case ("customer", 1): heading += " (\(minutes) min)"
    case (_, 2): heading += " (\(minutes) min, \(plan.part))"
    default: heading += " (\(plan.part), \(minutes) min)"
    }
    lines.append(heading)
    if plan.part == "customer", s > firstCustomer, chance(0.12) {
      lines.append("if: \(condition())")
    }
    if s > 0, chance(0.2) {
      lines.append("intro: \(sentence(8)) Keep to \(reference(.text)).")
    }
    var q = 0
    while q < plan.questions {
      if q == 2, plan.part != "before", chance(plan.part == "after" ? 0.6 : 0.1) {
        writeComputed()
      }
      switch plan.part {
      case "before": writeBeforeQuestion(first: s == 0 && q == 0)
      case "after": writeAssessment(q)
      default:
        if s == firstCustomer && q == 0 {
          q += writeKeyQuestions(s)
          continue
        }
        writeCustomerQuestion(s)
      }
      q += 1
    }
    if plan.part == "customer", let target = forwardTarget(from: s), chance(0.05) {
      lines.append("-> \(target) if \(condition())")
    }
    lines.append("")
  }

  private mutating func writeBeforeQuestion(first: Bool) {
    if first {
      emit(id: "area", kind: .text, options: [])
      lines += [
        "? area (required): In a few words, the area this conversation is about.",
        "  hint: It appears inside your questions, so write it the way you say it out loud.",
        "  tags: expectation",
      ]
      return
    }
    let id = newID()
    let tag = chance(0.5) ? "expectation" : "hypothesis"
    lines.append("? \(id): \(sentence(10))?")
    if chance(0.6) { lines.append("  hint: \(sentence(12)).") }
    lines.append("  tags: \(tag)")
    emit(id: id, kind: .text, options: [])
  }

  private mutating func writeCustomerQuestion(_ s: Int) {
    let roll = int(100)
    let kind: Kind
    switch roll {
    case 0..<40: kind = .text
    case 40..<58: kind = .choice
    case 58..<64: kind = .choices
    case 64..<74: kind = .number
    case 74..<80: kind = .scale
    case 80..<94: kind = .yesNo
    default: kind = .date
    }
    let id = newID()
    var attributes: [String] = []
    var options: [String] = []
    switch kind {
    case .text: break
    case .choice, .choices:
      attributes.append(kind == .choice ? "choice" : "choices")
      options = Array(Self.optionValues.shuffled(using: &rng).prefix(3 + int(3)))
    case .number:
      attributes.append(["number 0... EUR", "number 0...", "number 0...100 %", "number"][int(4)])
    case .scale: attributes.append("scale 1...5")
    case .yesNo: attributes.append("yesno")
    case .date: attributes.append("date")
    }
    if chance(0.05) { attributes.append("required") }
    let head = attributes.isEmpty ? "? \(id)" : "? \(id) (\(attributes.joined(separator: ", ")))"
    lines.append("\(head): \(prompt())")
    if chance(0.5) { lines.append("  hint: \(sentence(14)).") }
    for _ in 0..<int(4) { lines.append("  probe: \(probe())") }
    if chance(0.4) { lines.append("  tags: \(tags())") }
    if chance(0.01) { lines.append("  was: old_\(id)") }
    if !pendingComputed.isEmpty, chance(0.5) {
      lines.append("  if: \(computedRead())")
    } else if chance(0.22) {
      lines.append("  if: \(condition())")
    }
    switch kind {
    case .choice, .choices:
      let jumping = kind == .choice && chance(0.25) ? int(options.count) : -1
      for (index, value) in options.enumerated() {
        var line = "  - \(value): \(Self.optionLabels[value] ?? value)"
        if index == jumping, let target = forwardTarget(from: s) { line += " -> \(target)" }
        lines.append(line)
      }
    case .number:
      if chance(0.3) {
        lines += ["  constraint: . < 1000000", "  message: that is a lot; check the unit"]
      }
    case .scale:
      lines.append("  labels: not at all ... completely")
    case .yesNo:
      if chance(0.2), let target = forwardTarget(from: s) {
        lines.append("  -> \(target) if \(id) is \(chance(0.5) ? "no" : "yes")")
      }
    case .text, .date:
      break
    }
    emit(id: id, kind: kind, options: options)
  }

  /// The few answers a real guide leans on everywhere: asked early, read all the way down.
  private mutating func writeKeyQuestions(_ s: Int) -> Int {
    let target = forwardTarget(from: s) ?? plans[firstAfter].title
    lines += [
      "? focus (choice, required): What matters more to {area} this year?",
      "  - growth: Winning new customers -> \(target)",
      "  - service: Keeping the ones you have",
      "  - cost: Spending less on it",
      "  hint: Listen for what they spend time on, not what they say matters.",
      "  probe: What would you drop to make room for it?",
      "  tags: purpose",
      "? budget (number 0... EUR): What did you spend on {area} last year?",
      "  constraint: . < 10000000",
      "  message: that is more than most whole companies spend; check the unit",
      "  tags: budget",
      "? channels (choices): How do customers reach you about {area}?",
      "  - email: Email",
      "  - phone: Phone",
      "  - chat: Chat",
      "  - visit: In person",
      "? pilot (yesno): Have you tried anything for it in the last year?",
      "  tags: timeline",
    ]
    emit(id: "focus", kind: .choice, options: ["growth", "service", "cost"])
    emit(id: "budget", kind: .number, options: [])
    emit(id: "channels", kind: .choices, options: ["email", "phone", "chat", "visit"])
    emit(id: "pilot", kind: .yesNo, options: [])
    return 4
  }

  private mutating func writeAssessment(_ q: Int) {
    let id = newID()
    if q % 5 == 4 {
      lines.append("? \(id): What did I learn that I did not expect, given {\(pickID(.text))}?")
      lines.append("  tags: learning")
      if chance(0.3) { lines.append("  if: \(condition())") }
      emit(id: id, kind: .text, options: [])
      return
    }
    let force = ["push", "pull", "anxiety", "habit"][q % 4]
    lines.append(
      "? \(id) (assess 0...3): How strong is the \(force) of their situation? Quote them.")
    lines.append("  labels: none ... strong")
    lines.append("  tags: \(force)")
    if chance(0.4) { lines.append("  hint: \(sentence(10)).") }
    if !pendingComputed.isEmpty {
      lines.append("  if: \(computedRead())")
    } else if chance(0.25) {
      lines.append("  if: \(condition())")
    }
    emit(id: id, kind: .scale, options: [])
  }

  private mutating func writeComputed() {
    computedCount += 1
    let name = "score_\(computedCount)"
    if let a = pickIfAny(.number), let b = pickIfAny(.scale) ?? pickIfAny(.number) {
      lines.append("set \(name) = \(a) + \(b) * 2")
      pendingComputed.append((name, true))
    } else if let flag = pickIfAny(.yesNo) {
      lines.append("set \(name) = \(pickID(.text)) is answered and \(flag)")
      pendingComputed.append((name, false))
    } else {
      lines.append("set \(name) = \(pickID(.text)) is answered")
      pendingComputed.append((name, false))
    }
  }

  private mutating func computedRead() -> String {
    let (name, isNumber) = pendingComputed.removeFirst()
    return isNumber ? "\(name) > \(10 * (1 + int(20)))" : name
  }

  // MARK: Expressions

  /// A condition on an earlier answer, sometimes two joined, of the forms real guides use.
  private mutating func condition() -> String {
    let first = test()
    switch int(10) {
    case 0, 1: return "\(first) and \(test())"
    case 2: return "\(first) or \(test())"
    case 3: return "not (\(first))"
    case 4: return "(\(first) or \(test())) and \(tagTest())"
    default: return first
    }
  }

  private mutating func test() -> String {
    let target = pickAsked()
    let id = target.id
    switch target.kind {
    case .text:
      switch int(9) {
      case 0: return "\(id) is answered"
      case 1: return "\(id) is not answered"
      case 2: return "\(id) is skipped"
      case 3: return "\(id) mentions \"lead time\""
      case 4: return "\(id) mentions any of [\"excel\", \"spreadsheet\"]"
      case 5: return "\(id) contains \"late\""
      case 6: return "\(id) matches /\\d+ ?(days|weeks)/i"
      case 7: return "length(\(id)) > 40"
      default: return "words(\(id)) < 5"
      }
    case .choice:
      let value = target.options[int(target.options.count)]
      switch int(4) {
      case 0: return "\(id) is not \(value)"
      case 1: return "\(id) is one of [\(target.options.prefix(2).joined(separator: ", "))]"
      case 2: return "\(id) is answered"
      default: return "\(id) is \(value)"
      }
    case .choices:
      return chance(0.6)
        ? "\(id) includes \(target.options[int(target.options.count)])" : "count(\(id)) >= 2"
    case .number:
      switch int(3) {
      case 0: return "\(id) > \(100 * (1 + int(50)))"
      case 1: return "\(id) >= 10 and \(id) <= 500"
      default: return "\(id) + \(pickID(.number)) > 50"
      }
    case .scale:
      return chance(0.5) ? "\(id) >= 3" : "\(id) <= 2"
    case .yesNo:
      switch int(3) {
      case 0: return id
      case 1: return "\(id) is yes"
      default: return "\(id) is no"
      }
    case .date:
      return chance(0.5) ? "\(id) < 2026-01-01" : "\(id) >= 2025-06-30"
    }
  }

  private mutating func tagTest() -> String {
    switch int(4) {
    case 0: return "tagged(#push)"
    case 1: return "count(#habit) >= 2"
    case 2: return "sum(#push) > 3"
    default: return "avg(#pull) >= 2"
    }
  }

  /// An earlier question: mostly a recent one, sometimes one far back, sometimes a key question.
  private mutating func pickAsked() -> Asked {
    let roll = int(100)
    if roll < 8, let key = asked.firstIndex(where: { $0.id == "focus" }) {
      return asked[key + int(4)]
    }
    if roll < 25 {
      return asked[int(asked.count)]
    }
    let window = min(asked.count, 60)
    return asked[asked.count - 1 - int(window)]
  }

  private mutating func pickIfAny(_ kind: Kind) -> String? {
    guard let indices = byKind[kind], !indices.isEmpty else { return nil }
    let recent = indices.suffix(30)
    return asked[recent[recent.startIndex + int(recent.count)]].id
  }

  private mutating func pickID(_ kind: Kind) -> String {
    pickIfAny(kind) ?? "area"
  }

  private mutating func reference(_ kind: Kind) -> String {
    "{\(pickID(kind))}"
  }

  // MARK: Words

  private mutating func prompt() -> String {
    switch int(10) {
    case 0, 1:
      return "You said \"\(reference(.text))\". \(sentence(8))?"
    case 2:
      return "When you chose \(reference(.choice)), \(sentence(7).lowercased())?"
    case 3 where !pendingComputed.isEmpty && pendingComputed[0].isNumber:
      let (name, _) = pendingComputed.removeFirst()
      return "With a score of {\(name)}, \(sentence(7).lowercased())?"
    default:
      return "\(sentence(10))?"
    }
  }

  private mutating func probe() -> String {
    switch int(5) {
    case 0: return "When was the last time that happened?"
    case 1: return "Who else was there when \(reference(.text)) came up?"
    case 2: return "What did it cost you, in time or money?"
    case 3: return "Compared with what?"
    default: return "\(sentence(7))?"
    }
  }

  private mutating func tags() -> String {
    let count = 1 + int(2)
    var names: [String] = []
    for _ in 0..<count {
      let name = chance(0.05) ? "segment" : Self.builtInTags[int(Self.builtInTags.count)]
      if !names.contains(name) { names.append(name) }
    }
    return names.joined(separator: ", ")
  }

  private mutating func sentence(_ words: Int) -> String {
    var out = Self.openers[int(Self.openers.count)]
    for _ in 0..<words {
      out += " " + Self.words[int(Self.words.count)]
    }
    return out
  }

  /// A customer section a few sections ahead, named by title, slug or lower-case title, or the
  /// first debrief section when there is none: never past the debrief.
  private mutating func forwardTarget(from s: Int) -> String? {
    guard s < firstAfter else { return nil }
    let index = min(s + 2 + int(5), firstAfter)
    let title = plans[index].title
    switch int(3) {
    case 0: return title.lowercased()
    case 1:
      return title.lowercased().split(whereSeparator: { !$0.isLetter && !$0.isNumber })
        .joined(separator: "-")
    default: return title
    }
  }

  // MARK: Bookkeeping

  private mutating func newID() -> String {
    defer { nextQuestion += 1 }
    return "q\(nextQuestion)"
  }

  private mutating func emit(id: String, kind: Kind, options: [String]) {
    byKind[kind, default: []].append(asked.count)
    asked.append(Asked(id: id, kind: kind, options: options))
  }

  private mutating func int(_ upperBound: Int) -> Int {
    Int.random(in: 0..<upperBound, using: &rng)
  }

  private mutating func chance(_ probability: Double) -> Bool {
    Double.random(in: 0..<1, using: &rng) < probability
  }

  // MARK: Vocabulary

  private static let topics = [
    "Purpose", "Their measures", "Delivery routes", "The struggle", "Looking around", "Deciding",
    "First use", "Ongoing use", "Workarounds", "Suppliers", "Budget owners", "The team",
  ]

  private static let openers = [
    "Tell me about", "How do you handle", "What happens with", "Walk me through",
    "Who decides on", "When did you last change", "What gets in the way of",
  ]

  private static let words = [
    "the", "orders", "customers", "lead", "time", "delivery", "backlog", "invoices", "team",
    "last", "week", "supplier", "complaints", "the", "spreadsheet", "planning", "routes", "calls",
    "returns", "quality", "budget", "approval", "handover", "rework", "waiting", "demand",
  ]

  private static let optionValues = [
    "growth", "service", "cost", "speed", "quality", "price", "support", "scale", "risk",
    "compliance", "training", "tooling",
  ]

  private static let optionLabels = [
    "growth": "Winning new customers", "service": "Keeping the ones you have",
    "cost": "Spending less", "speed": "Getting it done faster",
    "quality": "Fewer mistakes", "price": "A better price", "support": "Someone to call",
    "scale": "Room to grow", "risk": "Less that can go wrong", "compliance": "Passing audits",
    "training": "People who know how", "tooling": "Better tools",
  ]

  private static let builtInTags = [
    "purpose", "measure", "outcome", "value-demand", "failure-demand", "demand", "push", "pull",
    "anxiety", "habit", "struggle", "timeline", "first-thought", "workaround", "trust",
    "competitor", "decision-maker", "budget", "risk",
  ]
}
