/// Makes text that came from a file or a person safe to print on a terminal.
public enum TerminalSafe {
  /// Replaces control characters (C0, DEL and C1, escape among them) with visible stand-ins, so
  /// the text cannot move the cursor, change colours or set the window title. Tabs become a space;
  /// line breaks are kept only when `keepingNewlines` is true.
  public static func neutralize(_ text: String, keepingNewlines: Bool = false) -> String {
    var needsWork = false
    for scalar in text.unicodeScalars where isControl(scalar) {
      needsWork = true
      break
    }
    if !needsWork { return text }
    var out = String.UnicodeScalarView()
    for scalar in text.unicodeScalars {
      if scalar == "\n" && keepingNewlines {
        out.append(scalar)
      } else if scalar == "\t" {
        out.append(" ")
      } else if scalar.value < 0x20 {
        // Control Pictures block: U+2400 + code, e.g. ESC shows as ␛.
        out.append(Unicode.Scalar(0x2400 + scalar.value) ?? "?")
      } else if scalar.value == 0x7F {
        out.append("\u{2421}")
      } else if isControl(scalar) {
        out.append("\u{FFFD}")
      } else {
        out.append(scalar)
      }
    }
    return String(out)
  }

  private static func isControl(_ scalar: Unicode.Scalar) -> Bool {
    scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value)
  }
}

/// How many terminal columns text takes: wide East Asian characters and most emoji take two,
/// combining marks none.
public enum DisplayWidth {
  public static func of(_ text: some StringProtocol) -> Int {
    var width = 0
    for character in text {
      width += of(character)
    }
    return width
  }

  public static func of(_ character: Character) -> Int {
    guard let first = character.unicodeScalars.first else { return 0 }
    if first.properties.isEmojiPresentation { return 2 }
    let value = first.value
    if value < 0x1100 { return 1 }
    let wide: [ClosedRange<UInt32>] = [
      0x1100...0x115F, 0x2E80...0x303E, 0x3041...0x33FF, 0x3400...0x4DBF, 0x4E00...0x9FFF,
      0xA000...0xA4CF, 0xAC00...0xD7A3, 0xF900...0xFAFF, 0xFE30...0xFE4F, 0xFF00...0xFF60,
      0xFFE0...0xFFE6, 0x1F300...0x1F64F, 0x1F900...0x1F9FF, 0x20000...0x3FFFD,
    ]
    return wide.contains { $0.contains(value) } ? 2 : 1
  }
}
