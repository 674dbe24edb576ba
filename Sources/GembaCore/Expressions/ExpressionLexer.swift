/// A token of the expression language, with its UTF-8 offset and length inside the expression.
struct ExpressionToken: Equatable {
  enum Kind: Equatable {
    case identifier(String)
    case number(Double)
    case text(String)
    case date(Day)
    case tag(String)
    case regex(pattern: String, ignoresCase: Bool)
    case symbol(String)
    case end
  }

  var kind: Kind
  var offset: Int
  var length: Int
}

/// Splits an expression into tokens. Regular expressions are read only when the parser asks,
/// after `matches`, since `/` is also division.
struct ExpressionLexer {
  let bytes: [UInt8]
  private(set) var position = 0

  init(_ text: Substring) {
    self.bytes = Array(text.utf8)
  }

  enum LexError: Error {
    case unexpected(String, offset: Int, length: Int)
  }

  mutating func skipSpace() {
    while position < bytes.count, bytes[position] == 0x20 || bytes[position] == 0x09 {
      position += 1
    }
  }

  mutating func next() throws(LexError) -> ExpressionToken {
    skipSpace()
    guard position < bytes.count else {
      return ExpressionToken(kind: .end, offset: position, length: 0)
    }
    let start = position
    let byte = bytes[position]
    if isIdentifierStart(byte) {
      while position < bytes.count, isIdentifierBody(bytes[position]) { position += 1 }
      return token(.identifier(string(start, position)), from: start)
    }
    if isDigit(byte) {
      if let date = lexDate() { return token(.date(date), from: start) }
      while position < bytes.count, isDigit(bytes[position]) { position += 1 }
      if position + 1 < bytes.count, bytes[position] == UInt8(ascii: "."),
        isDigit(bytes[position + 1])
      {
        position += 1
        while position < bytes.count, isDigit(bytes[position]) { position += 1 }
      }
      let text = string(start, position)
      guard let value = Double(text) else {
        throw .unexpected("'\(text)' is not a number", offset: start, length: position - start)
      }
      return token(.number(value), from: start)
    }
    switch byte {
    case UInt8(ascii: "\""):
      return try lexText()
    case UInt8(ascii: "#"):
      position += 1
      let nameStart = position
      while position < bytes.count,
        isIdentifierBody(bytes[position]) || bytes[position] == UInt8(ascii: "-")
      {
        position += 1
      }
      guard position > nameStart else {
        throw .unexpected("expected a tag name after '#'", offset: start, length: 1)
      }
      return token(.tag(string(nameStart, position)), from: start)
    case UInt8(ascii: "<"), UInt8(ascii: ">"), UInt8(ascii: "!"), UInt8(ascii: "="):
      position += 1
      if position < bytes.count, bytes[position] == UInt8(ascii: "=") { position += 1 }
      let symbol = string(start, position)
      if symbol == "!" {
        throw .unexpected("'!' is not an operator; write 'not' or '!='", offset: start, length: 1)
      }
      if symbol == "==" { return token(.symbol("="), from: start) }
      return token(.symbol(symbol), from: start)
    case UInt8(ascii: "("), UInt8(ascii: ")"), UInt8(ascii: "["), UInt8(ascii: "]"),
      UInt8(ascii: ","), UInt8(ascii: "+"), UInt8(ascii: "-"), UInt8(ascii: "*"),
      UInt8(ascii: "/"), UInt8(ascii: "."):
      position += 1
      return token(.symbol(string(start, position)), from: start)
    case UInt8(ascii: "&"), UInt8(ascii: "|"):
      let word = byte == UInt8(ascii: "&") ? "and" : "or"
      throw .unexpected(
        "write '\(word)' instead of '\(Character(Unicode.Scalar(byte)))'", offset: start, length: 1)
    default:
      let scalarLength = utf8Length(byte)
      let text = string(start, min(start + scalarLength, bytes.count))
      throw .unexpected("unexpected character '\(text)'", offset: start, length: scalarLength)
    }
  }

  /// Reads `/pattern/flags` at the current position.
  mutating func nextRegex() throws(LexError) -> ExpressionToken {
    skipSpace()
    let start = position
    guard position < bytes.count, bytes[position] == UInt8(ascii: "/") else {
      throw .unexpected(
        "expected a regular expression like /pattern/ after 'matches'", offset: start, length: 1)
    }
    position += 1
    var pattern: [UInt8] = []
    while position < bytes.count, bytes[position] != UInt8(ascii: "/") {
      if bytes[position] == UInt8(ascii: "\\"), position + 1 < bytes.count {
        if bytes[position + 1] != UInt8(ascii: "/") { pattern.append(bytes[position]) }
        position += 1
      }
      pattern.append(bytes[position])
      position += 1
    }
    guard position < bytes.count else {
      throw .unexpected(
        "regular expression has no closing '/'", offset: start, length: position - start)
    }
    position += 1
    var ignoresCase = false
    while position < bytes.count, isIdentifierBody(bytes[position]) {
      guard bytes[position] == UInt8(ascii: "i") else {
        throw .unexpected(
          "unknown regular expression flag '\(Character(Unicode.Scalar(bytes[position])))'; only 'i' is known",
          offset: position, length: 1)
      }
      ignoresCase = true
      position += 1
    }
    let text = String(decoding: pattern, as: UTF8.self)
    return token(.regex(pattern: text, ignoresCase: ignoresCase), from: start)
  }

  private mutating func lexText() throws(LexError) -> ExpressionToken {
    let start = position
    position += 1
    var out: [UInt8] = []
    while position < bytes.count, bytes[position] != UInt8(ascii: "\"") {
      if bytes[position] == UInt8(ascii: "\\"), position + 1 < bytes.count {
        position += 1
      }
      out.append(bytes[position])
      position += 1
    }
    guard position < bytes.count else {
      throw .unexpected("text has no closing '\"'", offset: start, length: position - start)
    }
    position += 1
    return token(.text(String(decoding: out, as: UTF8.self)), from: start)
  }

  private mutating func lexDate() -> Day? {
    let end = position + 10
    guard end <= bytes.count else { return nil }
    let slice = bytes[position..<end]
    let shape = slice.enumerated().allSatisfy { index, byte in
      index == 4 || index == 7 ? byte == UInt8(ascii: "-") : isDigit(byte)
    }
    guard shape, end == bytes.count || !isIdentifierBody(bytes[end]) else { return nil }
    guard let day = Day(iso: String(decoding: slice, as: UTF8.self)) else { return nil }
    position = end
    return day
  }

  private func token(_ kind: ExpressionToken.Kind, from start: Int) -> ExpressionToken {
    ExpressionToken(kind: kind, offset: start, length: position - start)
  }

  private func string(_ from: Int, _ to: Int) -> String {
    String(decoding: bytes[from..<to], as: UTF8.self)
  }

  private func utf8Length(_ byte: UInt8) -> Int {
    switch byte {
    case 0xF0...: 4
    case 0xE0...: 3
    case 0xC0...: 2
    default: 1
    }
  }
}

func isDigit(_ byte: UInt8) -> Bool { byte >= 0x30 && byte <= 0x39 }

func isIdentifierStart(_ byte: UInt8) -> Bool {
  (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A) || byte == 0x5F
}

func isIdentifierBody(_ byte: UInt8) -> Bool { isIdentifierStart(byte) || isDigit(byte) }
