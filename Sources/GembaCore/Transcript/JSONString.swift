/// JSON string literals written the way Foundation's `JSONEncoder` writes them with
/// `.withoutEscapingSlashes`, so a line is the same whichever of the two wrote it.
enum JSONString {
  private static let hexDigits = Array("0123456789abcdef".utf8)

  /// `text` as a quoted JSON string: `"`, `\` and control characters escaped (`\n`, `\r`, `\t`,
  /// `\b`, `\f`, else `\u00XX`); everything else, UTF-8 included, as it is.
  static func quoted(_ text: String) -> String {
    var text = text
    return text.withUTF8 { source in
      var out: [UInt8] = []
      out.reserveCapacity(source.count + source.count / 16 + 2)
      out.append(UInt8(ascii: "\""))
      // Runs of bytes that need no escape (nearly all of a guide) are copied whole.
      var runStart = 0
      for index in 0..<source.count {
        let byte = source[index]
        if byte >= 0x20 && byte != UInt8(ascii: "\"") && byte != UInt8(ascii: "\\") { continue }
        out.append(contentsOf: UnsafeBufferPointer(rebasing: source[runStart..<index]))
        runStart = index + 1
        appendEscape(of: byte, to: &out)
      }
      out.append(contentsOf: UnsafeBufferPointer(rebasing: source[runStart..<source.count]))
      out.append(UInt8(ascii: "\""))
      return String(decoding: out, as: UTF8.self)
    }
  }

  private static func appendEscape(of byte: UInt8, to out: inout [UInt8]) {
    out.append(UInt8(ascii: "\\"))
    switch byte {
    case UInt8(ascii: "\""), UInt8(ascii: "\\"): out.append(byte)
    case 0x0A: out.append(UInt8(ascii: "n"))
    case 0x0D: out.append(UInt8(ascii: "r"))
    case 0x09: out.append(UInt8(ascii: "t"))
    case 0x08: out.append(UInt8(ascii: "b"))
    case 0x0C: out.append(UInt8(ascii: "f"))
    default:
      out.append(UInt8(ascii: "u"))
      out.append(UInt8(ascii: "0"))
      out.append(UInt8(ascii: "0"))
      out.append(hexDigits[Int(byte >> 4)])
      out.append(hexDigits[Int(byte & 0x0F)])
    }
  }
}
