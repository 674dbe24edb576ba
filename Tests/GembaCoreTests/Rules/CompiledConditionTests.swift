import Foundation
import Testing

@testable import GembaCore

/// The compiled conditions `gemba propose` evaluates give exactly what ``Evaluator`` gives, on
/// every kind of answer and every state a question can be in.
@Suite("Rules, compiled conditions against the evaluator")
struct CompiledConditionTests {
  static let guideText = """
    title: Equivalence
    method: equivalence
    tags: extra

    # Questions
    ? words: What did they say?
      tags: push, extra
    ? other: Anything else?
      was: older
    ? focus (choice): Which?
      - growth: Growth
      - service: Service
      - yes: Yes please
    ? channels (choices): Which channels?
      - email: Email
      - phone: Phone
      - chat: Chat
    ? push (assess 0...3): Push?
      tags: push
    ? pull (scale 1...5): Pull?
      tags: pull, extra
    ? staff (number 0... people): How many?
      tags: push
    ? pilot (yesno): A pilot?
    ? decided (date): When?
    set total = push + pull
    set label = "fixed text"
    """

  static let guide = GuideParser.parse(path: "equivalence.guide", text: guideText).guide

  /// Texts that exercise folding, words, apostrophes, line breaks and control characters.
  static let texts = [
    "We keep a spreadsheet", "I'll just keep EXCEL", "Café au lait, usually", "re-key it by hand",
    "", "  padded  ", "it\r\nbreaks", "tab\there", "don’t worry", "12 users and 3 sites",
    "priceless", "the lead  time", "ÉCOLE", "a\u{7}bell", "spreadsheets", "SPREAD sheet",
    "l'équipe", "ＦＵＬＬ width",
  ]

  static let phrases = [
    "spreadsheet", "I'll just", "cafe", "re-key", "lead time", "price", "usually", "école", "",
    "don’t", "l'équipe", "full", "Excel", "by hand",
  ]

  static let patterns = [
    "\\d+ ?(users|sites)", "^we", "sheet$", "(?i)excel", "spread ?sheet", "[a-z]+ [a-z]+",
    "^$", "x*", "caf.", "[^a-z ]", "\\bit\\b", "e{2}", "\\w+'\\w+", "[",
  ]

  /// A random expression over the guide's questions, of the kinds rules use.
  struct Generator {
    var random: SeededRandom

    mutating func pick<T>(_ items: [T]) -> T { items[random.below(items.count)] }

    mutating func condition(_ depth: Int = 0) -> String {
      if depth < 2, random.below(4) == 0 {
        let joiner = pick([" and ", " or "])
        return "(" + condition(depth + 1) + joiner + condition(depth + 1) + ")"
      }
      if depth < 3, random.below(8) == 0 { return "not " + condition(depth + 1) }
      let question = pick([
        "words", "other", "older", "focus", "channels", "push", "pull", "staff", "pilot",
        "decided", "total", "label", "missing_one",
      ])
      let text = Self.quote(pick(CompiledConditionTests.phrases))
      switch random.below(17) {
      case 0: return "\(question) is \(pick(["answered", "skipped", "asked", "not answered"]))"
      case 1: return "\(question) is \(pick(["growth", "service", "yes", "no", "other"]))"
      case 2: return "\(question) is not \(pick(["growth", "yes", "\"growth\"", "3"]))"
      case 3: return "\(question) is one of [growth, service, email]"
      case 4: return "\(question) includes \(pick(["email", "phone", "\"chat\""]))"
      case 5:
        return
          "\(question) \(pick(["=", "!=", "<", "<=", ">", ">="])) \(pick(["1", "2", "3.5", "0", "-1", "2026-01-01", "\"2\""]))"
      case 6: return "\(question) + \(pick(["push", "pull", "1"])) >= \(pick(["2", "4", "6"]))"
      case 7: return "\(question) mentions \(text)"
      case 8:
        return
          "\(question) mentions any of [\(text), \(Self.quote(pick(CompiledConditionTests.phrases)))]"
      case 9: return "\(question) contains \(text)"
      case 10:
        let pattern = pick(CompiledConditionTests.patterns)
        return "\(question) matches /\(pattern)/\(pick(["", "i"]))"
      case 11:
        return
          "\(pick(["tagged", "count", "sum", "avg"]))(#\(pick(["push", "pull", "extra", "habit"]))) \(pick([">", "=", ">="])) \(pick(["0", "1", "2", "3"]))"
      case 12: return "\(pick(["tagged(#push)", "tagged(#habit)", "tagged(#extra)"]))"
      case 13: return "\(pick(["length", "words"]))(\(question)) > \(pick(["0", "3", "10"]))"
      case 14: return "count(channels) >= \(pick(["1", "2"]))"
      case 15: return "\(question)"
      default:
        return
          "\(question) = \(pick(["words", "other", "push", "label", "\"We keep a spreadsheet\""]))"
      }
    }

    static func quote(_ text: String) -> String {
      "\""
        + text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(
          of: "\"", with: "\\\"") + "\""
    }

    /// A random interview of the guide: answers (some not understood, some covered), skips,
    /// live tags.
    mutating func interview() -> InterviewState {
      var state = InterviewState(guide: CompiledConditionTests.guide)
      let parser = AnswerParser(today: RuleTestRunner.defaultToday)
      var ms = 0
      for question in CompiledConditionTests.guide.questions {
        ms += 1
        let id = random.below(6) == 0 ? (question.was.first?.id ?? question.id) : question.id
        switch random.below(6) {
        case 0:
          continue
        case 1:
          state.apply(TranscriptEvent(.skip, t: "t", ms: ms, q: id))
        case 2:
          var event = TranscriptEvent(.covered, t: "t", ms: ms, q: id)
          event.raw = random.below(2) == 0 ? nil : answer(for: question)
          state.apply(event)
        default:
          var event = TranscriptEvent(.answer, t: "t", ms: ms, q: id)
          let raw = answer(for: question)
          event.raw = raw
          event.value = parser.read(raw, for: question).value
          state.apply(event)
        }
        if random.below(5) == 0 {
          var tag = TranscriptEvent(.tag, t: "t", ms: ms, q: question.id)
          tag.tag = pick(["push", "pull", "extra", "habit"])
          state.apply(tag)
        }
      }
      return state
    }

    mutating func answer(for question: Question) -> String {
      switch question.kind {
      case .text: return pick(CompiledConditionTests.texts)
      case .choice: return pick(["growth", "2", "Service", "nonsense", "yes"])
      case .choices: return pick(["email, phone", "chat", "1 3", "carrier pigeon"])
      case .scale: return pick(["0", "1", "2", "3", "4", "lots"])
      case .number: return pick(["12", "0", "about half", "3.5"])
      case .yesNo: return pick(["yes", "no", "maybe"])
      case .date: return pick(["2026-12-01", "2025-01-01", "someday"])
      }
    }
  }

  @Test(arguments: 0..<8)
  func compiledTestsAgreeWithTheEvaluator(seed: Int) throws {
    var generator = Generator(random: SeededRandom(seed: UInt64(seed) * 7919 + 1))
    var compiler = ConditionCompiler()
    var conditions: [(String, GembaCore.Expression, CompiledTest)] = []
    for _ in 0..<150 {
      let text = generator.condition()
      let start = SourceLocation(path: "t", line: 1, column: 1)
      guard case .success(let expression) = ExpressionParser.parse(Substring(text), at: start)
      else { continue }
      conditions.append((text, expression, compiler.test(expression)))
    }
    let index = GuideIndex(Self.guide, today: RuleTestRunner.defaultToday)
    let plan = SheetPlan(index: index, names: compiler.names, tags: compiler.tags)
    for _ in 0..<40 {
      let state = generator.interview()
      let computed = FlowWalker(index: index, state: state)
        .walk(from: FlowWalker.start, computed: [:], toEnd: true).computed
      let context = InterviewContext(guide: index, state: state, computed: computed)
      var sheet = AnswerSheet(plan: plan, state: state, computed: computed)
      for (text, expression, compiled) in conditions {
        let expected = Evaluator(context: context).holds(expression)
        #expect(compiled(&sheet) == expected, "\(text)")
      }
    }
  }

  @Test func asciiWordsAreTextFoldingsWords() {
    var random = SeededRandom(seed: 42)
    let alphabet = Array("abcXYZ09 '-.,\r\n\t_!é’")
    for _ in 0..<3000 {
      let length = random.below(24)
      let text = String((0..<length).map { _ in alphabet[random.below(alphabet.count)] })
      guard text.utf8.allSatisfy({ $0 < 0x80 }) else { continue }
      #expect(AnswerSheet.asciiWords(text) == TextFolding.words(text), "\(text.debugDescription)")
    }
    for text in Self.texts where text.utf8.allSatisfy({ $0 < 0x80 }) {
      #expect(AnswerSheet.asciiWords(text) == TextFolding.words(text), "\(text.debugDescription)")
    }
  }

  @Test func theSameActionIsRecognisedDespiteCaseAndSpacing() {
    #expect(
      PreparedRules.mergeKey("Ask to  go and see\n") == PreparedRules.mergeKey("ask to go AND see"))
    #expect(PreparedRules.mergeKey("Café visit") == PreparedRules.mergeKey("cafe VISIT"))
    #expect(PreparedRules.mergeKey("Go and see") != PreparedRules.mergeKey("Go and see!"))
  }
}
