import Foundation

/// Case- and accent-insensitive comparison of what people type.
public enum TextFolding {
  /// Lower case with accents removed: "Café" and "CAFE" both fold to "cafe".
  public static func fold(_ text: String) -> String {
    // Foundation's folding goes through NSString and costs microseconds a call; for ASCII text
    // (nearly every slug, id and answer) it is exactly lower-casing.
    if isASCII(text) { return text.lowercased() }
    return text.folding(
      options: [.caseInsensitive, .diacriticInsensitive, .widthInsensitive], locale: nil
    )
    .lowercased()
  }

  static func isASCII(_ text: String) -> Bool {
    var copy = text
    return copy.withUTF8(isASCII)
  }

  /// Whether every byte is below 0x80, tested eight at a time.
  static func isASCII(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
    guard let base = bytes.baseAddress else { return true }
    let raw = UnsafeRawPointer(base)
    var offset = 0
    while offset + 8 <= bytes.count {
      let word = raw.loadUnaligned(fromByteOffset: offset, as: UInt64.self)
      if word & 0x8080_8080_8080_8080 != 0 { return false }
      offset += 8
    }
    while offset < bytes.count {
      if bytes[offset] >= 0x80 { return false }
      offset += 1
    }
    return true
  }

  /// The words of `text`, folded: runs of letters and digits (apostrophes kept inside words).
  public static func words(_ text: String) -> [Substring] {
    let folded = fold(text)
    return words(folded: folded)
  }

  static func words(folded: String) -> [Substring] {
    var result: [Substring] = []
    var start: String.Index?
    var index = folded.startIndex
    while index < folded.endIndex {
      let character = folded[index]
      let next = folded.index(after: index)
      let inWord =
        character.isLetter || character.isNumber
        || ((character == "'" || character == "\u{2019}") && start != nil && next < folded.endIndex
          && (folded[next].isLetter))
      if inWord {
        if start == nil { start = index }
      } else if let wordStart = start {
        result.append(folded[wordStart..<index])
        start = nil
      }
      index = next
    }
    if let wordStart = start { result.append(folded[wordStart...]) }
    return result
  }

  /// Whether `text` holds `phrase` as whole words, ignoring case and accents:
  /// "priceless" does not mention "price"; "the lead  time" mentions "Lead time".
  public static func mentions(_ text: String, _ phrase: String) -> Bool {
    let needle = words(phrase)
    guard !needle.isEmpty else { return false }
    let haystack = words(text)
    guard haystack.count >= needle.count else { return false }
    for start in 0...(haystack.count - needle.count) {
      var matched = true
      for offset in 0..<needle.count where haystack[start + offset] != needle[offset] {
        matched = false
        break
      }
      if matched { return true }
    }
    return false
  }

  /// Whether `text` holds `fragment` anywhere, ignoring case and accents.
  public static func contains(_ text: String, _ fragment: String) -> Bool {
    let needle = fold(fragment)
    if needle.isEmpty { return true }
    return fold(text).contains(needle)
  }
}

/// "Did you mean" suggestions by edit distance.
public enum Suggestion {
  /// The candidate closest to `name`, if it is close enough to be a likely typo.
  public static func closest(to name: String, in candidates: some Sequence<String>) -> String? {
    let target = Array(name.lowercased())
    let asciiTarget = name.utf8.allSatisfy { $0 < 0x80 } ? Array(name.lowercased().utf8) : nil
    var rows = BoundedRows()
    var best: (String, Int)?
    for candidate in candidates {
      let distance: Int
      if let asciiTarget, rows.load(candidate) {
        // Ids are nearly always ASCII: compared byte by byte, within the only band that can
        // matter, and given up as soon as no alignment can stay within the limit.
        let limit = max(1, min(3, (max(asciiTarget.count, rows.bytes.count) + 2) / 4))
        guard let found = rows.distance(asciiTarget, limit: limit) else { continue }
        distance = found
      } else {
        distance = editDistance(target, Array(candidate.lowercased()))
        let limit = max(1, min(3, (max(target.count, candidate.count) + 2) / 4))
        guard distance <= limit else { continue }
      }
      if best == nil || distance < best?.1 ?? Int.max { best = (candidate, distance) }
    }
    return best?.0
  }

  /// `; did you mean 'x'?` or the empty string.
  public static func didYouMean(_ name: String, in candidates: some Sequence<String>) -> String {
    closest(to: name, in: candidates).map { "; did you mean '\($0)'?" } ?? ""
  }

  /// Rows reused from one comparison to the next, so looking through thousands of ids for the
  /// closest allocates nothing per id.
  struct BoundedRows {
    private var twoBack: [Int] = []
    private var previous: [Int] = []
    private var current: [Int] = []
    /// The candidate last loaded, lower-cased.
    private(set) var bytes: [UInt8] = []

    /// Loads `text`, lower-cased, as the candidate; false when it is not ASCII.
    mutating func load(_ text: String) -> Bool {
      bytes.removeAll(keepingCapacity: true)
      for byte in text.utf8 {
        if byte >= 0x80 { return false }
        bytes.append(byte >= 65 && byte <= 90 ? byte + 32 : byte)
      }
      return true
    }

    /// The optimal string alignment distance from `a` to the loaded candidate when it is at most
    /// `limit`, else nil. Only cells within `limit` of the diagonal can stay within the limit,
    /// so only those are worked out; every row's neighbours outside the band hold `limit + 1`.
    mutating func distance(_ a: [UInt8], limit: Int) -> Int? {
      let b = bytes
      let (n, m) = (a.count, b.count)
      if abs(n - m) > limit { return nil }
      if n == 0 || m == 0 { return max(n, m) }
      let big = limit + 1
      if previous.count < m + 1 {
        twoBack = Array(repeating: big, count: m + 1)
        previous = twoBack
        current = twoBack
      }
      for j in 0...m { previous[j] = j <= limit ? j : big }
      for i in 1...n {
        let low = max(1, i - limit)
        let high = min(m, i + limit)
        current[0] = i <= limit ? i : big
        var rowMinimum = low == 1 ? current[0] : big
        if low > 1 { current[low - 1] = big }
        for j in low...high {
          let cost = a[i - 1] == b[j - 1] ? 0 : 1
          var value = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
          if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] {
            value = min(value, twoBack[j - 2] + 1)
          }
          current[j] = min(value, big)
          rowMinimum = min(rowMinimum, current[j])
        }
        if high < m { current[high + 1] = big }
        if rowMinimum > limit { return nil }
        (twoBack, previous, current) = (previous, current, twoBack)
      }
      return previous[m] <= limit ? previous[m] : nil
    }
  }

  /// Optimal string alignment distance: insertions, deletions, substitutions and swaps of two
  /// neighbouring characters each cost one, so "bakc" is one step from "back".
  static func editDistance(_ a: [Character], _ b: [Character]) -> Int {
    if a.isEmpty { return b.count }
    if b.isEmpty { return a.count }
    var table = [[Int]](repeating: [Int](repeating: 0, count: b.count + 1), count: a.count + 1)
    for i in 0...a.count { table[i][0] = i }
    for j in 0...b.count { table[0][j] = j }
    for i in 1...a.count {
      for j in 1...b.count {
        let cost = a[i - 1] == b[j - 1] ? 0 : 1
        table[i][j] = min(table[i - 1][j] + 1, table[i][j - 1] + 1, table[i - 1][j - 1] + cost)
        if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] {
          table[i][j] = min(table[i][j], table[i - 2][j - 2] + 1)
        }
      }
    }
    return table[a.count][b.count]
  }

}
