/// Pure path arithmetic for includes: no file system is touched.
public enum Path {
  /// `path` with `.` and `..` components and repeated slashes removed.
  public static func normalize(_ path: String) -> String {
    let absolute = path.hasPrefix("/")
    var parts: [Substring] = []
    for part in path.split(separator: "/", omittingEmptySubsequences: true) {
      if part == "." { continue }
      if part == "..", let last = parts.last, last != ".." {
        parts.removeLast()
        continue
      }
      if part == "..", absolute { continue }
      parts.append(part)
    }
    let joined = parts.joined(separator: "/")
    if absolute { return "/" + joined }
    return joined.isEmpty ? "." : joined
  }

  /// The folder part of `path` (`.` when there is none).
  public static func directory(_ path: String) -> String {
    guard let slash = path.lastIndex(of: "/") else { return "." }
    if slash == path.startIndex { return "/" }
    return String(path[..<slash])
  }

  /// The last component of `path`.
  public static func lastComponent(_ path: String) -> String {
    guard let slash = path.lastIndex(of: "/") else { return path }
    return String(path[path.index(after: slash)...])
  }

  /// `target` read relative to the folder of the file `base`, unless it is absolute.
  public static func resolve(_ target: String, relativeTo base: String) -> String {
    if target.hasPrefix("/") { return normalize(target) }
    return normalize(directory(base) + "/" + target)
  }
}
