import Foundation
import GembaCore
import GembaFuzzTargets
import GembaTestSupport
import Testing

/// Replays the fuzzers' kept corpus and every input a fuzzer once broke Gemba with
/// (Tests/Fuzz/corpus/TARGET and Tests/Fuzz/crashes/TARGET) through the same entry points
/// `make fuzz` feeds: none may crash or break a promise. Timed fuzzing is `make fuzz`'s job.
@Suite("Fuzz corpus replay")
struct FuzzCorpusTests {
  static let fuzzFolder = repositoryRoot().appendingPathComponent("Tests/Fuzz")

  /// The guides rule files apply to, as the fuzz harness reads them.
  static let context: FuzzTarget.Context = {
    let scripts = repositoryRoot().appendingPathComponent("scripts")
    return FuzzTarget.Context(guideTexts: filesIn(scripts).filter { $0.key.hasSuffix(".guide") })
  }()

  /// The files of `Tests/Fuzz/KIND/TARGET`, by name.
  static func inputs(_ kind: String, of target: FuzzTarget) -> [(name: String, bytes: [UInt8])] {
    let folder = fuzzFolder.appendingPathComponent(kind).appendingPathComponent(target.rawValue)
    let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
    return names.sorted().compactMap { name in
      FileManager.default.contents(atPath: folder.appendingPathComponent(name).path).map {
        (name, Array($0))
      }
    }
  }

  @Test("the kept corpus breaks nothing", arguments: FuzzTarget.allCases)
  func corpus(_ target: FuzzTarget) {
    let inputs = Self.inputs("corpus", of: target)
    #expect(!inputs.isEmpty, "Tests/Fuzz/corpus/\(target.rawValue) is empty")
    for input in inputs {
      let broken = target.run(input.bytes, context: Self.context)
      #expect(broken.isEmpty, "corpus/\(target.rawValue)/\(input.name): \(broken)")
    }
  }

  @Test("inputs that once broke Gemba break nothing now", arguments: FuzzTarget.allCases)
  func reproducers(_ target: FuzzTarget) {
    for input in Self.inputs("crashes", of: target) {
      let broken = target.run(input.bytes, context: Self.context)
      #expect(broken.isEmpty, "crashes/\(target.rawValue)/\(input.name): \(broken)")
    }
  }
}
