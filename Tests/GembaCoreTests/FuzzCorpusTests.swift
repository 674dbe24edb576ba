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

  @Test("the kept corpus and every reproducer break nothing", arguments: FuzzTarget.allCases)
  func replay(_ target: FuzzTarget) {
    let corpus = Self.inputs("corpus", of: target)
    #expect(!corpus.isEmpty, "Tests/Fuzz/corpus/\(target.rawValue) is empty")
    let inputs =
      corpus.map { ("corpus", $0) } + Self.inputs("crashes", of: target).map { ("crashes", $0) }
    for (kind, input) in inputs {
      let broken = target.run(input.bytes, context: Self.context)
      #expect(broken.isEmpty, "\(kind)/\(target.rawValue)/\(input.name): \(broken)")
    }
  }
}
