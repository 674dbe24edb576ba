/// Every diagnostic Gemba reports, with a stable code that `docs/diagnostics.md` explains.
///
/// Codes never change meaning and are never reused. `G0xx` are syntax, `G1xx` names and
/// references, `G2xx` expression types, `G3xx` structure, `G4xx` includes, `G5xx` flow, `G6xx`
/// rule files and rule tests, `G7xx` rubric files, `G9xx` notes left for the author.
public enum DiagnosticCode: String, Sendable, Codable, CaseIterable, Comparable {
  // Syntax
  case unrecognizedLine = "G001"
  case malformedQuestion = "G002"
  case invalidIdentifier = "G003"
  case unknownAttribute = "G004"
  case unknownField = "G005"
  case unknownHeaderField = "G006"
  case headerAfterSection = "G007"
  case malformedSection = "G008"
  case optionWithoutChoice = "G009"
  case choiceWithoutOptions = "G010"
  case expressionSyntax = "G011"
  case malformedInterpolation = "G012"
  case tabIndentation = "G013"
  case fieldWithoutQuestion = "G014"
  case missingTitle = "G015"
  case headerInInclude = "G016"
  case emptyValue = "G017"

  // Names and references
  case duplicateQuestion = "G101"
  case wasClash = "G102"
  case duplicateSection = "G103"
  case duplicateOption = "G104"
  case unknownSection = "G105"
  case unknownQuestion = "G106"
  case unknownTag = "G107"
  case computedNameClash = "G108"

  // Expression types
  case typeMismatch = "G201"
  case unknownChoiceValue = "G202"
  case invalidRegex = "G203"
  case notACondition = "G204"
  case unknownFunction = "G205"
  case dotOutsideConstraint = "G206"
  case messageWithoutConstraint = "G207"
  case labelsWithoutScale = "G208"

  // Structure
  case badBounds = "G301"
  case emptySection = "G302"
  case partsOutOfOrder = "G303"
  case noQuestions = "G304"

  // Includes
  case missingInclude = "G401"
  case circularInclude = "G402"

  // Flow
  case unreachableQuestion = "G501"
  case unreachableSection = "G502"
  case noWayToEnd = "G503"
  case jumpSkipsDebrief = "G504"
  case constantCondition = "G505"
  case referenceBeforeAsked = "G506"
  case unusedComputedValue = "G507"
  case assessmentWithCustomer = "G508"

  // Rule files and rule tests
  case unrecognizedRuleLine = "G601"
  case missingRuleField = "G602"
  case unknownPhase = "G603"
  case badPriority = "G604"
  case duplicateRule = "G605"
  case unknownRuleField = "G606"
  case badDue = "G607"
  case unknownGuide = "G608"
  case ruleNeverFires = "G609"
  case missingSource = "G610"
  case emptyGroup = "G611"
  case renamedQuestion = "G612"
  case unrecognizedTestLine = "G613"
  case unknownRule = "G614"
  case testWithoutGuide = "G615"
  case testExpectsNothing = "G616"

  // Rubric files
  case unrecognizedRubricLine = "G701"
  case unknownRubricField = "G702"
  case badScale = "G703"
  case badCriterion = "G704"
  case badLevel = "G705"
  case missingLevel = "G706"
  case incompleteRubric = "G707"

  // Notes for the author
  case todoNote = "G901"

  /// The severity a diagnostic with this code has unless a check says otherwise.
  public var severity: Severity {
    switch self {
    case .unknownHeaderField, .unknownTag, .messageWithoutConstraint, .labelsWithoutScale,
      .todoNote, .unreachableQuestion, .unreachableSection, .jumpSkipsDebrief, .constantCondition,
      .unusedComputedValue, .assessmentWithCustomer, .referenceBeforeAsked, .ruleNeverFires,
      .missingSource, .renamedQuestion, .testExpectsNothing:
      .warning
    default:
      .error
    }
  }

  /// A short name for the problem, used as the heading in `docs/diagnostics.md`.
  public var title: String {
    switch self {
    case .unrecognizedLine: "unrecognised line"
    case .malformedQuestion: "malformed question"
    case .invalidIdentifier: "invalid id"
    case .unknownAttribute: "unknown question attribute"
    case .unknownField: "unknown question field"
    case .unknownHeaderField: "unknown header field"
    case .headerAfterSection: "header field after the first section"
    case .malformedSection: "malformed section heading"
    case .optionWithoutChoice: "option under a question that is not a choice"
    case .choiceWithoutOptions: "choice question without options"
    case .expressionSyntax: "expression syntax error"
    case .malformedInterpolation: "malformed interpolation"
    case .tabIndentation: "tab used for indentation"
    case .fieldWithoutQuestion: "indented line outside a question"
    case .missingTitle: "guide without a title"
    case .headerInInclude: "header field in an included file"
    case .emptyValue: "empty text"
    case .duplicateQuestion: "duplicate question id"
    case .wasClash: "'was:' id clashes"
    case .duplicateSection: "duplicate section"
    case .duplicateOption: "duplicate option value"
    case .unknownSection: "jump to an unknown section"
    case .unknownQuestion: "reference to an unknown question"
    case .unknownTag: "unknown tag"
    case .computedNameClash: "computed value name clashes"
    case .typeMismatch: "type mismatch"
    case .unknownChoiceValue: "value the choice does not have"
    case .invalidRegex: "regular expression does not compile"
    case .notACondition: "condition is not a yes-or-no test"
    case .unknownFunction: "unknown function or wrong argument"
    case .dotOutsideConstraint: "'.' outside a constraint"
    case .messageWithoutConstraint: "'message:' without a constraint"
    case .labelsWithoutScale: "'labels:' on a question that is not a scale"
    case .badBounds: "bad bounds"
    case .emptySection: "empty section"
    case .partsOutOfOrder: "parts out of order"
    case .noQuestions: "guide without questions"
    case .missingInclude: "missing include"
    case .circularInclude: "circular include"
    case .unreachableQuestion: "unreachable question"
    case .unreachableSection: "unreachable section"
    case .noWayToEnd: "no way to the end"
    case .jumpSkipsDebrief: "jump skips the debrief"
    case .constantCondition: "condition always true or always false"
    case .referenceBeforeAsked: "reference to a question not yet asked"
    case .unusedComputedValue: "computed value never read"
    case .assessmentWithCustomer: "assessment in the customer part"
    case .unrecognizedRuleLine: "unrecognised line in a rule file"
    case .missingRuleField: "rule without a required field"
    case .unknownPhase: "unknown phase"
    case .badPriority: "bad priority"
    case .duplicateRule: "duplicate rule id"
    case .unknownRuleField: "unknown or repeated field"
    case .badDue: "unknown due"
    case .unknownGuide: "unknown guide"
    case .ruleNeverFires: "rule that can never fire"
    case .missingSource: "rule without a source"
    case .emptyGroup: "empty condition group"
    case .renamedQuestion: "question renamed since the rule was written"
    case .unrecognizedTestLine: "unrecognised line in a rule test file"
    case .unknownRule: "test names an unknown rule"
    case .testWithoutGuide: "test without a guide"
    case .testExpectsNothing: "test that expects nothing"
    case .unrecognizedRubricLine: "unrecognised line in a rubric"
    case .unknownRubricField: "unknown or misplaced rubric field"
    case .badScale: "bad scale"
    case .badCriterion: "bad criterion id or title"
    case .badLevel: "bad level"
    case .missingLevel: "level not described"
    case .incompleteRubric: "rubric without a title, scale or criteria"
    case .todoNote: "TODO note"
    }
  }

  public static func < (lhs: DiagnosticCode, rhs: DiagnosticCode) -> Bool {
    lhs.rawValue < rhs.rawValue
  }
}
