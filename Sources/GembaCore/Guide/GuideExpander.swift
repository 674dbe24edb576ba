/// Writes a guide and its includes out as one text, each `include:` line replaced by the file it
/// names, so a transcript can carry exactly what was asked.
public enum GuideExpander {
  /// The text of `path` with includes expanded in place; an include that cannot be read, or that
  /// would include a file again inside itself, is kept as its line.
  public static func expand(path: String, text: String, loader: any SourceLoader) -> String {
    var visiting: [String] = [Path.normalize(path)]
    return expand(path: path, text: text, loader: loader, visiting: &visiting)
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
