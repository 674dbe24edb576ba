/// Writes a guide and its includes out as one text, each `include:` line replaced by the file it
/// names, so a transcript can carry exactly what was asked.
public enum GuideExpander {
  /// The text of `path` with includes expanded in place; an include that cannot be read, or that
  /// would include a file again inside itself, is kept as its line.
  public static func expand(path: String, text: String, loader: any SourceLoader) -> String {
    // Most guides include nothing: one scan of the bytes spares splitting them into lines.
    if !mayInclude(text) { return text.hasSuffix("\n") ? text : text + "\n" }
    var visiting: [String] = [Path.normalize(path)]
    return expand(path: path, text: text, loader: loader, visiting: &visiting)
  }

  /// Whether a line of `text` could be an `include:` line: false when the word appears nowhere.
  private static func mayInclude(_ text: String) -> Bool {
    let needle = Array("include:".utf8)
    return text.utf8.withContiguousStorageIfAvailable { bytes -> Bool in
      guard bytes.count >= needle.count else { return false }
      var position = 0
      let last = bytes.count - needle.count
      while position <= last {
        if bytes[position] == needle[0] {
          var matched = 1
          while matched < needle.count && bytes[position + matched] == needle[matched] {
            matched += 1
          }
          if matched == needle.count { return true }
        }
        position += 1
      }
      return false
    } ?? true
  }

  private static func expand(
    path: String, text: String, loader: any SourceLoader, visiting: inout [String]
  ) -> String {
    var out = ""
    for line in text.split(separator: "\n", omittingEmptySubsequences: false).dropLast(
      text.hasSuffix("\n") ? 1 : 0)
    {
      let trimmed = line.trimmingSpaces()
      if trimmed.hasPrefix("include:"), !line.hasPrefix(" ") {
        let target = trimmed.dropFirst("include:".count).trimmingSpaces()
        let resolved = Path.resolve(target, relativeTo: path)
        if !visiting.contains(resolved), case .success(let included) = loader.load(resolved) {
          visiting.append(resolved)
          out += "// from \(target)\n"
          out += expand(path: resolved, text: included, loader: loader, visiting: &visiting)
          visiting.removeLast()
          continue
        }
      }
      out += line + "\n"
    }
    return out
  }
}
