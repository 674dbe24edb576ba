import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Monotonic nanoseconds, unaffected by clock changes during a run.
func nowNanoseconds() -> UInt64 {
  var spec = timespec()
  clock_gettime(CLOCK_MONOTONIC, &spec)
  return UInt64(spec.tv_sec) * 1_000_000_000 + UInt64(spec.tv_nsec)
}

/// Peak resident memory, per size where the system allows it.
enum PeakMemory {
  /// Starts a new peak. Linux resets the high-water mark when "5" is written to clear_refs;
  /// elsewhere the peak stays the whole process's, which is why sizes run smallest first.
  /// Returns whether the reset worked.
  @discardableResult
  static func reset() -> Bool {
    #if os(Linux)
    guard let handle = FileHandle(forWritingAtPath: "/proc/self/clear_refs") else {
      return false
    }
    defer { try? handle.close() }
    do {
      try handle.write(contentsOf: Data("5".utf8))
      return true
    } catch {
      return false
    }
    #else
    return false
    #endif
  }

  /// The peak resident set size in bytes: VmHWM on Linux (it honours the reset), else
  /// getrusage's ru_maxrss.
  static func peakBytes() -> UInt64 {
    #if os(Linux)
    if let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) {
      for line in status.split(separator: "\n") where line.hasPrefix("VmHWM:") {
        let digits = line.filter(\.isNumber)
        if let kibibytes = UInt64(digits) { return kibibytes * 1024 }
      }
    }
    #endif
    var usage = rusage()
    #if os(Linux)
    getrusage(__rusage_who_t(RUSAGE_SELF.rawValue), &usage)
    return UInt64(usage.ru_maxrss) * 1024
    #else
    getrusage(RUSAGE_SELF, &usage)
    return UInt64(usage.ru_maxrss)
    #endif
  }
}

/// The median, minimum and maximum of a set of timings.
struct Summary: Codable {
  var median: Double
  var min: Double
  var max: Double

  init(_ values: [Double]) {
    let sorted = values.sorted()
    let middle = sorted.count / 2
    median =
      sorted.isEmpty
      ? 0 : sorted.count % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2
    min = sorted.first ?? 0
    max = sorted.last ?? 0
  }
}
