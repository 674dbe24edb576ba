import Testing

@testable import GembaCore

@Suite("Did you mean")
struct SuggestionTests {
  @Test("The banded distance agrees with the full one wherever it is within the limit")
  func bandedDistanceMatchesTheFullTable() {
    var generator = SeededRandom(seed: 7)
    let letters = Array("abcab_-1Z")
    var rows = Suggestion.BoundedRows()
    for _ in 0..<3_000 {
      let a = String(
        (0..<Int.random(in: 0...9, using: &generator)).map { _ in
          letters.randomElement(using: &generator)!
        })
      let b = String(
        (0..<Int.random(in: 0...9, using: &generator)).map { _ in
          letters.randomElement(using: &generator)!
        })
      let full = Suggestion.editDistance(Array(a.lowercased()), Array(b.lowercased()))
      for limit in 1...3 {
        let loaded = rows.load(b)
        #expect(loaded)
        let banded = rows.distance(Array(a.lowercased().utf8), limit: limit)
        #expect(banded == (full <= limit ? full : nil), "'\(a)' to '\(b)' within \(limit)")
      }
    }
  }

  @Test("Typos find the id meant, in any case, and far-off names find nothing")
  func closestNames() {
    let ids = ["purpose", "measures", "last_demand", "Straße", "q_00017", "q_00018"]
    #expect(Suggestion.closest(to: "purpsoe", in: ids) == "purpose")
    #expect(Suggestion.closest(to: "MEASURES", in: ids) == "measures")
    #expect(Suggestion.closest(to: "last_demnd", in: ids) == "last_demand")
    #expect(Suggestion.closest(to: "strasse", in: ids) == "Straße")
    #expect(Suggestion.closest(to: "straße", in: ids) == "Straße")
    #expect(Suggestion.closest(to: "q_0017", in: ids) == "q_00017")
    #expect(Suggestion.closest(to: "budget", in: ids) == nil)
  }
}
