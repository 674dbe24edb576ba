import Foundation

/// Work started on another thread at once, whose result is waited for when it is needed.
final class Background<Value: Sendable>: @unchecked Sendable {
  private let done = NSCondition()
  // Written once by the worker under `done`, read under it once written.
  private var value: Value?

  init(_ work: @escaping @Sendable () -> Value) {
    Thread.detachNewThread { [self] in
      let result = work()
      done.lock()
      value = result
      done.broadcast()
      done.unlock()
    }
  }

  /// Whether the work has finished, without waiting for it.
  var isFinished: Bool {
    done.lock()
    defer { done.unlock() }
    return value != nil
  }

  /// The result, waiting for the work to finish if it has not yet.
  func result() -> Value {
    done.lock()
    defer { done.unlock() }
    while true {
      if let value { return value }
      done.wait()
    }
  }
}
