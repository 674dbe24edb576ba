import Foundation
import GembaCore
import GembaTerminal

/// The coach's side of a replay: where they are, and what each command does. Output goes
/// through `print`, so the same session serves a terminal and a pipe.
final class ReplaySession {
  /// Everything the session reads besides the transcript.
  struct Setup {
    var transcriptPath: String
    /// Who writes comments and scores, when known.
    var coach: String?
    var rubric: Rubric?
    /// Why there is no rubric to score against, when there is none.
    var rubricProblem: String?
    /// The coach's rules (flags), and the rules whose proposals `:actions` compares.
    var coachingRules: RuleSet?
    var coachingRulesName: String
    var rules: RuleSet?
    var rulesProblem: String?
    var width: Int
    /// The wall clock, as ISO 8601 UTC with milliseconds.
    var now: () -> String
  }

  static let commands: [(name: String, usage: String, help: String)] = [
    ("n", "Enter, n", "the next step"),
    ("p", "p", "the step before"),
    (
      ":go", ":go EVENT|QUESTION|SECTION|TIME",
      "jump: an event number, a question id, a section, or a time like 12:30 or +5m"
    ),
    (":event", ":event N", "the step holding event N"),
    (":question", ":question ID", "the step that puts question ID"),
    (":section", ":section NAME", "the first step of a section"),
    (":time", ":time 12:30", "the step under way at that time into the interview"),
    (
      "/", "/REGEX or :search REGEX",
      "the next step whose text matches (case ignored); / alone searches again"
    ),
    (":show", ":show", "the current step again (:overview for the first screen)"),
    (
      ":comment", ":comment [praise|missed|try-next] TEXT",
      "a comment on the current event, kept beside the transcript"
    ),
    (":score", ":score CRITERION N [TEXT]", "a score on the rubric (:rubric lists it)"),
    (":rubric", ":rubric", "the rubric's criteria and levels"),
    (":comments", ":comments", "every comment and score so far"),
    (":flags", ":flags", "the coaching flags, at the events they point to"),
    (":actions", ":actions", "the proposals recorded then beside the rules' proposals now"),
    (":help", ":help", "this list"),
    (":quit", ":quit, Ctrl-D", "leave"),
  ]

  let timeline: ReplayTimeline
  private(set) var setup: Setup
  /// 0 is the overview; steps count from 1.
  private(set) var position = 0
  private var screen: ReplayScreen
  private var lastSearch: String?
  private var writer: CoachSidecarWriter?
  private var sidecar: CoachSidecarContents?
  private lazy var flags: [CoachFlag] =
    setup.coachingRules.map {
      CoachFlags.flags($0, timeline: timeline)
    } ?? []
  private var searchTexts: [String?]
  private let print: (String) -> Void

  init(
    timeline: ReplayTimeline, setup: Setup, sidecar: CoachSidecarContents?,
    print: @escaping (String) -> Void
  ) {
    self.timeline = timeline
    self.setup = setup
    self.sidecar = sidecar
    self.print = print
    screen = ReplayScreen(timeline: timeline, width: setup.width)
    screen.comments = sidecar?.comments ?? []
    searchTexts = Array(repeating: nil, count: timeline.steps.count)
  }

  deinit { close() }

  /// Saves anything still pending in the sidecar and releases it.
  func close() {
    guard let writer else { return }
    let result = writer.close()
    if !result.isSaved, let message = result.message { Console.error("gemba: \(message)\n") }
    for line in writer.pendingLines { Console.error("gemba: not saved: \(line)") }
    self.writer = nil
  }

  /// The prompt: where the coach is.
  var prompt: String {
    position == 0 ? "replay › " : "replay \(position)/\(timeline.steps.count) › "
  }

  /// What to complete at the line editor: commands, question ids and sections.
  var completions: [String] {
    var words = Self.commands.map(\.name).filter { $0.hasPrefix(":") }
    words += [":overview", ":search", ":exit"]
    words += timeline.steps.compactMap(\.question)
    words += (setup.rubric?.criteria.map(\.id) ?? []) + CommentKind.allCases.map(\.rawValue)
    return Array(Set(words)).sorted()
  }

  /// Shows the current screen.
  func show() {
    if position == 0 {
      print(screen.overview())
    } else {
      print(screen.step(position, flags: flags))
    }
  }

  /// Handles one line; false when the coach leaves.
  func handle(_ input: String) -> Bool {
    let line = input.trimmingCharacters(in: .whitespaces)
    if line.isEmpty || line == "n" || line == ":next" { return move(to: position + 1) }
    if line == "p" || line == ":prev" || line == ":back" { return move(to: position - 1) }
    if line.hasPrefix("/") {
      search(String(line.dropFirst()))
      return true
    }
    let (command, argument) = split(line)
    switch command {
    case ":quit", ":exit":
      return false
    case ":show", ".":
      show()
    case ":overview", ":first":
      return move(to: 0)
    case ":go":
      go(argument)
    case ":event":
      jump(event: argument)
    case ":question":
      if argument.isEmpty {
        say("which question? :question ID")
      } else if let step = timeline.step(forQuestion: argument) {
        _ = move(to: step)
      } else {
        say("no step puts question '\(safe(argument))'\(didYouMean(argument))")
      }
    case ":section":
      if argument.isEmpty {
        say("which section? :section NAME, such as :section \(exampleSection)")
      } else if let step = timeline.step(forSection: argument) {
        _ = move(to: step)
      } else {
        say("no step in a section called '\(safe(argument))'")
      }
    case ":time":
      jump(time: argument)
    case ":search":
      search(argument)
    case ":comment":
      comment(argument)
    case ":score":
      score(argument)
    case ":rubric":
      showRubric()
    case ":comments":
      showComments()
    case ":flags":
      showFlags()
    case ":actions":
      showActions()
    case ":help":
      help()
    default:
      let names = Self.commands.map(\.name).filter { $0.hasPrefix(":") } + [":overview", ":quit"]
      say(
        "unknown command '\(safe(command))'\(Suggestion.didYouMean(command, in: names)); "
          + ":help lists them")
    }
    return true
  }

  // MARK: Moving

  private func move(to target: Int) -> Bool {
    if target > timeline.steps.count {
      say("that was the last step; p goes back, :quit leaves")
      return true
    }
    if target < 0 {
      say("this is the first screen; Enter goes forward")
      return true
    }
    position = target
    show()
    return true
  }

  private func go(_ target: String) {
    guard !target.isEmpty else {
      say("where to? :go EVENT, :go QUESTION, :go SECTION or :go 12:30")
      return
    }
    if Int(target) != nil {
      jump(event: target)
    } else if target.hasPrefix("+") || target.contains(":")
      || ClockText.offset(target) != nil
        && target.first?.isNumber == true
    {
      jump(time: target)
    } else if let step = timeline.step(forQuestion: target) {
      _ = move(to: step)
    } else if let step = timeline.step(forSection: target) {
      _ = move(to: step)
    } else {
      say(
        "no event, question or section '\(safe(target))'\(didYouMean(target)); :go takes an event "
          + "number, a question id, a section or a time like 12:30")
    }
  }

  private func jump(event text: String) {
    guard let number = Int(text) else {
      say("an event is a number, like :event 12")
      return
    }
    if number == 0 {
      _ = move(to: 0)
      return
    }
    guard let place = timeline.position(ofEvent: number), let step = timeline.step(holding: place)
    else {
      let last = timeline.numbers.last ?? 0
      say("no event \(number); events run from 1 to \(last)")
      return
    }
    _ = move(to: step)
  }

  private func jump(time text: String) {
    guard let offset = ClockText.offset(text) else {
      say("'\(safe(text))' is not a time; write 12:30, 1:02:09, 90s, 5m or +5m")
      return
    }
    guard let step = timeline.step(atOffset: offset) else {
      say("the transcript has no steps")
      return
    }
    let end = timeline.events.last?.ms ?? 0
    if offset > end {
      // Landing on the last step without a word would pass it off as what happened then.
      say(
        "\(safe(text)) is past the end: the interview lasted \(ClockText.duration(end)); "
          + "its last step began at \(ClockText.duration(timeline.timing(ofStep: step).start))")
      return
    }
    _ = move(to: step)
  }

  private func search(_ pattern: String) {
    let wanted = pattern.isEmpty ? lastSearch : pattern
    guard let wanted else {
      say("search for what? /REGEX")
      return
    }
    let regex: NSRegularExpression
    do {
      regex = try NSRegularExpression(pattern: wanted, options: [.caseInsensitive])
    } catch {
      say("'\(safe(wanted))' is not a regular expression this search understands")
      return
    }
    lastSearch = wanted
    let count = timeline.steps.count
    guard count > 0 else { return }
    for offset in 1...count {
      let step = (position - 1 + offset) % count + 1
      let text = searchText(step)
      if regex.firstMatch(in: text, range: NSRange(text.startIndex..., in: text)) != nil {
        if step <= position { say("search wrapped to the start") }
        _ = move(to: step)
        return
      }
    }
    say("no step matches /\(safe(wanted))/")
  }

  private func searchText(_ step: Int) -> String {
    if let text = searchTexts[step - 1] { return text }
    let wide = ReplayScreen(timeline: timeline, width: 100_000)
    let text = wide.step(step, flags: [])
    searchTexts[step - 1] = text
    return text
  }

  // MARK: Comments and scores

  /// The event a comment on the current screen is about: the step's answer (or skip), else its
  /// first event; 0 on the overview.
  private var anchor: (event: Int, question: String?) {
    guard position > 0 else { return (0, nil) }
    let step = timeline.steps[position - 1]
    let events = timeline.events
    let main =
      step.events.first { [.answer, .skip, .covered].contains(events[$0].type) }
      ?? step.events.lowerBound
    return (timeline.numbers[main], step.question)
  }

  private func comment(_ argument: String) {
    var text = argument
    var kind: CommentKind?
    let first = argument.split(separator: " ", maxSplits: 1).first.map(String.init) ?? ""
    if let named = CommentKind(rawValue: first.lowercased()) {
      kind = named
      text = String(argument.dropFirst(first.count)).trimmingCharacters(in: .whitespaces)
    }
    guard !text.isEmpty else {
      say("what is the comment? :comment [praise|missed|try-next] TEXT")
      return
    }
    let (event, question) = anchor
    let comment = CoachComment(
      t: setup.now(), by: setup.coach, event: event, q: question, kind: kind, text: text)
    guard save(.comment(comment)) else { return }
    screen.comments.append(comment)
    let place = event == 0 ? "the interview as a whole" : "event \(event)"
    say("comment saved on \(place)\(question.map { " (\($0))" } ?? "")")
  }

  private func score(_ argument: String) {
    guard let rubric = setup.rubric else {
      say("no rubric to score against: \(setup.rubricProblem ?? "none was given")")
      return
    }
    let parts = argument.split(separator: " ", maxSplits: 2).map(String.init)
    let ids = rubric.criteria.map(\.id)
    guard parts.count >= 2 else {
      say(
        "write :score CRITERION N [TEXT], with N from \(rubric.scale.lowerBound) to "
          + "\(rubric.scale.upperBound); the criteria: \(ids.joined(separator: ", "))")
      return
    }
    guard let criterion = rubric.criterion(parts[0]) else {
      say(
        "the rubric has no criterion '\(safe(parts[0]))'\(Suggestion.didYouMean(parts[0], in: ids)); "
          + ":rubric lists them")
      return
    }
    guard let level = Int(parts[1]), rubric.scale.contains(level) else {
      say(
        "'\(safe(parts[1]))' is not a level: the scale runs from \(rubric.scale.lowerBound) to "
          + "\(rubric.scale.upperBound)")
      return
    }
    let text = parts.count > 2 ? parts[2] : nil
    let score = CoachScore(
      t: setup.now(), by: setup.coach, criterion: criterion.id, level: level, text: text,
      rubric: rubric.reference)
    guard save(.score(score)) else { return }
    say(
      "score saved: \(criterion.id) \(level) of \(rubric.scale.upperBound) — "
        + "\(criterion.text(of: level) ?? "")")
  }

  /// Appends `event` to the sidecar, opening (and on first use creating) it.
  private func save(_ event: CoachEvent) -> Bool {
    if writer == nil {
      do {
        let (opened, contents) = try CoachSidecarWriter.open(
          forTranscript: setup.transcriptPath, interview: timeline.header.id,
          created: setup.now())
        writer = opened
        sidecar = contents
        // Warnings about a file are one unwrapped line each, as for every other file.
        for warning in opened.warnings { Console.error("gemba: warning: \(warning)\n") }
        if setup.coach == nil {
          say(
            "comments and scores are saved without a name: give one with --coach NAME, or set "
              + "interviewer = \"NAME\" in your settings (gemba config)")
        }
      } catch {
        say("not saved: \(error)")
        return false
      }
    }
    guard let writer else { return false }
    let result = writer.append(event)
    if let message = result.message { say(message) }
    sidecar?.events.append(event)
    return true
  }

  private func showComments() {
    let events = sidecar?.events ?? []
    guard !events.isEmpty else {
      say("no comments or scores yet")
      return
    }
    var lines: [String] = []
    for event in events {
      switch event {
      case .comment(let comment):
        let place = comment.event == 0 ? "interview" : "event \(comment.event)"
        var head = "\(place)\(comment.q.map { " (\($0))" } ?? "")"
        if let kind = comment.kind { head += " \(kind.rawValue)" }
        if let by = comment.by { head += " · \(safe(by))" }
        lines += screen.wrap("\(head): \(safe(comment.text))", continuation: "    ")
      case .score(let score):
        var line = "score \(safe(score.criterion)) \(score.level)"
        if let by = score.by { line += " · \(safe(by))" }
        if let text = score.text { line += ": \(safe(text))" }
        lines += screen.wrap(line, continuation: "    ")
      case .outcome(let outcome):
        lines += screen.wrap(
          "outcome \(safe(outcome.status))\(outcome.text.map { ": \(safe($0))" } ?? "")",
          continuation: "    ")
      }
    }
    print(lines.joined(separator: "\n") + "\n")
  }

  private func showRubric() {
    guard let rubric = setup.rubric else {
      say("no rubric: \(setup.rubricProblem ?? "none was given")")
      return
    }
    var lines = [
      "\(safe(rubric.title))\(rubric.version.map { " \(safe($0))" } ?? "")"
        + " · scale \(rubric.scale.lowerBound)-\(rubric.scale.upperBound)"
    ]
    for criterion in rubric.criteria {
      lines.append("")
      lines += screen.wrap("\(criterion.id): \(safe(criterion.title))")
      for (level, text) in criterion.levels {
        lines += screen.wrap("\(level)  \(safe(text))", indent: "  ", continuation: "     ")
      }
    }
    print(lines.joined(separator: "\n") + "\n")
  }

  // MARK: Flags and actions

  private func showFlags() {
    guard setup.coachingRules != nil else {
      say("no coaching rules to flag with")
      return
    }
    guard !flags.isEmpty else {
      say("no flags from \(setup.coachingRulesName)")
      return
    }
    var lines = [
      "\(flags.count) flag\(flags.count == 1 ? "" : "s") from \(setup.coachingRulesName): "
        + "places to look at together, not scores"
    ]
    for flag in flags {
      let places = flag.events.map { number -> String in
        guard number > 0, let place = timeline.position(ofEvent: number),
          let step = timeline.step(holding: place)
        else { return "the interview as a whole" }
        let question = timeline.events[place].q.map { " \($0)" } ?? ""
        return "event \(number) (step \(step)\(question))"
      }
      lines.append("")
      lines += screen.wrap(
        "\(places.joined(separator: ", ")) · \(flag.proposal.rules.joined(separator: ", "))")
      lines += screen.wrap(safe(flag.proposal.text), indent: "  ")
      for reason in flag.proposal.reasons {
        lines += screen.wrap("why: \(safe(reason.because))", indent: "  ", continuation: "    ")
      }
    }
    print(lines.joined(separator: "\n") + "\n")
  }

  private func showActions() {
    guard let rules = setup.rules else {
      say("no rules to compare with: \(setup.rulesProblem ?? "none were given")")
      return
    }
    let comparison = CoachFlags.compare(rules, timeline: timeline)
    var lines: [String] = []
    if comparison.recordedCount == 0 {
      lines += screen.wrap(
        "No proposals were recorded during this interview. The rules now propose, for the "
          + "answers as they stand at the end:")
    } else {
      let changed =
        comparison.rulesHashThen == [comparison.rulesHashNow]
        ? "the same rules as then" : "the rules have changed since"
      let count = comparison.recordedCount
      lines += screen.wrap(
        "\(count) proposal\(count == 1 ? "" : "s") recorded then beside the rules' proposals now "
          + "for the same answers (\(changed)):")
    }
    if comparison.entries.isEmpty { lines.append("  (none then, none now)") }
    for entry in comparison.entries {
      lines.append("")
      let thenText = entry.then.map {
        "\($0.phase ?? "?"): \(safe($0.text ?? "")) [\($0.rule ?? "?")]"
      }
      let nowText = entry.now.map {
        "\($0.phaseLabel): \(safe($0.text)) [\($0.rules.joined(separator: ", "))]"
      }
      let at = entry.thenEvent.map { " (event \($0))" } ?? ""
      switch entry.change {
      case .same:
        lines += screen.wrap("= then and now\(at): \(nowText ?? "")", continuation: "    ")
      case .reworded:
        lines += screen.wrap("~ reworded\(at): then \(thenText ?? "")", continuation: "    ")
        lines += screen.wrap("now \(nowText ?? "")", indent: "    ", continuation: "      ")
      case .gone:
        lines += screen.wrap(
          "- then only\(at): \(thenText ?? ""); the rules no longer propose it",
          continuation: "    ")
      case .new:
        lines += screen.wrap(
          "\(comparison.recordedCount == 0 ? "+ now" : "+ now only"): \(nowText ?? "")",
          continuation: "    ")
      }
    }
    print(lines.joined(separator: "\n") + "\n")
  }

  // MARK: Help and words

  private func help() {
    var lines = ["Replay commands:"]
    let width = Self.commands.map { DisplayWidth.of($0.usage) }.max() ?? 0
    for command in Self.commands {
      let pad = String(repeating: " ", count: max(0, width - DisplayWidth.of(command.usage)))
      lines += screen.wrap(
        "\(command.usage)\(pad)  \(command.help)", indent: "  ",
        continuation: "  " + String(repeating: " ", count: width + 2))
    }
    print(lines.joined(separator: "\n") + "\n")
  }

  private func split(_ line: String) -> (String, String) {
    guard let space = line.firstIndex(of: " ") else { return (line.lowercased(), "") }
    return (
      String(line[..<space]).lowercased(),
      String(line[line.index(after: space)...]).trimmingCharacters(in: .whitespaces)
    )
  }

  /// A section a step is in, for the usage of `:section`.
  private var exampleSection: String {
    let title = timeline.steps.lazy.compactMap { step in
      step.question.flatMap { self.timeline.section(of: $0)?.title }
    }.first
    return safe(title ?? "NAME").lowercased()
  }

  private func didYouMean(_ id: String) -> String {
    Suggestion.didYouMean(id, in: timeline.steps.compactMap(\.question))
  }

  private func say(_ text: String) {
    print(screen.wrap(text).joined(separator: "\n") + "\n")
  }

  private func safe(_ text: String) -> String { TerminalSafe.neutralize(text) }
}
