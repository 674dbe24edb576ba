import Foundation

/// The text of one file with a line table, so UTF-8 offsets turn into 1-based lines and columns.
public struct SourceFile: Sendable, Hashable {
  /// The path as the user named it, shown in diagnostics.
  public let path: String
  /// The whole text.
  public let text: String
  /// The UTF-8 offset at which each line starts.
  public let lineStarts: [Int]

  public init(path: String, text: String) {
    self.path = path
    self.text = text
    var starts = [0]
    // memchr over the contiguous bytes when the string has them: a byte at a time through the
    // view cost a large part of reading a large guide.
    let scanned: Void? = text.utf8.withContiguousStorageIfAvailable { bytes in
      guard let base = bytes.baseAddress else { return }
      var offset = 0
      while offset < bytes.count,
        let found = memchr(base + offset, Int32(UInt8(ascii: "\n")), bytes.count - offset)
      {
        offset = base.distance(to: found.assumingMemoryBound(to: UInt8.self)) + 1
        starts.append(offset)
      }
    }
    if scanned == nil {
      var offset = 0
      for byte in text.utf8 {
        offset += 1
        if byte == UInt8(ascii: "\n") { starts.append(offset) }
      }
    }
    self.lineStarts = starts
  }

  /// The 1-based line that holds the UTF-8 `offset`.
  public func line(at offset: Int) -> Int {
    var low = 0
    var high = lineStarts.count - 1
    while low < high {
      let mid = (low + high + 1) / 2
      if lineStarts[mid] <= offset { low = mid } else { high = mid - 1 }
    }
    return low + 1
  }

  /// The text of the 1-based `line`, without its line break.
  public func lineText(_ line: Int) -> Substring {
    guard line >= 1, line <= lineStarts.count else { return "" }
    let utf8 = text.utf8
    let start = utf8.index(utf8.startIndex, offsetBy: lineStarts[line - 1])
    var end =
      line < lineStarts.count
      ? utf8.index(utf8.startIndex, offsetBy: lineStarts[line] - 1) : utf8.endIndex
    if end > start, utf8[utf8.index(before: end)] == UInt8(ascii: "\r") {
      end = utf8.index(before: end)
    }
    return text[start..<end]
  }
}

/// A place in a source file: the file's path, a 1-based line, and a 1-based UTF-8 column.
public struct SourceLocation: Sendable, Hashable, Comparable, Codable {
  public var path: String
  public var line: Int
  public var column: Int

  public init(path: String, line: Int, column: Int) {
    self.path = path
    self.line = line
    self.column = column
  }

  public static func < (lhs: SourceLocation, rhs: SourceLocation) -> Bool {
    (lhs.path, lhs.line, lhs.column) < (rhs.path, rhs.line, rhs.column)
  }
}

/// A run of text on one line: where it starts and how many UTF-8 bytes it covers.
public struct SourceRange: Sendable, Hashable, Codable {
  public var start: SourceLocation
  /// Length in UTF-8 bytes on the start line; at least 1 when rendered.
  public var length: Int

  public init(_ start: SourceLocation, length: Int = 1) {
    self.start = start
    self.length = length
  }

  public init(path: String, line: Int, column: Int, length: Int = 1) {
    self.start = SourceLocation(path: path, line: line, column: column)
    self.length = length
  }
}
