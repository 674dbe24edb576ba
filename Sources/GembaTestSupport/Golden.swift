import Foundation
import Testing

/// Compares `actual` with the snapshot file at `path`. With GEMBA_RECORD=1 in the environment the
/// snapshot is written instead; a missing snapshot is a failure, so none is recorded by accident.
public func assertSnapshot(
  _ actual: String, at path: URL, sourceLocation: SourceLocation = #_sourceLocation
) {
  let record = ProcessInfo.processInfo.environment["GEMBA_RECORD"] == "1"
  if record {
    do {
      try actual.write(to: path, atomically: true, encoding: .utf8)
    } catch {
      Issue.record("could not record \(path.path): \(error)", sourceLocation: sourceLocation)
    }
    return
  }
  guard let data = FileManager.default.contents(atPath: path.path) else {
    Issue.record(
      "no snapshot at \(path.path); run with GEMBA_RECORD=1 to record it",
      sourceLocation: sourceLocation)
    return
  }
  let expected = String(decoding: data, as: UTF8.self)
  if expected != actual {
    Issue.record(
      "snapshot \(path.lastPathComponent) differs:\n--- expected\n\(expected)\n+++ actual\n\(actual)",
      sourceLocation: sourceLocation)
  }
}

/// The repository's root folder.
public func repositoryRoot() -> URL {
  URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent()
}

/// The folder `Cases/NAME` of the test target `target`.
public func casesFolder(_ name: String, target: String = "GembaCoreTests") -> URL {
  repositoryRoot().appendingPathComponent("Tests").appendingPathComponent(target)
    .appendingPathComponent("Cases").appendingPathComponent(name)
}

/// Every file in `folder`, by name, with its text.
public func filesIn(_ folder: URL) -> [String: String] {
  let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
  var files: [String: String] = [:]
  for name in names {
    if let data = FileManager.default.contents(atPath: folder.appendingPathComponent(name).path) {
      files[name] = String(decoding: data, as: UTF8.self)
    }
  }
  return files
}
