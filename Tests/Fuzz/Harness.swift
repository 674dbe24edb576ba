// The libFuzzer harness: one binary for every target, chosen by GEMBA_FUZZ_TARGET. Built and run
// by `make fuzz` (Tests/Fuzz/fuzz.sh); it is not part of the Swift package, whose executables
// cannot be libFuzzer targets.
import Foundation
import GembaCore
import GembaFuzzTargets

// LeakSanitizer cannot follow a pointer that Swift stores with an enum's case in its spare bits,
// so the guides kept for the whole run would be reported as leaked. They are allocated with leak
// checking off; every input's own allocations are still checked.
@_silgen_name("__lsan_disable") private func lsanDisable()
@_silgen_name("__lsan_enable") private func lsanEnable()

nonisolated(unsafe) private var target = FuzzTarget.guide
nonisolated(unsafe) private var context = FuzzTarget.Context(guideTexts: [:])

@_cdecl("LLVMFuzzerInitialize")
public func initialize(
  _ argc: UnsafeMutablePointer<Int32>, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>
) -> Int32 {
  let name = ProcessInfo.processInfo.environment["GEMBA_FUZZ_TARGET"] ?? ""
  guard let chosen = FuzzTarget(rawValue: name) else {
    let names = FuzzTarget.allCases.map(\.rawValue).joined(separator: ", ")
    FileHandle.standardError.write(Data("GEMBA_FUZZ_TARGET must be one of: \(names)\n".utf8))
    exit(2)
  }
  target = chosen
  // The guides rule files apply to: the repository's defaults, read from GEMBA_FUZZ_GUIDES.
  var texts: [String: String] = [:]
  let folder = ProcessInfo.processInfo.environment["GEMBA_FUZZ_GUIDES"] ?? "scripts"
  for name in (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []
  where name.hasSuffix(".guide") {
    if let data = FileManager.default.contents(atPath: folder + "/" + name) {
      texts[name] = String(decoding: data, as: UTF8.self)
    }
  }
  lsanDisable()
  context = FuzzTarget.Context(guideTexts: texts)
  lsanEnable()
  return 0
}

@_cdecl("LLVMFuzzerTestOneInput")
public func testOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
  let bytes = data.map { Array(UnsafeBufferPointer(start: $0, count: size)) } ?? []
  let broken = target.run(bytes, context: context)
  if !broken.isEmpty {
    FileHandle.standardError.write(Data(("broken: " + broken.joined(separator: "; ") + "\n").utf8))
    abort()
  }
  return 0
}
