import GembaCore
import Testing

@Suite("SHA-256 against the FIPS 180-4 test vectors")
struct SHA256Tests {
  @Test(
    arguments: [
      ("", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"),
      ("abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"),
      (
        "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
        "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"
      ),
      (
        "abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjklmnopqklmnopqr"
          + "lmnopqrsmnopqrstnopqrstu",
        "cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1"
      ),
    ])
  func shortMessages(message: String, expected: String) {
    #expect(SHA256.hex(message) == expected)
    #expect(SHA256.hex(Array(message.utf8)) == expected)
  }

  @Test func oneMillionLetterA() {
    let expected = "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0"
    #expect(SHA256.hex([UInt8](repeating: UInt8(ascii: "a"), count: 1_000_000)) == expected)
  }

  /// Inputs that are not contiguous in memory take the byte-by-byte path; it must agree.
  @Test func lazySequencesAgreeWithArrays() {
    let bytes = (0..<1000).map { UInt8(truncatingIfNeeded: $0 &* 31) }
    #expect(SHA256.hex(bytes.lazy.map { $0 }) == SHA256.hex(bytes))
  }

  /// Lengths around the 55/56/64-byte padding boundaries, where the length field spills into an
  /// extra block; checked against values computed with sha256sum.
  @Test(
    arguments: [
      (55, "9f4390f8d30c2dd92ec9f095b65e2b9ae9b0a925a5258e241c9f1e910f734318"),
      (56, "b35439a4ac6f0948b6d6f9e3c6af0f5f590ce20f1bde7090ef7970686ec6738a"),
      (63, "7d3e74a05d7db15bce4ad9ec0658ea98e3f06eeecf16b4c6fff2da457ddc2f34"),
      (64, "ffe054fe7ae0cb6dc65c3af9b61d5209f439851db43d0ba5997337df154668eb"),
      (65, "635361c48bb9eab14198e76ea8ab7f1a41685d6ad62aa9146d301d4f17eb0ae0"),
    ])
  func paddingBoundaries(count: Int, expected: String) {
    #expect(SHA256.hex(String(repeating: "a", count: count)) == expected)
  }

  @Test func digestIsLowerCaseHex() {
    let hex = SHA256.hex("Gemba")
    #expect(hex.count == 64)
    #expect(hex.allSatisfy { "0123456789abcdef".contains($0) })
  }
}
