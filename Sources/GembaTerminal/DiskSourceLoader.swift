import Foundation
import GembaCore

/// Reads guide and rule files from disk for the parser's includes.
public struct DiskSourceLoader: SourceLoader {
  public init() {}

  public func load(_ path: String) -> Result<String, SourceLoadError> {
    var isDirectory: ObjCBool = false
    guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
      return .failure(SourceLoadError("no such file"))
    }
    if isDirectory.boolValue { return .failure(SourceLoadError("it is a folder")) }
    guard let data = FileManager.default.contents(atPath: path) else {
      return .failure(SourceLoadError("it cannot be read"))
    }
    guard let text = String(data: data, encoding: .utf8) else {
      return .failure(SourceLoadError("it is not UTF-8 text"))
    }
    return .success(text)
  }
}

/// Finds the script files under the paths a user names.
public enum ScriptFinder {
  /// The kinds of file `gemba check` reads: guides, rule files and rule tests.
  public static let extensions = ["guide", "rules", "test"]

  /// Every guide, rule and rule test file under `paths` (or every file ending in one of
  /// `extensions`), sorted; files named directly are kept whatever their extension. Paths that
  /// do not exist are returned in `missing`.
  public static func find(_ paths: [String], extensions: [String] = extensions)
    -> (files: [String], missing: [String])
  {
    var files: [String] = []
    var missing: [String] = []
    let manager = FileManager.default
    for path in paths {
      var isDirectory: ObjCBool = false
      guard manager.fileExists(atPath: path, isDirectory: &isDirectory) else {
        missing.append(path)
        continue
      }
      if !isDirectory.boolValue {
        files.append(path)
        continue
      }
      guard let enumerator = manager.enumerator(atPath: path) else { continue }
      var found: [String] = []
      while let item = enumerator.nextObject() as? String {
        let name = Path.lastComponent(item)
        if name.hasPrefix(".") {
          enumerator.skipDescendants()
          continue
        }
        if extensions.contains(where: { item.hasSuffix(".\($0)") }) {
          found.append(path.hasSuffix("/") ? path + item : path + "/" + item)
        }
      }
      files.append(contentsOf: found.sorted())
    }
    return (files, missing)
  }
}
