/// JSON string literals written the way Foundation's `JSONEncoder` writes them with
/// `.withoutEscapingSlashes`, so a line is the same whichever of the two wrote it.
enum JSONString {
  private static let hexDigits = Array("0123456789abcdef".utf8)

  /// `text` as a quoted JSON string: `"`, `\` and control characters escaped (`\n`, `\r`, `\t`,
  /// `\b`, `\f`, else `\u00XX`); everything else, UTF-8 included, as it is.
  static func quoted(_ text: String) -> String {
    var bytes: [UInt8] = []
    bytes.reserveCapacity(text.utf8.count + text.utf8.count / 16 + 16)
    let backslash = UInt8(ascii: "\\")
    bytes.append(UInt8(ascii: "\""))
    for byte in text.utf8 {
      let short: UInt8
      switch byte {
      case UInt8(ascii: "\""): short = byte
      case backslash: short = byte
      case 0x0A: short = UInt8(ascii: "n")
      case 0x0D: short = UInt8(ascii: "r")
      case 0x09: short = UInt8(ascii: "t")
      case 0x08: short = UInt8(ascii: "b")
      case 0x0C: short = UInt8(ascii: "f")
      case 0x00..<0x20:
        bytes.append(backslash)
        bytes.append(UInt8(ascii: "u"))
        bytes.append(UInt8(ascii: "0"))
        bytes.append(UInt8(ascii: "0"))
        bytes.append(hexDigits[Int(byte >> 4)])
        bytes.append(hexDigits[Int(byte & 0x0F)])
        continue
      default:
        bytes.append(byte)
        continue
      }
      bytes.append(backslash)
      bytes.append(short)
    }
    bytes.append(UInt8(ascii: "\""))
    return String(decoding: bytes, as: UTF8.self)
  }
}
