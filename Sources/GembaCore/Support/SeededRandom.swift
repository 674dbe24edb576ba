/// Random numbers from a seed (SplitMix64): the same seed gives the same numbers on every
/// machine and every run, so a generated walk, guide or test case can be made again from its
/// seed.
public struct SeededRandom: RandomNumberGenerator, Sendable {
  private var state: UInt64

  public init(seed: UInt64) { state = seed }

  public mutating func next() -> UInt64 {
    state &+= 0x9E37_79B9_7F4A_7C15
    var z = state
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
  }

  /// A number from 0 up to `bound` (not included); 0 when `bound` is not positive.
  public mutating func below(_ bound: Int) -> Int {
    bound <= 0 ? 0 : Int(next() % UInt64(bound))
  }

  /// True with `probability` (0 to 1), to a ten-thousandth.
  public mutating func chance(_ probability: Double) -> Bool {
    Double(next() % 10_000) / 10_000 < probability
  }

  /// One of `items`, nil when there are none.
  public mutating func pick<T>(_ items: [T]) -> T? {
    items.isEmpty ? nil : items[below(items.count)]
  }
}
