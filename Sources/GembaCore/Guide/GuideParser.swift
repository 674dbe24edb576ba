import Foundation

/// Reads the text of a file a guide includes. The core does no I/O: callers pass a loader that
/// reads from disk, from memory, or from the guides built into the binary.
public protocol SourceLoader: Sendable {
  /// The text at `path`, or a message saying why it cannot be read.
  func load(_ path: String) -> Result<String, SourceLoadError>
}

/// Why an included file could not be read.
public struct SourceLoadError: Error, Sendable {
  public var message: String
  public init(_ message: String) { self.message = message }
}

/// A loader over files held in memory, for tests and the built-in guides.
public struct InMemorySourceLoader: SourceLoader {
  public var files: [String: String]

  public init(_ files: [String: String]) { self.files = files }

  public func load(_ path: String) -> Result<String, SourceLoadError> {
    if let text = files[Path.normalize(path)] { return .success(text) }
    return .failure(SourceLoadError("no such file"))
  }
}

/// The result of parsing a guide: the guide as far as it could be read, and every problem found.
public struct GuideParseResult: Sendable {
  public var guide: Guide
  public var diagnostics: [Diagnostic]
}

/// Parses a `.guide` file and the files it includes into a ``Guide``.
///
/// The parser never stops at the first problem: it reports each one and goes on with the next line,
/// so an author sees every problem in one pass.
public struct GuideParser {
  private let loader: any SourceLoader
  private var header = GuideHeader()
  private var sections: [Section] = []
  private var files: [SourceFile] = []
  private var diagnostics: [Diagnostic] = []
  private var question: Question?
  private var includeStack: [String] = []
  private var seenHeaderPhaseEnd = false

  /// Parses the guide at `path`, whose text is `text`; includes are read through `loader`.
  public static func parse(
    path: String, text: String, loader: any SourceLoader = InMemorySourceLoader([:])
  ) -> GuideParseResult {
    var parser = GuideParser(loader: loader)
    parser.parseFile(SourceFile(path: path, text: text), isRoot: true)
    parser.finishQuestion()
    let guide = Guide(header: parser.header, sections: parser.sections, files: parser.files)
    return GuideParseResult(guide: guide, diagnostics: parser.diagnostics)
  }

  private init(loader: any SourceLoader) {
    self.loader = loader
  }

  // MARK: Files and lines

  private mutating func parseFile(_ file: SourceFile, isRoot: Bool) {
    files.append(file)
    includeStack.append(Path.normalize(file.path))
    defer { includeStack.removeLast() }
    // Nearly every guide is ASCII through and through; then no line needs looking at again.
    var text = file.text
    let fileIsASCII = text.withUTF8(TextFolding.isASCII)
    for number in 1...file.lineStarts.count {
      let line = file.lineText(number)
      if number == file.lineStarts.count, line.isEmpty { break }
      parseLine(line, number: number, file: file, isRoot: isRoot, fileIsASCII: fileIsASCII)
    }
  }

  private mutating func parseLine(
    _ line: Substring, number: Int, file: SourceFile, isRoot: Bool, fileIsASCII: Bool
  ) {
    let context = LineContext(
      line: line, number: number, path: file.path, isASCII: fileIsASCII ? true : nil)
    // Blank after trimming exactly when every byte is a space, tab or CR; most lines show it by
    // their first bytes.
    let blank = line.utf8.allSatisfy {
      $0 == UInt8(ascii: " ") || $0 == UInt8(ascii: "\t") || $0 == UInt8(ascii: "\r")
    }
    if blank { return }
    func isIndent(_ byte: UInt8) -> Bool { byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t") }
    let found =
      context.isASCII
      ? line.withBytes { $0.firstIndex { !isIndent($0) } }.map(line.index(atByte:))
      : line.firstIndex(where: { $0 != " " && $0 != "\t" })
    guard let contentStart = found else { return }
    let content = line[contentStart...]
    // The indentation is spaces and tabs only, each one byte: look for the tab's byte.
    if line.utf8[..<contentStart].contains(UInt8(ascii: "\t")) {
      report(
        .tabIndentation, "indent with spaces, not tabs", at: context.range(line[..<contentStart]))
    }
    let ascii = context.isASCII
    if content.hasPrefix("//", ascii: ascii) {
      parseComment(content, context)
      return
    }
    let indented = contentStart != line.startIndex
    if indented {
      guard question != nil else {
        report(
          .fieldWithoutQuestion,
          "indented line outside a question; indented lines add to the '?' question above them",
          at: context.range(content))
        return
      }
      parseField(content.trimmedSlice(), context)
      return
    }
    if content.hasPrefix("#", ascii: ascii) {
      parseSection(content, context)
    } else if content.hasPrefix("?", ascii: ascii) {
      parseQuestion(content, context)
    } else if content.hasPrefix("->", ascii: ascii) {
      finishQuestion()
      if let jump = parseJump(content.dropFirst(2), context, whole: content) {
        appendItem(.jump(jump), context: context, at: content)
      }
    } else if content.hasPrefix("set ", ascii: ascii) {
      finishQuestion()
      parseComputed(content, context)
    } else if let (key, value) = splitKeyValue(content, ascii: ascii) {
      finishQuestion()
      parseKeyLine(key: key, value: value, context: context, file: file, isRoot: isRoot)
    } else {
      report(
        .unrecognizedLine,
        "unrecognised line; expected a section ('# Title'), a question ('? id: prompt'), "
          + "'set', '->', 'include:', a header field or a comment ('//')",
        at: context.range(content))
    }
  }

  private mutating func parseComment(_ content: Substring, _ context: LineContext) {
    let text = content.dropFirst(2)
    for marker in ["TODO", "FIXME"] {
      if let range = text.range(of: marker) {
        let note = text[range.lowerBound...].trimmingSpaces()
        report(.todoNote, "note left in the guide: \(note)", at: context.range(text[range]))
        return
      }
    }
  }

  private mutating func parseKeyLine(
    key: Substring, value: Substring, context: LineContext, file: SourceFile, isRoot: Bool
  ) {
    let keyText = String(key)
    let valueText = value.trimmingSpaces()
    if keyText == "include" {
      parseInclude(value, context)
      return
    }
    if let index = sections.indices.last, sections[index].items.isEmpty,
      keyText == "if" || keyText == "intro"
    {
      if keyText == "if" {
        if sections[index].condition != nil {
          report(
            .unknownField, "section already has an 'if:' line; join the tests with 'and'",
            at: context.range(key))
        }
        sections[index].condition = parseExpression(value, context)
      } else {
        sections[index].intro = parseTemplate(value, context)
      }
      return
    }
    if !isRoot, GuideHeader.knownKeys.contains(keyText) {
      report(
        .headerInInclude,
        "header field '\(keyText)' in an included file; only the including guide has a header",
        at: context.range(key))
      return
    }
    if !sections.isEmpty || seenHeaderPhaseEnd {
      if GuideHeader.knownKeys.contains(keyText) {
        report(
          .headerAfterSection,
          "header field '\(keyText)' after the first section; move it to the top of the file",
          at: context.range(key))
      } else if keyText == "if" || keyText == "intro" {
        report(
          .unrecognizedLine,
          "'\(keyText):' belongs directly under a section heading, before its first question; "
            + "to add it to a question, indent it", at: context.range(key))
      } else {
        report(
          .unrecognizedLine,
          "unrecognised line '\(keyText): …'; to add a field to a question, indent it under the question",
          at: context.range(key))
      }
      return
    }
    if !isRoot {
      report(
        .headerInInclude,
        "header field '\(keyText)' in an included file; only the including guide has a header",
        at: context.range(key))
      return
    }
    guard GuideHeader.knownKeys.contains(keyText) else {
      report(
        .unknownHeaderField,
        "unknown header field '\(keyText)'\(Suggestion.didYouMean(keyText, in: GuideHeader.knownKeys))",
        at: context.range(key))
      return
    }
    if valueText.isEmpty {
      report(.emptyValue, "header field '\(keyText)' has no value", at: context.range(key))
      return
    }
    header.fields.append(
      GuideHeader.Field(key: keyText, value: valueText, range: context.range(value)))
  }

  private mutating func parseInclude(_ value: Substring, _ context: LineContext) {
    let target = value.trimmingSpaces()
    let valueRange = context.range(value.drop(while: { $0 == " " }))
    guard !target.isEmpty else {
      report(.emptyValue, "'include:' names no file", at: valueRange)
      return
    }
    let resolved = Path.resolve(target, relativeTo: context.path)
    if includeStack.contains(resolved) {
      let chain = (includeStack + [resolved]).map(Path.lastComponent).joined(separator: " -> ")
      report(
        .circularInclude, "circular include: \(chain); remove one of the includes", at: valueRange)
      return
    }
    switch loader.load(resolved) {
    case .success(let text):
      finishQuestion()
      parseFile(SourceFile(path: resolved, text: text), isRoot: false)
      finishQuestion()
    case .failure(let error):
      report(
        .missingInclude, "cannot include '\(target)': \(error.message) (looked for '\(resolved)')",
        at: valueRange)
    }
  }

  // MARK: Sections

  private mutating func parseSection(_ content: Substring, _ context: LineContext) {
    finishQuestion()
    seenHeaderPhaseEnd = true
    var rest = content.drop(while: { $0 == "#" })
    // Trailing spaces after the parentheses must not turn them into part of the title.
    rest = rest.drop(while: { $0 == " " }).trimmedSlice()
    var titlePart = rest
    var part: Part?
    var budget: Int?
    if rest.hasSuffix(")"), let open = rest.lastIndex(of: "(") {
      titlePart = rest[..<open]
      let inside = rest[rest.index(after: open)..<rest.index(before: rest.endIndex)]
      for attribute in inside.split(
        separator: UInt8(ascii: ","), omittingEmpty: false, ascii: context.isASCII)
      {
        let word = attribute.trimmedSlice()
        let range = context.range(word)
        if let found = Part(rawValue: String(word)) {
          if part != nil {
            report(
              .malformedSection,
              "section names two parts; keep one of 'before', 'customer', 'after'", at: range)
          }
          part = found
        } else if let minutes = parseBudget(word) {
          if budget != nil {
            report(.malformedSection, "section has two time budgets; keep one", at: range)
          }
          budget = minutes
        } else {
          let known = Part.allCases.map(\.rawValue) + ["10 min"]
          report(
            .malformedSection,
            "unknown section attribute '\(word)'; expected 'before', 'customer', 'after' or a "
              + "budget like '10 min'\(Suggestion.didYouMean(String(word), in: known))",
            at: range)
        }
      }
    }
    let title = titlePart.trimmingSpaces()
    guard !title.isEmpty else {
      report(
        .malformedSection, "section heading has no title; write '# Title'",
        at: context.range(content))
      return
    }
    let titleStart = titlePart.drop(while: { $0 == " " })
    let section = Section(
      title: title, part: part ?? .customer, budgetMinutes: budget,
      range: SourceRange(context.location(titleStart), length: title.utf8.count))
    sections.append(section)
  }

  private func parseBudget(_ word: Substring) -> Int? {
    let pieces = word.split(separator: " ", omittingEmptySubsequences: true)
    guard pieces.count == 2, ["min", "mins", "minute", "minutes"].contains(pieces[1]),
      let minutes = Int(pieces[0]), minutes > 0
    else { return nil }
    return minutes
  }

  private mutating func appendItem(_ item: FlowItem, context: LineContext, at content: Substring) {
    guard !sections.isEmpty else {
      report(
        .unrecognizedLine,
        "this must be inside a section; add a section heading ('# Title') above it",
        at: context.range(content))
      return
    }
    seenHeaderPhaseEnd = true
    sections[sections.count - 1].items.append(item)
  }

  // MARK: Questions

  private mutating func parseQuestion(_ content: Substring, _ context: LineContext) {
    finishQuestion()
    let body = content.dropFirst().drop(while: { $0 == " " })
    let idText: Substring
    if context.isASCII {
      // ASCII letters and digits are the only ASCII characters `isLetter` and `isNumber` accept.
      let end = body.utf8.firstIndex { byte in
        !(isASCIILetter(byte) || isDigit(byte) || byte == UInt8(ascii: "_")
          || byte == UInt8(ascii: "-"))
      }
      idText = body[..<(end ?? body.endIndex)]
    } else {
      idText = body.prefix(while: { $0.isLetter || $0.isNumber || $0 == "_" || $0 == "-" })
    }
    guard !idText.isEmpty else {
      report(
        .malformedQuestion, "expected a question id after '?'; write '? id: prompt'",
        at: context.range(content.prefix(1)))
      return
    }
    checkIdentifier(idText, context, what: "question id")
    var rest = body[idText.endIndex...].droppingSpaces(ascii: context.isASCII)
    var attributes: Substring?
    if rest.startsWith(UInt8(ascii: "("), ascii: context.isASCII) {
      guard let close = rest.firstIndex(of: UInt8(ascii: ")"), ascii: context.isASCII) else {
        report(
          .malformedQuestion, "attributes have no closing ')'",
          at: context.range(rest))
        return
      }
      attributes = rest[rest.index(after: rest.startIndex)..<close]
      rest = rest[rest.index(after: close)...].droppingSpaces(ascii: context.isASCII)
    }
    var promptText = rest
    let hasColon = rest.startsWith(UInt8(ascii: ":"), ascii: context.isASCII)
    if hasColon {
      promptText = rest.dropFirst()
    } else {
      let place = rest.isEmpty ? context.endRange : context.range(rest.prefix(1))
      report(
        .malformedQuestion,
        "expected ':' and the prompt after the question id; write '? \(idText): the question'",
        at: place)
    }
    let idRange = context.range(idText)
    // Trimmed once here; trimming again in parseTemplate then finds nothing to do.
    let prompt = promptText.trimmedSlice()
    var parsed = Question(
      id: String(idText), range: idRange, prompt: parseTemplate(prompt, context))
    if prompt.isEmpty && hasColon {
      report(
        .emptyValue,
        "question '\(idText)' has no prompt; write what the salesperson asks after ':'", at: idRange
      )
    }
    if let attributes {
      parseAttributes(attributes, into: &parsed, context)
    }
    if let section = sections.last { parsed.part = section.part }
    if sections.isEmpty {
      report(
        .unrecognizedLine,
        "question '\(idText)' is outside any section; add a section heading ('# Title') above it",
        at: idRange)
    }
    seenHeaderPhaseEnd = true
    question = parsed
  }

  private mutating func parseAttributes(
    _ text: Substring, into question: inout Question, _ context: LineContext
  ) {
    var kind: AnswerKind?
    for attribute in text.split(
      separator: UInt8(ascii: ","), omittingEmpty: false, ascii: context.isASCII)
    {
      let word = attribute.trimmedSlice()
      let range = context.range(word)
      let head = word.prefix(while: { $0 != " " })
      let tail = word[head.endIndex...].drop(while: { $0 == " " })
      var newKind: AnswerKind?
      switch head {
      case "text": newKind = .text
      case "choice": newKind = .choice
      case "choices", "multi": newKind = .choices
      case "yesno", "yes/no": newKind = .yesNo
      case "date": newKind = .date
      case "required": question.isRequired = true
      case "optional": question.isRequired = false
      case "scale":
        newKind = .scale(parseScaleBounds(tail, range: range, context))
      case "assess":
        question.isAssessment = true
        if !tail.isEmpty { newKind = .scale(parseScaleBounds(tail, range: range, context)) }
      case "number":
        let boundsText = tail.prefix(while: { $0 != " " })
        var bounds = Bounds()
        var unitText = tail
        if boundsText.range(of: "...", ascii: context.isASCII) != nil {
          bounds = parseBounds(boundsText, range: range, context) ?? Bounds()
          unitText = tail[boundsText.endIndex...]
        }
        let unit = unitText.trimmingSpaces()
        newKind = .number(bounds, unit: unit.isEmpty ? nil : unit)
      case "":
        report(.unknownAttribute, "empty attribute; remove the extra ','", at: range)
      default:
        let known = [
          "text", "choice", "choices", "scale", "number", "yesno", "date", "assess", "required",
          "optional",
        ]
        report(
          .unknownAttribute,
          "unknown attribute '\(head)'\(Suggestion.didYouMean(String(head), in: known))",
          at: range)
      }
      if let newKind {
        if let kind, kind != newKind || head != "assess" {
          report(
            .unknownAttribute,
            "question has two answer kinds, '\(kind.name)' and '\(newKind.name)'; keep one",
            at: range)
        }
        kind = newKind
      }
      if !tail.isEmpty, Self.attributesWithoutValue.contains(head) {
        report(
          .unknownAttribute, "'\(head)' takes nothing after it; separate attributes with ','",
          at: range)
      }
    }
    if let kind { question.kind = kind }
  }

  private static let attributesWithoutValue: [Substring] = [
    "text", "choice", "choices", "multi", "yesno", "yes/no", "date", "required", "optional",
  ]

  private mutating func parseScaleBounds(
    _ text: Substring, range: SourceRange, _ context: LineContext
  ) -> Bounds {
    guard let bounds = parseBounds(text, range: range, context) else {
      return Bounds(low: 1, high: 5)
    }
    guard let low = bounds.low, let high = bounds.high else {
      report(.badBounds, "a scale needs both ends, like 'scale 1...5'", at: range)
      return Bounds(low: bounds.low ?? 1, high: bounds.high ?? 5)
    }
    if low != low.rounded() || high != high.rounded() {
      report(.badBounds, "a scale runs between whole numbers, like 'scale 0...3'", at: range)
    }
    return bounds
  }

  private mutating func parseBounds(_ text: Substring, range: SourceRange, _ context: LineContext)
    -> Bounds?
  {
    let trimmed = text.trimmingSpaces()
    guard let dots = Substring(trimmed).range(of: "...", ascii: context.isASCII) else {
      report(.badBounds, "expected bounds like '1...5', '0...' or '...100'", at: range)
      return nil
    }
    let lowText = trimmed[..<dots.lowerBound].trimmingSpaces()
    let highText = trimmed[dots.upperBound...].trimmingSpaces()
    let low = Double(lowText)
    let high = Double(highText)
    if (!lowText.isEmpty && low == nil) || (!highText.isEmpty && high == nil) {
      report(.badBounds, "bounds must be numbers, like '1...5'; found '\(trimmed)'", at: range)
      return nil
    }
    if lowText.isEmpty && highText.isEmpty {
      report(
        .badBounds, "bounds '...' give neither end; write '0...10', '0...' or '...10'", at: range)
      return nil
    }
    if let low, let high, low >= high {
      report(
        .badBounds, "lower bound \(format(low)) is not below upper bound \(format(high))", at: range
      )
      return nil
    }
    return Bounds(low: low, high: high)
  }

  private mutating func parseField(_ content: Substring, _ context: LineContext) {
    guard var current = question else { return }
    // Taken out while it is changed, so its arrays are not shared and grow in place.
    question = nil
    defer { question = current }
    let ascii = context.isASCII
    if content.hasPrefix("-", ascii: ascii) && !content.hasPrefix("->", ascii: ascii) {
      parseOption(content.dropFirst(), into: &current, context, whole: content)
      return
    }
    if content.hasPrefix("->", ascii: ascii) {
      if let jump = parseJump(content.dropFirst(2), context, whole: content) {
        current.jumps.append(jump)
      }
      return
    }
    if content.equals("required", ascii: ascii) || content.equals("optional", ascii: ascii) {
      current.isRequired = content.equals("required", ascii: ascii)
      return
    }
    guard let (key, value) = splitKeyValue(content, ascii: ascii) else {
      report(
        .unknownField,
        "unrecognised line under question '\(current.id)'; expected a field like 'hint:', "
          + "'probe:', an option ('- value: label') or a jump ('-> Section')",
        at: context.range(content))
      return
    }
    let valueText = value.trimmedSlice()
    let keyRange = context.range(key)
    let fieldsWithText = Self.fieldsWithText
    if valueText.isEmpty, fieldsWithText.contains(String(key)) {
      report(.emptyValue, "'\(key):' has no value", at: keyRange)
      return
    }
    switch key {
    case "hint":
      if current.hint != nil {
        report(
          .unknownField, "question '\(current.id)' already has a hint; join them into one line",
          at: keyRange)
      }
      current.hint = parseTemplate(valueText, context)
    case "probe":
      current.probes.append(parseTemplate(valueText, context))
    case "tags":
      for piece in value.split(separator: UInt8(ascii: ","), ascii: context.isASCII) {
        let name = piece.trimmedSlice()
        guard !name.isEmpty else { continue }
        current.tags.append(Question.Tag(name: String(name), range: context.range(name)))
      }
    case "if":
      if current.condition != nil {
        report(
          .unknownField, "question '\(current.id)' already has an 'if:'; join the tests with 'and'",
          at: keyRange)
      }
      current.condition = parseExpression(valueText, context)
    case "constraint":
      current.constraint = parseExpression(valueText, context)
    case "message":
      current.constraintMessage = String(valueText)
    case "labels":
      guard let dots = value.range(of: "...", ascii: ascii) else {
        report(
          .unknownField, "write the end labels as 'labels: low words ... high words'",
          at: context.range(value))
        return
      }
      current.labels = (
        value[..<dots.lowerBound].trimmingSpaces(), value[dots.upperBound...].trimmingSpaces()
      )
    case "was":
      for piece in value.split(separator: UInt8(ascii: ","), ascii: context.isASCII) {
        let slice = piece.trimmedSlice()
        guard !slice.isEmpty else { continue }
        checkIdentifier(slice, context, what: "earlier id")
        current.was.append(Question.Identifier(id: String(slice), range: context.range(slice)))
      }
    case "required", "optional":
      switch valueText {
      case "yes", "true": current.isRequired = key == "required"
      case "no", "false": current.isRequired = key != "required"
      default:
        report(
          .unknownField, "write '\(key)' on its own line, or '\(key): yes'",
          at: context.range(value))
      }
    default:
      let known = fieldsWithText + ["required", "optional"]
      report(
        .unknownField,
        "unknown field '\(key)' under question '\(current.id)'\(Suggestion.didYouMean(String(key), in: known))",
        at: keyRange)
    }
  }

  private static let fieldsWithText = [
    "hint", "probe", "tags", "if", "constraint", "message", "labels", "was",
  ]

  private mutating func parseOption(
    _ body: Substring, into current: inout Question, _ context: LineContext, whole: Substring
  ) {
    guard current.kind == .choice || current.kind == .choices else {
      report(
        .optionWithoutChoice,
        "option under question '\(current.id)', which is not a choice; add '(choice)' or "
          + "'(choices)' after its id", at: context.range(whole))
      return
    }
    var text = body.droppingSpaces(ascii: context.isASCII)
    var jump: Jump?
    if let arrow = text.range(of: "->", backwards: true, ascii: context.isASCII) {
      jump = parseJump(text[arrow.upperBound...], context, whole: text[arrow.lowerBound...])
      text = text[..<arrow.lowerBound]
    }
    let valueText: Substring
    var label: String
    if let colon = text.firstIndex(of: UInt8(ascii: ":"), ascii: context.isASCII) {
      valueText = text[..<colon].trimmedSlice()
      label = text[text.index(after: colon)...].trimmingSpaces()
    } else {
      valueText = text.trimmedSlice()
      label = String(valueText)
    }
    let valueSlice = valueText
    guard !valueText.isEmpty else {
      report(.emptyValue, "option has no value; write '- value: label'", at: context.range(whole))
      return
    }
    checkIdentifier(valueSlice, context, what: "option value")
    if label.isEmpty { label = String(valueText) }
    current.options.append(
      ChoiceOption(
        value: String(valueText), label: label, range: context.range(valueSlice), jump: jump))
  }

  private mutating func parseJump(_ body: Substring, _ context: LineContext, whole: Substring)
    -> Jump?
  {
    var target = body.droppingSpaces(ascii: context.isASCII)
    var condition: Expression?
    if let ifRange = target.range(of: " if ", ascii: context.isASCII) {
      condition = parseExpression(target[ifRange.upperBound...], context)
      if condition == nil { return nil }
      target = target[..<ifRange.lowerBound]
    }
    let name = target.trimmedSlice()
    guard !name.isEmpty else {
      report(
        .emptyValue, "jump names no section; write '-> Section title' or '-> end'",
        at: context.range(whole))
      return nil
    }
    return Jump(target: String(name), targetRange: context.range(name), condition: condition)
  }

  private mutating func parseComputed(_ content: Substring, _ context: LineContext) {
    let body = content.dropFirst(4).drop(while: { $0 == " " })
    guard let equals = body.firstIndex(of: "=") else {
      report(.unrecognizedLine, "expected 'set name = expression'", at: context.range(content))
      return
    }
    let name = body[..<equals].trimmedSlice()
    let nameSlice = name
    guard !name.isEmpty else {
      report(
        .emptyValue, "'set' names no value; write 'set name = expression'",
        at: context.range(content))
      return
    }
    checkIdentifier(nameSlice, context, what: "computed value name")
    guard let expression = parseExpression(body[body.index(after: equals)...], context) else {
      return
    }
    appendItem(
      .computed(
        ComputedValue(name: String(name), range: context.range(nameSlice), expression: expression)),
      context: context, at: content)
  }

  private mutating func finishQuestion() {
    guard let finished = question else { return }
    question = nil
    if (finished.kind == .choice || finished.kind == .choices) && finished.options.isEmpty {
      report(
        .choiceWithoutOptions,
        "\(finished.kind.name) question '\(finished.id)' has no options; list them under it as '- value: label'",
        at: finished.range)
    }
    guard !sections.isEmpty else { return }
    sections[sections.count - 1].items.append(.question(finished))
  }

  // MARK: Pieces

  private mutating func parseExpression(_ text: Substring, _ context: LineContext) -> Expression? {
    let trimmed = text.trimmedSlice()
    switch ExpressionParser.parse(trimmed, at: context.location(trimmed)) {
    case .success(let expression):
      return expression
    case .failure(let diagnostic):
      report(diagnostic.code, diagnostic.message, at: diagnostic.range)
      return nil
    }
  }

  private mutating func parseTemplate(_ text: Substring, _ context: LineContext) -> Template {
    let content = text.trimmedSlice()
    // Most prompts, hints and probes hold no braces: then the loop below would copy the text one
    // character at a time into a single literal.
    var bytes = content
    let braces = bytes.withUTF8 { buffer in
      guard let base = buffer.baseAddress else { return false }
      return memchr(base, Int32(UInt8(ascii: "{")), buffer.count) != nil
        || memchr(base, Int32(UInt8(ascii: "}")), buffer.count) != nil
    }
    if !braces {
      let literal = String(content)
      return Template(
        text: literal, pieces: literal.isEmpty ? [] : [.literal(literal)],
        range: context.range(content))
    }
    var pieces: [Template.Piece] = []
    var literal = ""
    var index = content.startIndex
    // Every byte of an ASCII line is a character, so there the steps and searches go by bytes.
    let ascii = context.isASCII
    func after(_ index: Substring.Index) -> Substring.Index {
      ascii ? content.utf8.index(after: index) : content.index(after: index)
    }
    func isBrace(_ byte: UInt8) -> Bool { byte == UInt8(ascii: "{") || byte == UInt8(ascii: "}") }
    while index < content.endIndex {
      if ascii, !isBrace(content.utf8[index]) {
        // Copy the run up to the next brace at once.
        let run = content.utf8[index...].firstIndex(where: isBrace) ?? content.endIndex
        literal.append(contentsOf: content[index..<run])
        index = run
        continue
      }
      let character = content[index]
      let next = after(index)
      if character == "{" {
        if next < content.endIndex, content[next...].startsWith(UInt8(ascii: "{"), ascii: ascii) {
          literal.append("{")
          index = after(next)
          continue
        }
        guard let close = content[next...].firstIndex(of: UInt8(ascii: "}"), ascii: ascii) else {
          report(
            .malformedInterpolation, "'{' has no closing '}'; write '{{' for a literal brace",
            at: context.range(content[index...].prefix(1)))
          literal.append(contentsOf: content[index...])
          break
        }
        let name = content[next..<close]
        let trimmedName = name.trimmingSpaces()
        if trimmedName.isEmpty
          || !trimmedName.unicodeScalars.allSatisfy({
            $0.isASCII && isIdentifierBody(UInt8($0.value))
          })
        {
          report(
            .malformedInterpolation,
            "expected a question id inside '{…}', found '\(name)'; write '{{' for a literal brace",
            at: context.range(content[index...close]))
          literal.append(contentsOf: content[index...close])
        } else {
          if !literal.isEmpty { pieces.append(.literal(literal)) }
          literal = ""
          pieces.append(.reference(trimmedName, context.range(name)))
        }
        index = after(close)
        continue
      }
      if character == "}" {
        literal.append("}")
        if next < content.endIndex, content[next...].startsWith(UInt8(ascii: "}"), ascii: ascii) {
          index = after(next)
        } else {
          index = next
        }
        continue
      }
      literal.append(character)
      index = next
    }
    if !literal.isEmpty { pieces.append(.literal(literal)) }
    return Template(text: String(content), pieces: pieces, range: context.range(content))
  }

  private static let reservedWords: Set<String> = ["yes", "no", "true", "false", "end"]

  private mutating func checkIdentifier(_ name: Substring, _ context: LineContext, what: String) {
    let word = String(name)
    let scalars = name.unicodeScalars
    let valid =
      scalars.first.map { $0.isASCII && isIdentifierStart(UInt8($0.value)) && $0 != "_" } ?? false
      && scalars.allSatisfy { $0.isASCII && isIdentifierBody(UInt8($0.value)) }
    if !valid {
      var fixed = String(
        name.map { character -> Character in
          character.isLetter || character.isNumber ? character : "_"
        })
      if let first = fixed.first, !first.isLetter { fixed = "q" + fixed }
      report(
        .invalidIdentifier,
        "\(what) '\(name)' must start with a letter and hold only letters, digits and '_'; "
          + "write '\(TextFolding.fold(fixed))'",
        at: context.range(name), fixIt: TextFolding.fold(fixed))
    } else if ExpressionParser.keywords.contains(word) || Self.reservedWords.contains(word) {
      report(
        .invalidIdentifier, "\(what) '\(name)' is a reserved word; choose another",
        at: context.range(name))
    }
  }

  private func splitKeyValue(_ content: Substring, ascii: Bool) -> (Substring, Substring)? {
    if ascii {
      guard let colon = content.firstIndex(of: UInt8(ascii: ":"), ascii: true) else { return nil }
      let key = content[..<colon]
      guard !key.isEmpty,
        key.withBytes({ $0.allSatisfy { isASCIILetter($0) || $0 == UInt8(ascii: "_") } })
      else { return nil }
      return (key, content[content.utf8.index(after: colon)...])
    }
    guard let colon = content.firstIndex(of: ":") else { return nil }
    let key = content[..<colon]
    guard !key.isEmpty, key.allSatisfy({ $0.isLetter || $0 == "_" }) else { return nil }
    return (key, content[content.index(after: colon)...])
  }

  private mutating func report(
    _ code: DiagnosticCode, _ message: String, at range: SourceRange, fixIt: String? = nil
  ) {
    let diagnostic = Diagnostic(code, message, at: range, fixIt: fixIt)
    if diagnostic.severity == .error, !sections.isEmpty {
      sections[sections.count - 1].hasParseErrors = true
    }
    diagnostics.append(diagnostic)
  }
}

/// One line being parsed, to turn pieces of it into source places.
struct LineContext {
  let line: Substring
  let number: Int
  let path: String
  /// Whether the line is all ASCII. Then every byte is a character (a line holds no "\r\n"),
  /// and two characters are equal only when their bytes are, so searching bytes finds what
  /// searching characters would, many times faster.
  let isASCII: Bool

  /// `isASCII` passes on what is already known of the line; nil has the line looked at.
  init(line: Substring, number: Int, path: String, isASCII: Bool? = nil) {
    self.line = line
    self.number = number
    self.path = path
    var bytes = line
    self.isASCII = isASCII ?? bytes.withUTF8(TextFolding.isASCII)
  }

  func location(_ piece: Substring) -> SourceLocation {
    let column = line.utf8.distance(from: line.startIndex, to: piece.startIndex) + 1
    return SourceLocation(path: path, line: number, column: column)
  }

  func range(_ piece: Substring) -> SourceRange {
    SourceRange(location(piece), length: max(piece.utf8.count, 1))
  }

  var endRange: SourceRange {
    SourceRange(path: path, line: number, column: line.utf8.count + 1, length: 1)
  }
}

private func isASCIILetter(_ byte: UInt8) -> Bool {
  (byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z"))
    || (byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z"))
}

/// Searches for ASCII text by bytes when `ascii` says the line is ASCII (see
/// ``LineContext/isASCII``), and as characters otherwise.
extension Substring {
  /// Runs `body` over the UTF-8 bytes, which a native string holds contiguously.
  fileprivate func withBytes<Result>(_ body: (UnsafeBufferPointer<UInt8>) -> Result) -> Result {
    var copy = self
    return copy.withUTF8(body)
  }

  fileprivate func index(atByte offset: Int) -> Index {
    utf8.index(startIndex, offsetBy: offset)
  }

  /// `drop(while: { $0 == " " })`.
  fileprivate func droppingSpaces(ascii: Bool) -> Substring {
    guard ascii else { return drop(while: { $0 == " " }) }
    let spaces = withBytes { bytes in
      bytes.firstIndex { $0 != UInt8(ascii: " ") } ?? bytes.count
    }
    return spaces == 0 ? self : self[index(atByte: spaces)...]
  }

  /// `first == character` for an ASCII character.
  fileprivate func startsWith(_ byte: UInt8, ascii: Bool) -> Bool {
    ascii ? utf8.first == byte : first == Character(Unicode.Scalar(byte))
  }

  /// `self == text` for ASCII text.
  fileprivate func equals(_ text: String, ascii: Bool) -> Bool {
    guard ascii else { return self == text }
    return utf8.count == text.utf8.count && utf8.elementsEqual(text.utf8)
  }

  fileprivate func hasPrefix(_ prefix: StaticString, ascii: Bool) -> Bool {
    guard ascii else { return hasPrefix(prefix.description) }
    var bytes = utf8.makeIterator()
    for offset in 0..<prefix.utf8CodeUnitCount {
      guard bytes.next() == prefix.utf8Start[offset] else { return false }
    }
    return true
  }

  /// `split(separator:omittingEmptySubsequences:)`.
  fileprivate func split(separator: UInt8, omittingEmpty: Bool = true, ascii: Bool) -> [Substring] {
    guard ascii else {
      return split(
        separator: Character(Unicode.Scalar(separator)), omittingEmptySubsequences: omittingEmpty)
    }
    let bounds = withBytes { bytes in
      var bounds: [Range<Int>] = []
      var start = 0
      for (offset, byte) in bytes.enumerated() where byte == separator {
        if !omittingEmpty || start < offset { bounds.append(start..<offset) }
        start = offset + 1
      }
      if !omittingEmpty || start < bytes.count { bounds.append(start..<bytes.count) }
      return bounds
    }
    return bounds.map { self[index(atByte: $0.lowerBound)..<index(atByte: $0.upperBound)] }
  }

  fileprivate func firstIndex(of byte: UInt8, ascii: Bool) -> Index? {
    guard ascii else { return firstIndex(of: Character(Unicode.Scalar(byte))) }
    return withBytes { $0.firstIndex(of: byte) }.map(index(atByte:))
  }

  /// Foundation's `range(of:)`, or with `backwards` its `.backwards` search.
  fileprivate func range(of needle: String, backwards: Bool = false, ascii: Bool) -> Range<Index>? {
    guard ascii else { return range(of: needle, options: backwards ? [.backwards] : []) }
    let pattern = needle.utf8
    let found: Int? = withBytes { bytes in
      guard let first = pattern.first, pattern.count <= bytes.count else { return nil }
      func matches(at start: Int) -> Bool {
        guard bytes[start] == first else { return false }
        var offset = start
        for byte in pattern {
          if bytes[offset] != byte { return false }
          offset += 1
        }
        return true
      }
      let last = bytes.count - pattern.count
      var start = backwards ? last : 0
      while start >= 0 && start <= last {
        if matches(at: start) { return start }
        start += backwards ? -1 : 1
      }
      return nil
    }
    return found.map { index(atByte: $0)..<index(atByte: $0 + pattern.count) }
  }
}
