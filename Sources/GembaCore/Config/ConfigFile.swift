/// A value in Gemba's configuration file.
public enum ConfigValue: Sendable, Equatable {
  case string(String)
  case integer(Int)
  case boolean(Bool)
  case strings([String])

  /// The TOML type's name, for messages.
  public var typeName: String {
    switch self {
    case .string: "a string"
    case .integer: "an integer"
    case .boolean: "true or false"
    case .strings: "a list of strings"
    }
  }
}

/// One `key = value` line of a configuration file.
public struct ConfigEntry: Sendable, Equatable {
  /// The `[section]` the key is in; nil before the first section.
  public var section: String?
  public var key: String
  public var value: ConfigValue
  /// Where the key starts, 1-based.
  public var line: Int
  public var column: Int

  /// `key`, or `section.key` inside a section: the name messages and `gemba config` use.
  public var name: String { section.map { "\($0).\(key)" } ?? key }
}

/// A problem in a configuration file, at a 1-based line and column.
public struct ConfigProblem: Error, Sendable, Equatable, CustomStringConvertible {
  public var line: Int
  public var column: Int
  public var message: String

  public init(line: Int, column: Int, message: String) {
    self.line = line
    self.column = column
    self.message = message
  }

  public var description: String { "\(line):\(column): \(message)" }
}

/// Gemba's configuration file, read from TOML.
///
/// Reads the part of TOML a settings file needs: `key = value` lines with basic (`"…"`) and
/// literal (`'…'`) strings, integers, booleans and one-line lists of strings, `[section]`
/// headings and `#` comments. Every problem has the line and column it was found at. A syntax
/// error makes the whole file unreadable (``syntaxErrors``), as TOML says an invalid document is;
/// a caller then ignores the file rather than guess at half of it.
///
///     let file = ConfigFile.parse("interviewer = \"Dana\"\nminutes = 45\n")
///     file.entries.map(\.key)  // ["interviewer", "minutes"]
public struct ConfigFile: Sendable, Equatable {
  public var entries: [ConfigEntry]
  /// Lines that are not TOML this reader understands; when there are any, the file is ignored.
  public var syntaxErrors: [ConfigProblem]

  /// The entry for `key` in `section` (nil: before the first section).
  public func entry(_ key: String, section: String? = nil) -> ConfigEntry? {
    entries.first { $0.key == key && $0.section == section }
  }

  /// Reads `text`; never fails, every problem is in ``syntaxErrors``.
  public static func parse(_ text: String) -> ConfigFile {
    var entries: [ConfigEntry] = []
    var errors: [ConfigProblem] = []
    var section: String?
    var sectionsSeen: [String: Int] = [:]
    var body = Substring(text)
    if body.hasPrefix("\u{FEFF}") { body = body.dropFirst() }
    // "\r\n" is one Character, so lines are split on either ending.
    let lines = body.split(
      omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r\n" })
    for (offset, rawLine) in lines.enumerated() {
      let number = offset + 1
      var line = Array(rawLine.unicodeScalars)
      if line.last == "\r" { line.removeLast() }
      var scanner = LineScanner(scalars: line, line: number)
      scanner.skipSpaces()
      if scanner.atEnd || scanner.peek == "#" { continue }
      do {
        if scanner.peek == "[" {
          let name = try scanner.sectionHeading()
          if let first = sectionsSeen[name] {
            throw scanner.problem("section [\(name)] appears twice (first on line \(first))")
          }
          sectionsSeen[name] = number
          section = name
          continue
        }
        let column = scanner.column
        let key = try scanner.key()
        scanner.skipSpaces()
        guard scanner.peek == "=" else {
          if scanner.peek == "." {
            throw scanner.problem(
              "dotted keys are not used in Gemba's settings; write the key under a [section]")
          }
          throw scanner.problem("expected '=' after the key '\(key)'")
        }
        scanner.advance()
        scanner.skipSpaces()
        let value = try scanner.value()
        try scanner.expectEndOfLine()
        if let earlier = entries.first(where: { $0.key == key && $0.section == section }) {
          throw ConfigProblem(
            line: number, column: column,
            message: "'\(earlier.name)' is set twice (first on line \(earlier.line))")
        }
        entries.append(
          ConfigEntry(section: section, key: key, value: value, line: number, column: column))
      } catch let problem as ConfigProblem {
        errors.append(problem)
      } catch {
        errors.append(ConfigProblem(line: number, column: 1, message: "\(error)"))
      }
    }
    return ConfigFile(entries: entries, syntaxErrors: errors)
  }
}

/// Reads one line of TOML, one Unicode scalar at a time, keeping the column.
private struct LineScanner {
  let scalars: [Unicode.Scalar]
  let line: Int
  var index = 0

  init(scalars: [Unicode.Scalar], line: Int) {
    self.scalars = scalars
    self.line = line
  }

  var atEnd: Bool { index >= scalars.count }
  var peek: Unicode.Scalar? { atEnd ? nil : scalars[index] }
  /// 1-based, counting Unicode scalars, as editors that show a column for UTF-8 text mostly do.
  var column: Int { index + 1 }

  mutating func advance() { index += 1 }

  mutating func skipSpaces() {
    while let scalar = peek, scalar == " " || scalar == "\t" { advance() }
  }

  func problem(_ message: String) -> ConfigProblem {
    ConfigProblem(line: line, column: column, message: message)
  }

  static func isBareKey(_ scalar: Unicode.Scalar) -> Bool {
    (scalar >= "a" && scalar <= "z") || (scalar >= "A" && scalar <= "Z")
      || (scalar >= "0" && scalar <= "9") || scalar == "_" || scalar == "-"
  }

  mutating func sectionHeading() throws -> String {
    advance()
    if peek == "[" {
      throw problem("arrays of tables ('[[…]]') are not used in Gemba's settings")
    }
    skipSpaces()
    let name = try key()
    skipSpaces()
    if peek == "." {
      throw problem("nested sections are not used in Gemba's settings; write '[\(name)]'")
    }
    guard peek == "]" else { throw problem("expected ']' to close the section name") }
    advance()
    try expectEndOfLine()
    return name
  }

  mutating func key() throws -> String {
    if peek == "\"" { return try basicString() }
    if peek == "'" { return try literalString() }
    let start = index
    while let scalar = peek, Self.isBareKey(scalar) { advance() }
    guard index > start else {
      throw problem("expected a key (letters, digits, '_' or '-') or a [section]")
    }
    return String(String.UnicodeScalarView(scalars[start..<index]))
  }

  mutating func value() throws -> ConfigValue {
    guard let first = peek else { throw problem("expected a value after '='") }
    switch first {
    case "\"": return .string(try basicString())
    case "'": return .string(try literalString())
    case "[": return .strings(try stringList())
    case "{":
      throw problem("inline tables are not used in Gemba's settings; use a [section]")
    default:
      let start = index
      while let scalar = peek, scalar != " ", scalar != "\t", scalar != "#", scalar != ",",
        scalar != "]"
      {
        advance()
      }
      let word = String(String.UnicodeScalarView(scalars[start..<index]))
      if word == "true" { return .boolean(true) }
      if word == "false" { return .boolean(false) }
      if let number = Self.integer(word) { return .integer(number) }
      index = start
      if word.first.map({ $0.isNumber || $0 == "+" || $0 == "-" }) == true {
        throw problem(
          "'\(word)': Gemba's settings take whole numbers, text in quotes, true or false")
      }
      throw problem(
        "expected a value: text in quotes (\"…\"), a whole number, true or false; found '\(word)'"
      )
    }
  }

  /// A TOML decimal integer: optional sign, digits, single underscores between digits.
  static func integer(_ word: String) -> Int? {
    var digits = Substring(word)
    var sign = ""
    if let first = digits.first, first == "+" || first == "-" {
      sign = first == "-" ? "-" : ""
      digits = digits.dropFirst()
    }
    guard let first = digits.first, first.isASCII, first.isNumber,
      let last = digits.last, last.isASCII, last.isNumber, !digits.contains("__")
    else { return nil }
    if digits.count > 1 && first == "0" { return nil }
    let plain = digits.filter { $0 != "_" }
    guard plain.allSatisfy({ $0.isASCII && $0.isNumber }) else { return nil }
    return Int(sign + plain)
  }

  mutating func basicString() throws -> String {
    let open = column
    advance()
    if peek == "\"", index + 1 < scalars.count, scalars[index + 1] == "\"" {
      throw problem(
        "multi-line strings are not used in Gemba's settings; keep the value on one line")
    }
    var out = String.UnicodeScalarView()
    while let scalar = peek {
      advance()
      switch scalar {
      case "\"":
        return String(out)
      case "\\":
        out.append(try escape())
      default:
        if scalar.value < 0x20 && scalar != "\t" || scalar.value == 0x7F {
          index -= 1
          throw problem("control characters must be escaped inside a string")
        }
        out.append(scalar)
      }
    }
    throw ConfigProblem(
      line: line, column: open, message: "this string has no closing '\"' on its line")
  }

  mutating func escape() throws -> Unicode.Scalar {
    guard let scalar = peek else { throw problem("a '\\' ends the line inside a string") }
    advance()
    switch scalar {
    case "\"": return "\""
    case "\\": return "\\"
    case "b": return "\u{08}"
    case "t": return "\t"
    case "n": return "\n"
    case "f": return "\u{0C}"
    case "r": return "\r"
    case "e": return "\u{1B}"
    case "u", "U":
      let count = scalar == "u" ? 4 : 8
      guard index + count <= scalars.count else {
        throw problem("'\\\(scalar)' needs \(count) hexadecimal digits")
      }
      let hex = String(String.UnicodeScalarView(scalars[index..<index + count]))
      guard let value = UInt32(hex, radix: 16), let result = Unicode.Scalar(value) else {
        throw problem("'\\\(scalar)\(hex)' is not a Unicode character")
      }
      index += count
      return result
    default:
      index -= 2
      throw problem(
        "unknown escape '\\\(scalar)'; write '\\\\' for a backslash, or use 'single quotes'")
    }
  }

  mutating func literalString() throws -> String {
    let open = column
    advance()
    if peek == "'", index + 1 < scalars.count, scalars[index + 1] == "'" {
      throw problem(
        "multi-line strings are not used in Gemba's settings; keep the value on one line")
    }
    let start = index
    while let scalar = peek, scalar != "'" { advance() }
    guard peek == "'" else {
      throw ConfigProblem(
        line: line, column: open, message: "this string has no closing \"'\" on its line")
    }
    let text = String(String.UnicodeScalarView(scalars[start..<index]))
    advance()
    return text
  }

  mutating func stringList() throws -> [String] {
    advance()
    var items: [String] = []
    while true {
      skipSpaces()
      if peek == "]" {
        advance()
        return items
      }
      guard let scalar = peek else {
        throw problem("this list has no closing ']' on its line; keep a list on one line")
      }
      guard scalar == "\"" || scalar == "'" else {
        throw problem("a list in Gemba's settings holds text in quotes")
      }
      items.append(scalar == "\"" ? try basicString() : try literalString())
      skipSpaces()
      if peek == "," {
        advance()
      } else if atEnd {
        throw problem("this list has no closing ']' on its line; keep a list on one line")
      } else if peek != "]" {
        throw problem("expected ',' or ']' in the list")
      }
    }
  }

  mutating func expectEndOfLine() throws {
    skipSpaces()
    if atEnd || peek == "#" { return }
    throw problem("unexpected text after the value; start a comment with '#'")
  }
}
