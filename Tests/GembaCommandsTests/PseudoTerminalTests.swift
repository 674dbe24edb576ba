import Foundation
import Testing

/// A folder for one test: a small guide, transcripts, and a home and state folder of its own so
/// the command history never touches the real one.
private struct Workspace {
  /// Small enough to go through in a few keystrokes, with what the keys act on: a hint and two
  /// probes, choices, a yes/no question and an after-call part with an assessment.
  static let guide = """
    title: Tiny
    # Start (customer)
    ? goal: What is the goal?
      hint: Ask for the outcome, not the product.
      probe: Why that goal?
      probe: Since when?
    ? size (choice): How big is the team that handles these requests today, counting everyone who touches one of them on the way?
      - small: A small team
      - large: A large team
    ? story: Tell me about the last time it went wrong.
    ? again (yesno): Shall we meet again?
    # Debrief (after)
    ? feel (assess, choice): How did it go?
      - well: Well
      - badly: Badly
      hint: Be honest with yourself.
    ? lesson: What did you learn?

    """

  let folder: URL

  init() throws {
    folder = try BinaryRunner.temporaryFolder()
    try Self.guide.write(to: URL(fileURLWithPath: guidePath), atomically: true, encoding: .utf8)
  }

  var guidePath: String { folder.appendingPathComponent("tiny.guide").path }
  var transcripts: String { folder.appendingPathComponent("transcripts").path }
  var historyPath: String { folder.appendingPathComponent("state/gemba/history").path }

  /// `gemba run` on the small guide, under a new terminal.
  func run(
    _ extra: [String] = [], environment: [String: String?] = [:], columns: UInt16 = 100
  ) throws -> PseudoTerminal {
    try start(
      ["run", guidePath, "--interviewer", "Dana", "--transcripts", transcripts] + extra,
      environment: environment, columns: columns)
  }

  func start(
    _ arguments: [String], environment: [String: String?] = [:], columns: UInt16 = 100
  ) throws -> PseudoTerminal {
    try PseudoTerminal.start(
      arguments, home: folder, environment: environment, columns: columns)
  }

  func transcript() throws -> Transcript {
    let found = InterviewEndToEndTests.findTranscript(in: URL(fileURLWithPath: transcripts))
    let (path, text) = try #require(found, "no transcript in \(transcripts)")
    return Transcript(path: path, text: text)
  }
}

/// A transcript's events, read as JSON.
private struct Transcript {
  let path: String
  let text: String
  let events: [[String: Any]]

  init(path: String, text: String) {
    self.path = path
    self.text = text
    events = text.split(separator: "\n").compactMap {
      try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]
    }
  }

  func events(_ type: String, q: String? = nil) -> [[String: Any]] {
    events.filter { $0["type"] as? String == type && (q == nil || $0["q"] as? String == q) }
  }

  /// What was last typed for question `q`, as an answer or a revision.
  func raw(_ q: String) -> String? {
    events.last {
      ($0["type"] as? String).map(["answer", "edit"].contains) == true
        && $0["q"] as? String == q
    }?["raw"] as? String
  }

  /// The option chosen for question `q`.
  func choice(_ q: String) -> String? {
    let answer = events("answer", q: q).last
    return (answer?["value"] as? [String: Any])?["choice"] as? String
  }

  var types: [String] { events.compactMap { $0["type"] as? String } }
}

@Suite("Under a pseudo-terminal")
struct PseudoTerminalTests {
  // MARK: A whole interview

  /// The customer-purpose interview as the golden piped transcript has it, with answers in
  /// several scripts: accents, precomposed and combining, CJK and emoji.
  static let wholeInterview = [
    "Learn what their business is for — surprised if they measure end-to-end time ⏱",
    "They chase us for deliveries more than they admit",
    "1",
    "no",
    "We keep cafés open every morning, whatever breaks ☕",
    ":probe",
    ":hint",
    "Mostly the number of tickets closed per week",
    ":note they keep a spreadsheet of late deliveries 📋",
    "東京の店長:「冷蔵庫がまた壊れた、今日来てもらえますか？」",
    "Last Tuesday a shop in Zürich called three times about the same repair",
    ":file 1 failure_example",
    ":tag failure-demand",
    "Our driver was late twice 🚚🚚; they phoned us both times",
    ":asked Do you track the calls you make to us?",
    "They print the delivery note and re-key it into their own system",
    "Finance (Zoë) would worry about the contract length",
    "site visit",
    "What made you ask about the fridges?",
    "3",
    "\"the fridge is warm again\"",
    "2",
    "they liked the idea of one call fixing it 👍🏽",
    "1",
    ":skip not heard",
    "2",
    "\"we have always done it this way\"",
    "dated",
    "mixed",
    "yes",
    "functional",
    "no",
    "understanding",
    "They shared the spreadsheet but not their measures",
    ":back",
    "They showed us their own spreadsheet of late deliveries",
    "I expected to learn their measures; they had none in customer terms",
    "supported",
    "Anna (customer) sends a week of call logs by Friday, cafe\u{301} owners first",
    "We (Dana) visit the Hamburg site on 9 December",
    ":skip",
    "y",
    "2026-12-04",
    // The two next steps become promises as guessed; no proposal is agreed.
    "",
    "",
    "",
  ]

  @Test func aWholeInterviewWithUTF8AnswersWritesTheSameTranscriptAsAPipe() throws {
    let workspace = try Workspace()
    let arguments = [
      "run", "--customer", "Café Schön GmbH", "--interviewer", "Dana", "--with", "Sam",
      "--transcripts",
    ]
    // Wide enough that no question wraps, so a question reads as one line below.
    let terminal = try workspace.start(arguments + [workspace.transcripts], columns: 250)
    for line in Self.wholeInterview { try terminal.answer(line) }
    #expect(try terminal.waitForExit() == 0, "\(terminal.tail())")
    let screen = terminal.text()
    #expect(screen.contains("interview finished: 33 answered, 0 covered in passing, 2 skipped"))
    // The program's own output carries the answers back: questions quote earlier ones.
    #expect(
      screen.contains(
        "You said your business is there to \"We keep cafés open every morning, whatever breaks ☕\""
      ))
    #expect(screen.contains("Before the call you expected \"Learn what their business is for — "))
    let live = try workspace.transcript()
    #expect(live.raw("last_demand") == "東京の店長:「冷蔵庫がまた壊れた、今日来てもらえますか？」")
    #expect(live.raw("pull_quote") == "they liked the idea of one call fixing it 👍🏽")
    #expect(
      live.raw("next_step_1")?.unicodeScalars.map(\.value).contains(0x301) == true,
      "a combining accent arrives as typed")
    #expect(live.types.last == "end")

    let piped = try BinaryRunner.temporaryFolder()
    let result = try BinaryRunner.run(
      arguments + [piped.path], input: Self.wholeInterview.joined(separator: "\n") + "\n",
      environment: ["HOME": piped.path, "XDG_STATE_HOME": piped.path])
    #expect(result.status == 0, "\(result.stderr)")
    let pipedText = try InterviewEndToEndTests.transcript(in: piped).text
    let liveLines = TranscriptMask.mask(live.text).split(separator: "\n")
    let pipedLines = TranscriptMask.mask(pipedText).split(separator: "\n")
    #expect(liveLines.count == pipedLines.count)
    for (number, (typed, fed)) in zip(liveLines, pipedLines).enumerated() {
      #expect(typed == fed, "line \(number + 1) of the transcripts differs")
    }
  }

  // MARK: Completion and keys

  @Test func aCommandTypedForTheInterviewersNameIsNotTakenAsTheName() throws {
    let workspace = try Workspace()
    let terminal = try workspace.start([
      "run", workspace.guidePath, "--transcripts", workspace.transcripts,
    ])
    try terminal.waitFor("Who is interviewing?")
    try terminal.answer(":goto lesson")
    try terminal.waitFor("the interview starts once you have said who you are")
    try terminal.answer("Dana")
    try terminal.answer("a goal")
    try terminal.answer(":pause")
    #expect(try terminal.waitForExit() == 0, "\(terminal.tail())")
    let transcript = try workspace.transcript()
    let header = try #require(transcript.events.first)
    #expect(header["interviewer"] as? String == "Dana")
    let answers = transcript.events.filter { $0["type"] as? String == "answer" }
    #expect(answers.map { $0["q"] as? String } == ["goal"])
  }

  @Test func onANarrowTerminalThePromptGivesUpWordsAndTextWraps() throws {
    let workspace = try Workspace()
    let terminal = try workspace.run(["--minutes", "30"], columns: 50)
    try terminal.waitForPrompt()
    let first = terminal.text()
    // The full prompt (`Start · 4 left, 1 section ahead · 0:00 · 0/30m`) would leave no room.
    #expect(!first.contains("sections ahead") && !first.contains("section ahead"))
    #expect(first.contains("Start · 4 left · 0:00 · 0/30m ›"), "\(terminal.tail())")
    // The notes under the question are wrapped at a space, not cut by the terminal.
    #expect(first.contains("hint: Alt-h · 2 probes: Alt-p"))
    try terminal.type(":pause\r")
    #expect(try terminal.waitForExit() == 0, "\(terminal.tail())")
  }

  @Test func tabCompletesChoicesCommandsAndQuestionIDs() throws {
    let workspace = try Workspace()
    let terminal = try workspace.run()
    try terminal.answer("a goal")
    try terminal.answer("la\t")
    try terminal.answer("a story")
    // `:cov` completes to the command, `ag` to the question id.
    try terminal.answer(":cov\tag\t")
    try terminal.waitFor("'again' covered; it will not be asked")
    try terminal.answer("w\t")
    try terminal.answer("a lesson")
    #expect(try terminal.waitForExit() == 0, "\(terminal.tail())")
    let transcript = try workspace.transcript()
    #expect(transcript.choice("size") == "large")
    #expect(transcript.events("covered", q: "again").count == 1)
    #expect(transcript.choice("feel") == "well")
  }

  @Test(arguments: ["\u{1B}h", "\u{1B}OP"])
  func theHintKeyShowsTheHintAndKeepsTheHalfTypedAnswer(key: String) throws {
    let workspace = try Workspace()
    let terminal = try workspace.run()
    // On an empty line first: the key must not read as the end of input.
    try terminal.waitForPrompt()
    try terminal.type(key)
    try terminal.waitFor("hint: Ask for the outcome, not the product.")
    try terminal.waitForPrompt()
    let before = terminal.offset
    try terminal.type("half")
    try terminal.type(key)
    try terminal.waitFor("hint: Ask for the outcome, not the product.", from: before)
    try terminal.answer("")
    try terminal.waitFor("How big is the team", from: before)
    let transcript = try workspace.transcript()
    #expect(transcript.events("hint", q: "goal").count == 2)
    #expect(transcript.raw("goal") == "half")
  }

  @Test(arguments: ["\u{1B}p", "\u{1B}OQ"])
  func theProbeKeyShowsTheNextProbeAndKeepsTheHalfTypedAnswer(key: String) throws {
    let workspace = try Workspace()
    let terminal = try workspace.run()
    try terminal.waitForPrompt()
    let before = terminal.offset
    try terminal.type("half")
    try terminal.type(key)
    try terminal.waitFor("probe: Why that goal?", from: before)
    try terminal.waitForPrompt()
    try terminal.type(" more")
    try terminal.type(key)
    try terminal.waitFor("probe: Since when?", from: before)
    try terminal.answer("")
    try terminal.waitFor("How big is the team", from: before)
    let transcript = try workspace.transcript()
    #expect(transcript.events("probe", q: "goal").compactMap { $0["index"] as? Int } == [0, 1])
    #expect(transcript.raw("goal") == "half more")
  }

  @Test(arguments: ["\u{1B}b", "\u{1B}OR"])
  func theBackKeyGoesToTheQuestionBefore(key: String) throws {
    let workspace = try Workspace()
    let terminal = try workspace.run()
    try terminal.answer("the first goal")
    try terminal.waitForPrompt()
    let before = terminal.offset
    try terminal.type(key)
    try terminal.waitFor("answered: the first goal (Enter keeps it)", from: before)
    try terminal.answer("")
    try terminal.answer("2")
    try terminal.waitFor("Tell me about the last time it went wrong.", from: before)
    let transcript = try workspace.transcript()
    let back = try #require(transcript.events("back").first)
    #expect(back["q"] as? String == "goal")
    #expect(back["from"] as? String == "size")
    #expect(transcript.raw("goal") == "the first goal")
    #expect(transcript.choice("size") == "large")
  }

  @Test(arguments: ["\u{1B}s", "\u{1B}OS"])
  func theSkipKeyLeavesTheQuestionOpen(key: String) throws {
    let workspace = try Workspace()
    let terminal = try workspace.run()
    try terminal.waitForPrompt()
    try terminal.type(key)
    try terminal.waitFor("How big is the team")
    try terminal.answer("1")
    try terminal.waitFor("Tell me about the last time it went wrong.")
    let transcript = try workspace.transcript()
    #expect(transcript.events("skip", q: "goal").count == 1)
    #expect(transcript.events("answer", q: "goal").isEmpty)
    #expect(transcript.choice("size") == "small")
  }

  @Test(arguments: ["\u{1B}n", "\u{1B}[15~"])
  func theNoteKeyTakesANoteAndKeepsTheHalfTypedAnswer(key: String) throws {
    let workspace = try Workspace()
    let terminal = try workspace.run()
    try terminal.waitForPrompt()
    let before = terminal.offset
    try terminal.type("half")
    try terminal.type(key)
    try terminal.answer("they keep a list 📋")
    try terminal.waitFor("note 1 kept", from: before)
    try terminal.answer("")
    try terminal.waitFor("How big is the team", from: before)
    let transcript = try workspace.transcript()
    let note = try #require(transcript.events("note").first)
    #expect(note["text"] as? String == "they keep a list 📋")
    #expect(note["q"] as? String == "goal")
    #expect(transcript.raw("goal") == "half")
  }

  // MARK: Commands

  @Test func backSkipEditAndCoveredCommands() throws {
    let workspace = try Workspace()
    let terminal = try workspace.run()
    try terminal.answer("first")
    try terminal.answer(":back")
    try terminal.waitFor("answered: first (Enter keeps it)")
    try terminal.answer("")
    try terminal.answer(":skip")
    try terminal.waitFor("Tell me about the last time it went wrong.")
    try terminal.answer(":edit goal")
    try terminal.waitFor("new answer for 'goal' (was: first)")
    try terminal.answer("second")
    try terminal.answer(":covered feel they said it went well")
    try terminal.waitFor("'feel' covered; it will not be asked")
    try terminal.answer("a story")
    try terminal.answer("y")
    // `feel` was covered, so the debrief starts at the lesson.
    try terminal.answer("a lesson")
    #expect(try terminal.waitForExit() == 0, "\(terminal.tail())")
    #expect(!terminal.text().contains("How did it go?"))
    let transcript = try workspace.transcript()
    #expect(transcript.events("back", q: "goal").count == 1)
    #expect(transcript.events("skip", q: "size").count == 1)
    #expect(transcript.events("edit", q: "goal").first?["raw"] as? String == "second")
    #expect(
      transcript.events("covered", q: "feel").first?["raw"] as? String == "they said it went well")
    #expect(transcript.raw("lesson") == "a lesson")
    #expect(transcript.types.last == "end")
  }

  // MARK: Ctrl-C

  @Test func ctrlCClearsTheLineAndSigintNeverEndsTheInterview() throws {
    let workspace = try Workspace()
    let terminal = try workspace.run()
    try terminal.waitForPrompt()
    try terminal.type("abandoned words")
    try terminal.type("\u{03}")
    try terminal.waitFor("line cleared")
    try terminal.answer("the real goal")

    // At a prompt: a SIGINT from outside (kill -INT) is ignored and editing goes on.
    try terminal.waitForPrompt()
    kill(terminal.pid, SIGINT)
    Thread.sleep(forTimeInterval: 0.05)
    #expect(terminal.isRunning)
    try terminal.type("1\r")

    // Between prompts: ^C reaches the whole foreground process group, as the kernel sends it,
    // while the answer is still being stored.
    for line in ["a story", "y", "well"] {
      try terminal.answer(line)
      kill(-terminal.pid, SIGINT)
    }
    try terminal.answer("a lesson")
    #expect(try terminal.waitForExit() == 0, "\(terminal.tail())")
    let transcript = try workspace.transcript()
    #expect(!transcript.text.contains("abandoned"))
    #expect(transcript.events("interrupted").isEmpty)
    #expect(transcript.raw("goal") == "the real goal")
    #expect(transcript.choice("size") == "small")
    #expect(transcript.raw("lesson") == "a lesson")
    #expect(transcript.types.last == "end")
  }

  // MARK: Paste and line breaks

  @Test func aBracketedPasteIsOneAnswerAndLineBreaksCanBeTyped() throws {
    let workspace = try Workspace()
    let terminal = try workspace.run()
    try terminal.waitForPrompt()
    try terminal.type("\u{1B}[200~line one\nline two\u{1B}[201~")
    try terminal.type("\r")
    try terminal.answer("1")
    // A long paste is held outside the edit buffer, and arrives whole. Terminals send a pasted
    // line break as CR, as the Enter key.
    let rows = (1...40).map { "row \($0): 東京 ☕" }
    try terminal.waitForPrompt()
    try terminal.type("\u{1B}[200~" + rows.joined(separator: "\r") + "\u{1B}[201~\r")
    try terminal.answer("y")
    try terminal.answer("well")
    // A final backslash goes on to the next line; Alt-Enter breaks the line in place.
    try terminal.answer("first\\")
    try terminal.answer("second\u{1B}\rthird")
    #expect(try terminal.waitForExit() == 0, "\(terminal.tail())")
    let transcript = try workspace.transcript()
    #expect(transcript.raw("goal") == "line one\nline two")
    #expect(transcript.raw("story") == rows.joined(separator: "\n"))
    #expect(transcript.raw("lesson") == "first\nsecond\nthird")
    #expect(transcript.events("answer").count == 6, "no line of a paste became an answer")
  }

  // MARK: The terminal

  @Test func afterAResizeTheNextQuestionIsWrappedToTheNewWidth() throws {
    let workspace = try Workspace()
    let terminal = try workspace.run()
    try terminal.waitForPrompt()
    // TIOCSWINSZ on the master: the kernel sends SIGWINCH to the program, as for a window.
    terminal.resize(rows: 20, columns: 40)
    let before = terminal.offset
    try terminal.type("typed after the resize\r")
    try terminal.waitForPrompt()
    let shown = terminal.text(from: before).split(separator: "\n").map(String.init)
    let first = try #require(shown.firstIndex { $0.hasPrefix("How big is the team") })
    let last = try #require(shown[first...].firstIndex { $0.hasSuffix("the way?") })
    #expect(shown[first...last].allSatisfy { $0.count < 40 }, "\(shown[first...last])")
    #expect(
      shown[first...last].joined(separator: " ")
        == "How big is the team that handles these requests today, counting everyone who "
        + "touches one of them on the way?")
    #expect(shown.contains("  1  A small team"))
    try terminal.type("2\r")
    try terminal.waitFor("Tell me about the last time it went\nwrong.", from: before)
    let transcript = try workspace.transcript()
    #expect(transcript.raw("goal") == "typed after the resize")
    #expect(transcript.choice("size") == "large")
  }

  @Test func ctrlDPausesAndResumeFinishes() throws {
    let workspace = try Workspace()
    let terminal = try workspace.run()
    try terminal.answer("before the pause ✓")
    try terminal.waitForPrompt()
    try terminal.type("\u{04}")
    try terminal.waitFor("paused; continue with: gemba resume ")
    #expect(try terminal.waitForExit() == 0)
    let paused = try workspace.transcript()
    // Ctrl-D is told apart from piped input running out.
    #expect(
      paused.events("pause").first?["reason"] as? String == "Ctrl-D: paused at the terminal")

    // Without a path, resume offers the newest unfinished interview and asks first.
    let resumed = try workspace.start(["resume", "--transcripts", workspace.transcripts])
    try resumed.waitFor("[y/N]")
    resumed.write("y\r")
    try resumed.waitFor("resuming Tiny with no customer named: 1 answers so far")
    try resumed.waitFor("How big is the team")
    for line in ["2", "a story", "n", "badly", "a lesson"] { try resumed.answer(line) }
    #expect(try resumed.waitForExit() == 0, "\(resumed.tail())")
    let finished = try workspace.transcript()
    #expect(finished.path == paused.path)
    #expect(finished.raw("goal") == "before the pause ✓")
    #expect(finished.events("recovered").count == 1)
    #expect(finished.choice("feel") == "badly")
    #expect(finished.types.last == "end")
  }

  @Test func closingTheTerminalLosesNothingAndTheInterviewResumes() throws {
    let workspace = try Workspace()
    let terminal = try workspace.run()
    try terminal.answer("said before the window closed")
    try terminal.waitForPrompt()
    try terminal.type("half typed")
    terminal.hangUp()
    try terminal.waitForExit()
    let stopped = try workspace.transcript()
    #expect(stopped.raw("goal") == "said before the window closed")
    #expect(!stopped.text.contains("half typed"))
    #expect(stopped.types.last == "interrupted" || stopped.types.last == "pause")
    let resumed = try BinaryRunner.run(
      ["resume", stopped.path], input: "1\nstory\ny\nwell\nlesson\n",
      environment: ["HOME": workspace.folder.path])
    #expect(resumed.status == 0, "\(resumed.stderr)")
    #expect(try workspace.transcript().types.last == "end")
  }

  @Test(arguments: [SIGTERM, SIGHUP])
  func aStopSignalAtAPromptSavesEverythingAndGivesTheTerminalBack(signal: Int32) throws {
    let workspace = try Workspace()
    let terminal = try workspace.run()
    try terminal.answer("said before the signal")
    try terminal.waitForPrompt()
    try terminal.type("half typed")
    kill(terminal.pid, signal)
    #expect(try terminal.waitForExit() == 0, "\(terminal.tail())")
    try terminal.waitFor("everything is saved. Continue with: gemba resume")
    #expect(terminal.isCooked, "the shell gets its terminal back with echo")
    let stopped = try workspace.transcript()
    #expect(stopped.raw("goal") == "said before the signal")
    #expect(stopped.types.last == "interrupted")
  }

  @Test func sharingTheScreenHidesCoachingAndTheDebriefWaits() throws {
    let workspace = try Workspace()
    let terminal = try workspace.run(["--share"])
    try terminal.waitForPrompt()
    #expect(terminal.text().contains("What is the goal?"))
    #expect(!terminal.text().contains("Alt-h"), "no hint line while shared")
    #expect(!terminal.text().contains("Alt-p"), "no probes line while shared")
    try terminal.type(":hint\r")
    try terminal.waitFor("hints are hidden while the screen is shared")
    try terminal.waitForPrompt()
    let beforeKey = terminal.offset
    try terminal.type("\u{1B}h")
    try terminal.waitFor("hints are hidden while the screen is shared", from: beforeKey)
    for line in ["a goal", "1", "a story", "y"] { try terminal.answer(line) }
    try terminal.waitFor("the debrief waits until the screen is no longer shared")
    // What is typed while the debrief waits is kept as a note, never lost or answered.
    try terminal.answer("they waved goodbye")
    try terminal.waitForPrompt()
    #expect(!terminal.text().contains("How did it go?"))
    let beforeOff = terminal.offset
    try terminal.type(":share off\r")
    try terminal.waitFor("How did it go? (your assessment)", from: beforeOff)
    try terminal.waitFor("hint: Alt-h", from: beforeOff)
    for line in ["well", "a lesson"] { try terminal.answer(line) }
    #expect(try terminal.waitForExit() == 0, "\(terminal.tail())")
    let transcript = try workspace.transcript()
    #expect(!terminal.text().contains("hint: Ask for the outcome"))
    #expect(transcript.events("hint").isEmpty)
    #expect(transcript.events("note").first?["text"] as? String == "they waved goodbye")
    #expect(transcript.choice("feel") == "well")
    #expect(transcript.types.last == "end")
  }

  @Test func colourOnATerminalButNeverWithNoColor() throws {
    let workspace = try Workspace()
    let colored = try workspace.run(environment: ["NO_COLOR": nil])
    try colored.waitForPrompt()
    #expect(colored.text().contains("\u{1B}[1mWhat is the goal?\u{1B}[0m"))
    let plain = try workspace.run()
    try plain.waitForPrompt()
    #expect(plain.text().contains("\nWhat is the goal?\n"))
    #expect(!plain.text().contains("\u{1B}[1m"))
  }

  /// A shell with no locale (cron, ssh, a container) or the C locale still takes UTF-8.
  @Test(
    arguments: [
      ["LANG": nil], ["LANG": nil, "LC_ALL": "C"], ["LANG": "POSIX"],
    ] as [[String: String?]])
  func utf8AnswersWhateverTheLocale(environment: [String: String?]) throws {
    let workspace = try Workspace()
    let terminal = try workspace.run(environment: environment)
    try terminal.answer("Café 東京 🚚")
    try terminal.waitForPrompt()
    try terminal.type("\u{04}")
    #expect(try terminal.waitForExit() == 0, "\(terminal.tail())")
    #expect(try workspace.transcript().raw("goal") == "Café 東京 🚚")
  }

  // MARK: History

  @Test func theHistoryFileIsPrivateAndKeepsCommandsWithoutWhatWasSaid() throws {
    let workspace = try Workspace()
    let terminal = try workspace.run()
    try terminal.answer("confidential answer")
    try terminal.answer(":note secret words from the customer")
    try terminal.answer(":go\tgoa\t")
    try terminal.waitFor("answered: confidential answer")
    try terminal.answer(":edit goal a changed secret")
    try terminal.answer(":skip private reason")
    try terminal.waitForPrompt()
    try terminal.type("\u{04}")
    #expect(try terminal.waitForExit() == 0)

    let history = try String(contentsOfFile: workspace.historyPath, encoding: .utf8)
    #expect(history == ":note\n:goto goal\n:edit goal\n:skip\n")
    let attributes = try FileManager.default.attributesOfItem(atPath: workspace.historyPath)
    #expect(attributes[.posixPermissions] as? Int == 0o600)
    for secret in ["confidential", "secret", "private"] { #expect(!history.contains(secret)) }

    // The next session finds the commands with Up.
    let resumed = try workspace.start(["resume", try workspace.transcript().path])
    try resumed.waitForPrompt()
    let before = resumed.offset
    try resumed.type("\u{1B}[A\u{1B}[A\r")
    try resumed.waitFor("new answer for 'goal' (was: a changed secret)", from: before)
  }
}
