import GembaCore

/// The entry points that the fuzzers (`make fuzz`) and the corpus replay test (`make test`) feed
/// bytes to, one per reader of untrusted text.
///
/// Each entry point takes any bytes, runs them through the same code a user's file or keyboard
/// reaches, and returns the promises it saw broken (empty when all held). A crash is a finding
/// by itself; a broken promise is one too: the fuzz harness stops on either, and the replay test
/// fails on either.
public enum FuzzTarget: String, CaseIterable, Sendable {
  /// The guide parser, checker, flow analysis and formatter.
  case guide
  /// The expression parser and printer, the rule parser and checker, and rule test files.
  case rules
  /// The transcript reader, and an interview rebuilt from what it read (resume and replay).
  case transcript
  /// The coach's sidecar reader and the rubric parser.
  case coach
  /// The neutraliser that keeps answers from driving a terminal.
  case terminal

  /// What the targets check against: the guides rule files name in `applies to:`.
  public struct Context: Sendable {
    public var guides: [RuleGuide]

    /// Parses `guideTexts` (file path → text); guides with errors are still used, as
    /// `gemba check` uses them.
    public init(guideTexts: [String: String]) {
      guides = guideTexts.sorted { $0.key < $1.key }.map { path, text in
        RuleGuide(path: path, guide: GuideChecker.parseAndCheck(path: path, text: text).guide)
      }
    }
  }

  /// Runs `bytes` through this target's code; returns the broken promises, each said in words.
  public func run(_ bytes: [UInt8], context: Context) -> [String] {
    switch self {
    case .guide: return Self.guide(bytes)
    case .rules: return Self.rules(bytes, context: context)
    case .transcript: return Self.transcript(bytes)
    case .coach: return Self.coach(bytes)
    case .terminal: return Self.terminal(bytes)
    }
  }

  /// The day interviews rebuilt here are taken to happen on, so runs repeat exactly.
  private static let today = Day(year: 2026, month: 11, day: 26) ?? Day.fromOrdinal(0)
  private static let moment = Moment(t: "2026-11-26T14:00:00.000Z", ms: 1)

  // MARK: Guides

  private static func guide(_ bytes: [UInt8]) -> [String] {
    let text = String(decoding: bytes, as: UTF8.self)
    let path = "fuzz.guide"
    // The guide may include itself, or a second copy of itself: include cycles and repeated
    // includes are reached without a disk.
    let loader = InMemorySourceLoader([path: text, "part.guide": text])
    let (guide, diagnostics) = GuideChecker.parseAndCheck(path: path, text: text, loader: loader)
    var broken = rendered(diagnostics, files: guide.files)
    if case .failure(.meaningChanged) = GuideFormatter.format(text, path: path) {
      broken.append("formatting changed the guide's meaning")
    }
    if !diagnostics.hasErrors {
      var session = InterviewSession(guide: guide, today: today)
      _ = session.presentNext(at: moment)
      _ = session.handle("yes", at: moment)
      _ = session.presentNext(at: moment)
      _ = session.openQuestionsBySection()
    }
    return broken
  }

  /// Renders every diagnostic with its source line: a range outside its file is a broken
  /// promise (a message that points nowhere).
  private static func rendered(_ diagnostics: [Diagnostic], files: [SourceFile]) -> [String] {
    var sources: [String: SourceFile] = [:]
    for file in files { sources[file.path] = file }
    var broken: [String] = []
    for diagnostic in diagnostics {
      let start = diagnostic.range.start
      guard let file = sources[start.path] else { continue }
      if start.line < 1 || start.line > file.lineStarts.count || start.column < 1 {
        broken.append(
          "a diagnostic points outside its file: \(start.path):\(start.line):\(start.column)")
      }
    }
    _ = DiagnosticRenderer(colored: false, showsSource: true).render(
      all: diagnostics, sources: sources)
    return broken
  }

  // MARK: Rules and expressions

  private static func rules(_ bytes: [UInt8], context: Context) -> [String] {
    let text = String(decoding: bytes, as: UTF8.self)
    var broken: [String] = []
    // The whole input as one expression: what prints must parse again and print the same.
    let start = SourceLocation(path: "fuzz.expr", line: 1, column: 1)
    if case .success(let expression) = ExpressionParser.parse(Substring(text), at: start) {
      let printed = ExpressionPrinter.print(expression)
      switch ExpressionParser.parse(Substring(printed), at: start) {
      case .success(let again):
        let reprinted = ExpressionPrinter.print(again)
        if reprinted != printed {
          broken.append("an expression prints two ways: '\(printed)' then '\(reprinted)'")
        }
      case .failure(let diagnostic):
        broken.append("a printed expression does not parse: '\(printed)': \(diagnostic.message)")
      }
    }
    let (file, diagnostics) = RuleChecker.parseAndCheck(
      path: "fuzz.rules", text: text, guides: context.guides)
    broken += rendered(diagnostics, files: [file.source])
    if !diagnostics.hasErrors {
      let rules = RuleSet([file])
      for ruleGuide in context.guides {
        let session = InterviewSession(guide: ruleGuide.guide, today: today)
        _ = rules.propose(for: session)
      }
    }
    let (tests, testDiagnostics) = RuleTestParser.parse(path: "fuzz.test", text: text)
    broken += rendered(testDiagnostics, files: [tests.source])
    return broken
  }

  // MARK: Transcripts

  private static func transcript(_ bytes: [UInt8]) -> [String] {
    guard case .success(let contents) = TranscriptCodec.read(bytes) else { return [] }
    var broken: [String] = []
    if contents.validLength > bytes.count {
      broken.append("the readable part is longer than the file")
    }
    // What was read, written again, reads back the same: a resumed interview that appends to
    // it keeps every event.
    var again = TranscriptCodec.line(contents.header)
    for event in contents.events { again += TranscriptCodec.line(event) }
    switch TranscriptCodec.read(Array(again.utf8)) {
    case .success(let reread):
      if reread.header != contents.header { broken.append("the header changes when written again") }
      if reread.events != contents.events { broken.append("events change when written again") }
      if !reread.problems.isEmpty { broken.append("events written again read with problems") }
    case .failure(let error):
      broken.append("a transcript written again cannot be read: \(error)")
    }
    // Resume and replay: the interview rebuilt from the copy of the guide it carries.
    let guide = InterviewProgress.guide(of: contents.header)
    var session = InterviewSession(guide: guide, today: today)
    session.restore(contents.events)
    _ = session.presentNext(at: moment)
    _ = session.handle("an answer", at: moment)
    _ = session.handle(":back", at: moment)
    _ = session.presentNext(at: moment)
    _ = InterviewProgress(contents, guide: guide, today: today)
    _ = ReplayTimeline(contents: contents, guide: guide, today: today)
    return broken
  }

  // MARK: Coaching

  private static func coach(_ bytes: [UInt8]) -> [String] {
    var broken: [String] = []
    if case .success(let contents) = CoachSidecar.read(bytes) {
      var again = CoachSidecar.line(contents.header)
      for event in contents.events { again += CoachSidecar.line(event) }
      switch CoachSidecar.read(Array(again.utf8)) {
      case .success(let reread):
        if reread.events != contents.events {
          broken.append("coach events change when written again")
        }
      case .failure(let error):
        broken.append("a sidecar written again cannot be read: \(error)")
      }
    }
    let text = String(decoding: bytes, as: UTF8.self)
    let (_, diagnostics) = RubricParser.parse(path: "fuzz.rubric", text: text)
    broken += rendered(diagnostics, files: [SourceFile(path: "fuzz.rubric", text: text)])
    return broken
  }

  // MARK: Terminal safety

  private static func terminal(_ bytes: [UInt8]) -> [String] {
    let text = String(decoding: bytes, as: UTF8.self)
    var broken: [String] = []
    for keepingNewlines in [false, true] {
      let safe = TerminalSafe.neutralize(text, keepingNewlines: keepingNewlines)
      if let control = safe.unicodeScalars.first(where: {
        ($0.value < 0x20 && !($0 == "\n" && keepingNewlines)) || (0x7F...0x9F).contains($0.value)
      }) {
        broken.append(
          "a control character U+\(String(control.value, radix: 16)) reaches the terminal")
      }
      if TerminalSafe.neutralize(safe, keepingNewlines: keepingNewlines) != safe {
        broken.append("neutralising twice changes the text")
      }
      if DisplayWidth.of(safe) < 0 { broken.append("a negative display width") }
    }
    return broken
  }
}
