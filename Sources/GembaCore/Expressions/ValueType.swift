/// The type of a value in the expression language, as the checker sees it.
public indirect enum ValueType: Sendable, Hashable {
  case text
  case number
  case date
  case boolean
  /// The answer to a `choice` question: one of its option values.
  case choice(question: String)
  /// The answer to a `choices` question: any of its option values.
  case choices(question: String)
  case list(ValueType?)
  case tag
  case regex
  /// A type that could not be worked out because of an earlier error; never reported again.
  case unknown

  /// How the type is named in messages.
  public var phrase: String {
    switch self {
    case .text: "text"
    case .number: "a number"
    case .date: "a date"
    case .boolean: "a yes-or-no test"
    case .choice(let question): "a choice of '\(question)'"
    case .choices(let question): "the choices of '\(question)'"
    case .list: "a list"
    case .tag: "a tag"
    case .regex: "a regular expression"
    case .unknown: "unknown"
    }
  }

  /// The type of an answer to a question of `kind`.
  public static func of(_ kind: AnswerKind, question: String) -> ValueType {
    switch kind {
    case .text: .text
    case .choice: .choice(question: question)
    case .choices: .choices(question: question)
    case .scale, .number: .number
    case .yesNo: .boolean
    case .date: .date
    }
  }
}
