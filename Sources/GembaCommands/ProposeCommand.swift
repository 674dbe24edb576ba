import ArgumentParser
import Foundation
import GembaCore
import GembaTerminal

/// `gemba propose`: the rules' next PDCA actions for finished (or unfinished) interviews.
struct ProposeCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "propose",
    abstract: "Propose next Plan, Do, Check and Act steps from interviews, each with why.",
    discussion: """
      Reads each transcript and evaluates the rules against its answers. Proposals are grouped \
      by phase in PDCA order, highest priority first; two rules proposing the same action give \
      one proposal. Each shows the rule's reasoning, its source, and its evidence: the answers \
      that made each condition true, quoted with their question ids. Proposals are suggestions \
      for the salesperson, never decisions: nothing is written to the transcript.

      --why RULE prints the rule's evaluation tree, with the value each condition saw; \
      --why-not RULE does the same for a rule that did not fire.

      Rules come from --rules (files or folders of .rules files), else the default rules built \
      into Gemba. They are checked against the guides first; rules with errors are not used.
      """
  )

  enum Format: String, ExpressibleByArgument, CaseIterable {
    case text
    case markdown
    case json
  }

  @Argument(
    help: "Transcripts (.jsonl), or folders of them.",
    completion: .file(extensions: ["jsonl"]))
  var transcripts: [String]

  @Option(
    name: .customLong("rules"),
    help: ArgumentHelp(
      "A rule file or a folder of them; repeat for more (default: the built-in rules).",
      valueName: "path"),
    completion: .file(extensions: ["rules"]))
  var rulePaths: [String] = []

  @Option(help: "Output format: text for people, markdown for notes, json for programs.")
  var format: Format = .text

  @Option(help: ArgumentHelp("Explain why this rule fired.", valueName: "rule"))
  var why: String?

  @Option(help: ArgumentHelp("Explain why this rule did not fire.", valueName: "rule"))
  var whyNot: String?

  func validate() throws {
    if transcripts.isEmpty { throw ValidationError("name at least one transcript") }
    if why != nil && whyNot != nil {
      throw ValidationError("use either --why or --why-not, not both")
    }
  }

  func run() throws {
    var interviews: [(path: String, contents: TranscriptContents, guide: Guide)] = []
    for path in try TranscriptFolder.files(named: transcripts) {
      let contents = try TranscriptFolder.read(path)
      interviews.append((path, contents, Self.guide(for: contents.header)))
    }
    let rules = try RuleFiles.proposalRules(
      rulePaths,
      guides: interviews.map { ($0.guide.files.first?.path ?? "", $0.guide) })
    let asked = why ?? whyNot
    if let asked, rules.rule(asked) == nil {
      let ids = rules.rules.map(\.id)
      throw CommandFailure(
        "no rule '\(asked)' in the rules\(Suggestion.didYouMean(asked, in: ids))")
    }
    let renderer = ProposalRenderer(width: TerminalInfo.columns())
    var reports: [ProposalReport] = []
    var explanations: [(path: String, guide: String, explanation: RuleExplanation)] = []
    for interview in interviews {
      var state = InterviewState(guide: interview.guide)
      for event in interview.contents.events { state.apply(event) }
      let index = GuideIndex(interview.guide, today: Self.day(of: interview.contents.header))
      if let asked {
        guard let explanation = rules.explain(asked, state: state, index: index) else { continue }
        explanations.append((interview.path, interview.contents.header.guide.title, explanation))
        continue
      }
      let prepared = rules.prepared(for: index)
      let header = interview.contents.header
      reports.append(
        ProposalReport(
          transcript: interview.path, customer: header.customer?.name, guide: header.guide.title,
          method: header.guide.method, day: index.today.description, rulesHash: rules.hash,
          rulesConsidered: prepared.applicable.count,
          proposals: prepared.propose(state: state)))
    }
    if asked != nil {
      printExplanations(explanations, renderer: renderer)
      return
    }
    switch format {
    case .text: Console.out(renderer.text(reports))
    case .markdown: Console.out(renderer.markdown(reports))
    case .json: Console.out(ProposalRenderer.json(reports) + "\n")
    }
  }

  private func printExplanations(
    _ explanations: [(path: String, guide: String, explanation: RuleExplanation)],
    renderer: ProposalRenderer
  ) {
    switch format {
    case .json:
      let encoder = JSONEncoder()
      encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
      let entries = explanations.map { Explained(transcript: $0.path, explanation: $0.explanation) }
      let data = (try? encoder.encode(entries)) ?? Data("[]".utf8)
      Console.out(String(decoding: data, as: UTF8.self) + "\n")
    case .text, .markdown:
      var out: [String] = []
      for entry in explanations {
        var text = renderer.why(entry.explanation, guide: entry.guide)
        if whyNot != nil && entry.explanation.fired {
          text += "  (it did fire for this interview: see --why)\n"
        } else if why != nil && !entry.explanation.fired {
          text += "  (it did not fire for this interview: see --why-not)\n"
        }
        let heading = TerminalSafe.neutralize(entry.path)
        out.append(
          format == .markdown
            ? "## \(heading)\n\n```\n\(text)```\n" : "\(heading)\n\(text)")
      }
      Console.out(out.joined(separator: "\n"))
    }
  }

  private struct Explained: Encodable {
    var transcript: String
    var explanation: RuleExplanation
  }

  /// The guide an interview is read against: the guide as it is now, when it can still be read
  /// without errors (its `was:` lines then map old ids to new), else the guide as it was asked,
  /// from the transcript.
  static func guide(for header: TranscriptHeader) -> Guide {
    // A follow-up's Check part is made from the header, on the guide as it was asked.
    if header.followUp != nil { return InterviewProgress.guide(of: header) }
    if let current = GuideSource.current(recordedAt: header.guide.path) {
      let (guide, diagnostics) = GuideChecker.parseAndCheck(
        path: current.path, text: current.text, loader: current.loader)
      if !diagnostics.hasErrors { return guide }
    }
    return GuideParser.parse(path: header.guide.path, text: header.guide.source).guide
  }

  /// The interview's day, from when it started.
  static func day(of header: TranscriptHeader) -> Day {
    if let asOf = header.asOf, let day = Day(iso: asOf) { return day }
    if let day = Day(iso: header.started.prefix(10)) { return day }
    let iso = Timestamp.iso(Date().timeIntervalSince1970)
    return Day(iso: iso.prefix(10)) ?? RuleTestRunner.defaultToday
  }
}
