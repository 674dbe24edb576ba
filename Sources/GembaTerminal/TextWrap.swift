import GembaCore

/// Wraps text to a terminal width, counting wide characters as two columns.
public enum TextWrap {
  /// `text` broken into lines of at most `width` columns, each after `indent`; words longer
  /// than a line are cut.
  public static func wrap(_ text: String, width: Int, indent: String = "") -> [String] {
    let room = max(10, width - DisplayWidth.of(indent))
    var lines: [String] = []
    for paragraph in text.split(separator: "\n", omittingEmptySubsequences: false) {
      var line = ""
      var lineWidth = 0
      for word in paragraph.split(separator: " ", omittingEmptySubsequences: true) {
        var piece = String(word)
        var pieceWidth = DisplayWidth.of(piece)
        if lineWidth > 0 && lineWidth + 1 + pieceWidth > room {
          lines.append(indent + line)
          line = ""
          lineWidth = 0
        }
        while pieceWidth > room {
          var head = ""
          var headWidth = 0
          for character in piece {
            let characterWidth = DisplayWidth.of(character)
            if headWidth + characterWidth > room { break }
            head.append(character)
            headWidth += characterWidth
          }
          lines.append(indent + head)
          piece = String(piece.dropFirst(head.count))
          pieceWidth = DisplayWidth.of(piece)
        }
        if lineWidth > 0 {
          line += " "
          lineWidth += 1
        }
        line += piece
        lineWidth += pieceWidth
      }
      lines.append(indent + line)
    }
    return lines
  }
}
