/// Reads one transcript event from its JSON line without Foundation's decoder, which spends most
/// of its time on keyed look-ups: stats read hundreds of thousands of events at a time.
///
/// It accepts only what it fully understands — one flat JSON object, known fields of the expected
/// types, unknown fields of any type skipped — and returns nil for anything else (malformed JSON,
/// an unknown event type, a field of another type), so the caller falls back to the decoder,
/// which decides and words the problem. For every line it accepts it gives what the decoder gives.
enum TranscriptEventScanner {
  /// Every field of ``TranscriptEvent`` this reader reads; a field added to the event must be
  /// added here too (a test holds the two together), or it would be dropped.
  static let knownKeys: Set<String> = [
    "type", "t", "ms", "q", "prompt", "raw", "value", "understood", "warnings", "reason", "from",
    "section", "note", "text", "tag", "index", "offPath", "who", "signal", "dropped",
    "openRequired", "rule", "rulesHash", "phase", "owner", "due", "answer", "conditions",
    "promise", "replaces",
  ]

  static func event(_ bytes: ArraySlice<UInt8>) -> TranscriptEvent? {
    bytes.withUnsafeBufferPointer { buffer in
      var scanner = Scanner(bytes: buffer, at: 0)
      return scanner.event()
    }
  }

  private struct Scanner {
    let bytes: UnsafeBufferPointer<UInt8>
    var at: Int

    mutating func skipSpace() {
      while at < bytes.count {
        let byte = bytes[at]
        guard byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D else { return }
        at += 1
      }
    }

    mutating func take(_ byte: UInt8) -> Bool {
      skipSpace()
      guard at < bytes.count, bytes[at] == byte else { return false }
      at += 1
      return true
    }

    static let keys = TranscriptEventScanner.knownKeys.sorted()
    static let keyBytes = keys.map { Array($0.utf8) }

    /// The position of a key in ``keys``, -1 for a key this reader does not know (its value is
    /// skipped); nil when the key is not a plain string (an escape in it: the decoder decides).
    mutating func keyNumber() -> Int? {
      guard next == UInt8(ascii: "\"") else { return nil }
      let start = at + 1
      var end = start
      while end < bytes.count, bytes[end] != UInt8(ascii: "\"") {
        // Escapes, control characters and anything beyond ASCII: the decoder decides.
        if bytes[end] == UInt8(ascii: "\\") || bytes[end] < 0x20 || bytes[end] >= 0x80 {
          return nil
        }
        end += 1
      }
      guard end < bytes.count else { return nil }
      at = end + 1
      let length = end - start
      for (number, key) in Self.keyBytes.enumerated() where key.count == length {
        var same = true
        for offset in 0..<length where key[offset] != bytes[start + offset] {
          same = false
          break
        }
        if same { return number }
      }
      return -1
    }

    var next: UInt8? {
      at < bytes.count ? bytes[at] : nil
    }

    mutating func event() -> TranscriptEvent? {
      guard take(UInt8(ascii: "{")) else { return nil }
      var type: TranscriptEvent.Kind?
      var t: String?
      var ms: Int?
      var event = TranscriptEvent(.shown, t: "", ms: 0)
      var seen: UInt64 = 0
      if take(UInt8(ascii: "}")) { return nil }
      repeat {
        skipSpace()
        guard let number = keyNumber(), take(UInt8(ascii: ":")) else { return nil }
        // A known key given twice: leave the decision to the decoder.
        if number >= 0 {
          guard seen & (1 << number) == 0 else { return nil }
          seen |= 1 << number
        }
        let key = number >= 0 ? Self.keys[number] : ""
        skipSpace()
        switch key {
        case "type":
          guard let name = string(), let kind = TranscriptEvent.Kind(rawValue: name) else {
            return nil
          }
          type = kind
        case "t":
          guard let text = string() else { return nil }
          t = text
        case "ms":
          guard let number = integer() else { return nil }
          ms = number
        case "q": guard optionalString(&event.q) else { return nil }
        case "prompt": guard optionalString(&event.prompt) else { return nil }
        case "raw": guard optionalString(&event.raw) else { return nil }
        case "reason": guard optionalString(&event.reason) else { return nil }
        case "from": guard optionalString(&event.from) else { return nil }
        case "section": guard optionalString(&event.section) else { return nil }
        case "text": guard optionalString(&event.text) else { return nil }
        case "tag": guard optionalString(&event.tag) else { return nil }
        case "who": guard optionalString(&event.who) else { return nil }
        case "signal": guard optionalString(&event.signal) else { return nil }
        case "rule": guard optionalString(&event.rule) else { return nil }
        case "rulesHash": guard optionalString(&event.rulesHash) else { return nil }
        case "phase": guard optionalString(&event.phase) else { return nil }
        case "owner": guard optionalString(&event.owner) else { return nil }
        case "due": guard optionalString(&event.due) else { return nil }
        case "answer": guard optionalString(&event.answer) else { return nil }
        case "conditions": guard optionalString(&event.conditions) else { return nil }
        case "replaces": guard optionalString(&event.replaces) else { return nil }
        case "promise": guard optionalInteger(&event.promise) else { return nil }
        case "note": guard optionalInteger(&event.note) else { return nil }
        case "index": guard optionalInteger(&event.index) else { return nil }
        case "dropped": guard optionalInteger(&event.dropped) else { return nil }
        case "understood":
          if takeLiteral("null") { break }
          guard let flag = boolean() else { return nil }
          event.understood = flag
        case "warnings": guard optionalStrings(&event.warnings) else { return nil }
        case "offPath": guard optionalStrings(&event.offPath) else { return nil }
        case "openRequired": guard optionalStrings(&event.openRequired) else { return nil }
        case "value":
          if takeLiteral("null") { break }
          guard let value = value() else { return nil }
          event.value = value
        default:
          guard skipValue(depth: 0) else { return nil }
        }
      } while take(UInt8(ascii: ","))
      guard take(UInt8(ascii: "}")) else { return nil }
      skipSpace()
      guard at == bytes.count, let type, let t, let ms else { return nil }
      event.type = type
      event.t = t
      event.ms = ms
      return event
    }

    mutating func optionalString(_ field: inout String?) -> Bool {
      if takeLiteral("null") { return true }
      guard let text = string() else { return false }
      field = text
      return true
    }

    mutating func optionalInteger(_ field: inout Int?) -> Bool {
      if takeLiteral("null") { return true }
      guard let number = integer() else { return false }
      field = number
      return true
    }

    mutating func optionalStrings(_ field: inout [String]?) -> Bool {
      if takeLiteral("null") { return true }
      guard take(UInt8(ascii: "[")) else { return false }
      var items: [String] = []
      if !take(UInt8(ascii: "]")) {
        repeat {
          skipSpace()
          guard let item = string() else { return false }
          items.append(item)
        } while take(UInt8(ascii: ","))
        guard take(UInt8(ascii: "]")) else { return false }
      }
      field = items
      return true
    }

    mutating func takeLiteral(_ word: StaticString) -> Bool {
      skipSpace()
      let count = word.utf8CodeUnitCount
      guard at + count <= bytes.count else { return false }
      let start = word.utf8Start
      for offset in 0..<count where bytes[at + offset] != start[offset] { return false }
      at += count
      return true
    }

    mutating func boolean() -> Bool? {
      if takeLiteral("true") { return true }
      if takeLiteral("false") { return false }
      return nil
    }

    /// A whole number without fraction or exponent, as the decoder reads an `Int`.
    mutating func integer() -> Int? {
      var negative = false
      if next == UInt8(ascii: "-") {
        negative = true
        at += 1
      }
      var value = 0
      var digits = 0
      while let byte = next, byte >= 0x30, byte <= 0x39 {
        let (times, overflow1) = value.multipliedReportingOverflow(by: 10)
        let (sum, overflow2) = times.addingReportingOverflow(Int(byte - 0x30))
        guard !overflow1, !overflow2 else { return nil }
        value = sum
        digits += 1
        at += 1
      }
      // A fraction, an exponent or a leading zero: the decoder decides.
      guard digits > 0, digits == 1 || bytes[at - digits] != 0x30 else { return nil }
      if let byte = next,
        byte == UInt8(ascii: ".") || byte == UInt8(ascii: "e")
          || byte == UInt8(ascii: "E")
      {
        return nil
      }
      return negative ? -value : value
    }

    /// `value`: text, a number, yes/no, or a tagged date or choice object (see ``Value``).
    mutating func value() -> Value? {
      guard let byte = next else { return nil }
      switch byte {
      case UInt8(ascii: "\""):
        return string().map(Value.text)
      case UInt8(ascii: "t"), UInt8(ascii: "f"):
        return boolean().map(Value.boolean)
      case UInt8(ascii: "{"):
        at += 1
        guard take(UInt8(ascii: "\"")) else { return nil }
        at -= 1
        guard let key = string(), take(UInt8(ascii: ":")) else { return nil }
        skipSpace()
        var result: Value?
        switch key {
        case "date":
          guard let text = string(), let day = Day(iso: text) else { return nil }
          result = .date(day)
        case "choice":
          guard let text = string() else { return nil }
          result = .choice(text)
        case "choices":
          var items: [String]?
          guard optionalStrings(&items), let items else { return nil }
          result = .choices(items)
        default:
          return nil
        }
        // Anything more in the object: the decoder decides.
        guard take(UInt8(ascii: "}")) else { return nil }
        return result
      default:
        let start = at
        while let byte = next,
          (byte >= 0x30 && byte <= 0x39) || byte == UInt8(ascii: "-") || byte == UInt8(ascii: "+")
            || byte == UInt8(ascii: ".") || byte == UInt8(ascii: "e") || byte == UInt8(ascii: "E")
        {
          at += 1
        }
        guard at > start, bytes[start] != UInt8(ascii: "+") else { return nil }
        let text = String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<at]), as: UTF8.self)
        // Only plain JSON numbers: a leading zero or a lone sign goes to the decoder.
        guard let number = Double(text), number.isFinite, Self.isJSONNumber(text) else {
          return nil
        }
        return .number(number)
      }
    }

    static func isJSONNumber(_ text: String) -> Bool {
      var body = Substring(text)
      if body.first == "-" { body = body.dropFirst() }
      guard let first = body.first, first.isASCII, first.isNumber else { return false }
      if first == "0", body.count > 1, body.dropFirst().first?.isNumber == true { return false }
      return true
    }

    /// A JSON string, with its escapes; nil when malformed.
    mutating func string() -> String? {
      guard next == UInt8(ascii: "\"") else { return nil }
      at += 1
      let start = at
      // The common case: no escapes, no control characters.
      while at < bytes.count {
        let byte = bytes[at]
        if byte == UInt8(ascii: "\"") {
          let text = String(
            validating: UnsafeBufferPointer(rebasing: bytes[start..<at]), as: UTF8.self)
          at += 1
          return text
        }
        if byte == UInt8(ascii: "\\") || byte < 0x20 { break }
        at += 1
      }
      var out = Array(bytes[start..<at])
      while at < bytes.count {
        let byte = bytes[at]
        at += 1
        switch byte {
        case UInt8(ascii: "\""):
          return String(validating: out, as: UTF8.self)
        case UInt8(ascii: "\\"):
          guard at < bytes.count else { return nil }
          let escape = bytes[at]
          at += 1
          switch escape {
          case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): out.append(escape)
          case UInt8(ascii: "b"): out.append(0x08)
          case UInt8(ascii: "f"): out.append(0x0C)
          case UInt8(ascii: "n"): out.append(0x0A)
          case UInt8(ascii: "r"): out.append(0x0D)
          case UInt8(ascii: "t"): out.append(0x09)
          case UInt8(ascii: "u"):
            guard var scalar = hex4() else { return nil }
            if (0xD800...0xDBFF).contains(scalar) {
              guard takeLiteral("\\u"), let low = hex4(), (0xDC00...0xDFFF).contains(low) else {
                return nil
              }
              scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
            }
            guard let unicode = Unicode.Scalar(scalar) else { return nil }
            out.append(contentsOf: Array(String(Character(unicode)).utf8))
          default: return nil
          }
        default:
          if byte < 0x20 { return nil }
          out.append(byte)
        }
      }
      return nil
    }

    mutating func hex4() -> UInt32? {
      guard at + 4 <= bytes.count else { return nil }
      var value: UInt32 = 0
      for _ in 0..<4 {
        let byte = bytes[at]
        let digit: UInt8
        switch byte {
        case 0x30...0x39: digit = byte - 0x30
        case 0x41...0x46: digit = byte - 0x41 + 10
        case 0x61...0x66: digit = byte - 0x61 + 10
        default: return nil
        }
        value = value * 16 + UInt32(digit)
        at += 1
      }
      return value
    }

    /// Skips a value of a field this reader does not know, checking it is well-formed.
    mutating func skipValue(depth: Int) -> Bool {
      guard depth < 64 else { return false }
      skipSpace()
      guard let byte = next else { return false }
      switch byte {
      case UInt8(ascii: "\""): return string() != nil
      case UInt8(ascii: "{"):
        at += 1
        if take(UInt8(ascii: "}")) { return true }
        repeat {
          skipSpace()
          guard string() != nil, take(UInt8(ascii: ":")), skipValue(depth: depth + 1) else {
            return false
          }
        } while take(UInt8(ascii: ","))
        return take(UInt8(ascii: "}"))
      case UInt8(ascii: "["):
        at += 1
        if take(UInt8(ascii: "]")) { return true }
        repeat {
          guard skipValue(depth: depth + 1) else { return false }
        } while take(UInt8(ascii: ","))
        return take(UInt8(ascii: "]"))
      case UInt8(ascii: "t"): return takeLiteral("true")
      case UInt8(ascii: "f"): return takeLiteral("false")
      case UInt8(ascii: "n"): return takeLiteral("null")
      default: return value() != nil
      }
    }
  }
}
