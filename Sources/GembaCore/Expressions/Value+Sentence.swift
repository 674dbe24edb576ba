extension Value {
  /// The value as it reads inside a sentence: a choice by its label, a number with its unit,
  /// yes/no in words. Prompts and proposals interpolate answers this way.
  public func sentence(for question: Question?) -> String {
    switch self {
    case .text(let text): return text
    case .number(let number):
      if case .number(_, let unit?)? = question?.kind { return "\(format(number)) \(unit)" }
      return format(number)
    case .boolean(let flag): return flag ? "yes" : "no"
    case .date(let day): return day.description
    case .choice(let choice): return question?.option(choice)?.label ?? choice
    case .choices(let choices):
      return choices.map { question?.option($0)?.label ?? $0 }.joined(separator: ", ")
    }
  }
}
