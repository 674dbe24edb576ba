/// SHA-256 as FIPS 180-4 defines it, written here so the core stays free of platform crypto
/// libraries (CryptoKit is not on Linux, and the core does no I/O of its own).
///
/// Transcripts record the hash of the guide they were run from, so a coach can tell whether the
/// guide changed since.
///
/// ```swift
/// SHA256.hex("abc")
/// // "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
/// ```
public enum SHA256 {
  /// The digest of `bytes`, as 64 lower-case hex digits.
  public static func hex(_ bytes: some Sequence<UInt8>) -> String {
    var hasher = Hasher()
    hasher.update(bytes)
    return hexString(hasher.finish())
  }

  /// The digest of `text`'s UTF-8 bytes, as 64 lower-case hex digits.
  public static func hex(_ text: String) -> String {
    hex(text.utf8)
  }

  /// The 32-byte digest of `bytes`.
  public static func digest(_ bytes: some Sequence<UInt8>) -> [UInt8] {
    var hasher = Hasher()
    hasher.update(bytes)
    return hasher.finish()
  }

  private static func hexString(_ digest: [UInt8]) -> String {
    let digits = Array("0123456789abcdef".utf8)
    var out: [UInt8] = []
    out.reserveCapacity(digest.count * 2)
    for byte in digest {
      out.append(digits[Int(byte >> 4)])
      out.append(digits[Int(byte & 0x0F)])
    }
    return String(decoding: out, as: UTF8.self)
  }

  /// Streams bytes through a fixed 64-byte block buffer, so hashing a large input allocates
  /// nothing per byte or per block.
  private struct Hasher {
    private var state: (UInt32, UInt32, UInt32, UInt32, UInt32, UInt32, UInt32, UInt32) = (
      0x6a09_e667, 0xbb67_ae85, 0x3c6e_f372, 0xa54f_f53a,
      0x510e_527f, 0x9b05_688c, 0x1f83_d9ab, 0x5be0_cd19
    )
    private var block = [UInt8](repeating: 0, count: 64)
    private var schedule = [UInt32](repeating: 0, count: 64)
    private var blockCount = 0
    private var totalBytes: UInt64 = 0

    mutating func update(_ bytes: some Sequence<UInt8>) {
      // Contiguous inputs (arrays, String.UTF8View of native strings) take the fast path.
      let handled: Void? = bytes.withContiguousStorageIfAvailable { buffer in
        update(buffer)
      }
      if handled != nil { return }
      for byte in bytes {
        block[blockCount] = byte
        blockCount += 1
        totalBytes &+= 1
        if blockCount == 64 {
          compressBlock()
          blockCount = 0
        }
      }
    }

    private mutating func update(_ buffer: UnsafeBufferPointer<UInt8>) {
      var index = 0
      totalBytes &+= UInt64(buffer.count)
      while index < buffer.count {
        let take = min(64 - blockCount, buffer.count - index)
        block.withUnsafeMutableBufferPointer { destination in
          for offset in 0..<take {
            destination[blockCount + offset] = buffer[index + offset]
          }
        }
        blockCount += take
        index += take
        if blockCount == 64 {
          compressBlock()
          blockCount = 0
        }
      }
    }

    mutating func finish() -> [UInt8] {
      let bitLength = totalBytes &* 8
      // Padding: a single 1 bit, zeros up to 56 bytes into a block, then the 64-bit length.
      block[blockCount] = 0x80
      blockCount += 1
      if blockCount > 56 {
        for index in blockCount..<64 { block[index] = 0 }
        compressBlock()
        blockCount = 0
      }
      for index in blockCount..<56 { block[index] = 0 }
      for index in 0..<8 {
        block[56 + index] = UInt8(truncatingIfNeeded: bitLength >> (56 - 8 * UInt64(index)))
      }
      compressBlock()
      blockCount = 0

      var digest: [UInt8] = []
      digest.reserveCapacity(32)
      for word in [state.0, state.1, state.2, state.3, state.4, state.5, state.6, state.7] {
        digest.append(UInt8(truncatingIfNeeded: word >> 24))
        digest.append(UInt8(truncatingIfNeeded: word >> 16))
        digest.append(UInt8(truncatingIfNeeded: word >> 8))
        digest.append(UInt8(truncatingIfNeeded: word))
      }
      return digest
    }

    private mutating func compressBlock() {
      block.withUnsafeBufferPointer { bytes in
        schedule.withUnsafeMutableBufferPointer { w in
          for t in 0..<16 {
            w[t] =
              UInt32(bytes[4 * t]) << 24 | UInt32(bytes[4 * t + 1]) << 16
              | UInt32(bytes[4 * t + 2]) << 8 | UInt32(bytes[4 * t + 3])
          }
          for t in 16..<64 {
            let s0 = rotr(w[t - 15], 7) ^ rotr(w[t - 15], 18) ^ (w[t - 15] >> 3)
            let s1 = rotr(w[t - 2], 17) ^ rotr(w[t - 2], 19) ^ (w[t - 2] >> 10)
            w[t] = w[t - 16] &+ s0 &+ w[t - 7] &+ s1
          }
          var (a, b, c, d, e, f, g, h) = state
          for t in 0..<64 {
            let sigma1 = rotr(e, 6) ^ rotr(e, 11) ^ rotr(e, 25)
            let choose = (e & f) ^ (~e & g)
            let temp1 = h &+ sigma1 &+ choose &+ SHA256.roundConstants[t] &+ w[t]
            let sigma0 = rotr(a, 2) ^ rotr(a, 13) ^ rotr(a, 22)
            let majority = (a & b) ^ (a & c) ^ (b & c)
            let temp2 = sigma0 &+ majority
            h = g
            g = f
            f = e
            e = d &+ temp1
            d = c
            c = b
            b = a
            a = temp1 &+ temp2
          }
          state.0 &+= a
          state.1 &+= b
          state.2 &+= c
          state.3 &+= d
          state.4 &+= e
          state.5 &+= f
          state.6 &+= g
          state.7 &+= h
        }
      }
    }
  }

  @inline(__always)
  private static func rotr(_ x: UInt32, _ n: UInt32) -> UInt32 {
    (x >> n) | (x << (32 - n))
  }

  /// The first 32 bits of the fractional parts of the cube roots of the first 64 primes.
  private static let roundConstants: [UInt32] = [
    0x428a_2f98, 0x7137_4491, 0xb5c0_fbcf, 0xe9b5_dba5, 0x3956_c25b, 0x59f1_11f1, 0x923f_82a4,
    0xab1c_5ed5, 0xd807_aa98, 0x1283_5b01, 0x2431_85be, 0x550c_7dc3, 0x72be_5d74, 0x80de_b1fe,
    0x9bdc_06a7, 0xc19b_f174, 0xe49b_69c1, 0xefbe_4786, 0x0fc1_9dc6, 0x240c_a1cc, 0x2de9_2c6f,
    0x4a74_84aa, 0x5cb0_a9dc, 0x76f9_88da, 0x983e_5152, 0xa831_c66d, 0xb003_27c8, 0xbf59_7fc7,
    0xc6e0_0bf3, 0xd5a7_9147, 0x06ca_6351, 0x1429_2967, 0x27b7_0a85, 0x2e1b_2138, 0x4d2c_6dfc,
    0x5338_0d13, 0x650a_7354, 0x766a_0abb, 0x81c2_c92e, 0x9272_2c85, 0xa2bf_e8a1, 0xa81a_664b,
    0xc24b_8b70, 0xc76c_51a3, 0xd192_e819, 0xd699_0624, 0xf40e_3585, 0x106a_a070, 0x19a4_c116,
    0x1e37_6c08, 0x2748_774c, 0x34b0_bcb5, 0x391c_0cb3, 0x4ed8_aa4a, 0x5b9c_ca4f, 0x682e_6ff3,
    0x748f_82ee, 0x78a5_636f, 0x84c8_7814, 0x8cc7_0208, 0x90be_fffa, 0xa450_6ceb, 0xbef9_a3f7,
    0xc671_78f2,
  ]
}
