import Foundation
import Testing

/// Runs the built `gemba` binary as a user would, and captures what it prints.
struct BinaryRunner {
  struct Output {
    var status: Int32
    var stdout: String
    var stderr: String
  }

  /// The folder that holds the test runner and the products built with it.
  static var productsFolder: URL {
    URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
  }

  static var binary: URL { productsFolder.appendingPathComponent("gemba") }

  static var repositoryRoot: URL {
    URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
      .deletingLastPathComponent()
  }

  /// Runs `gemba` with `arguments` in `folder`, with `input` on standard input.
  static func run(
    _ arguments: [String], in folder: URL? = nil, input: String = "",
    environment: [String: String] = [:]
  ) throws -> Output {
    let process = Process()
    process.executableURL = binary
    process.arguments = arguments
    process.currentDirectoryURL = folder ?? repositoryRoot
    process.environment = testEnvironment(environment)
    let stdin = Pipe()
    let stdout = Pipe()
    let stderr = Pipe()
    process.standardInput = stdin
    process.standardOutput = stdout
    process.standardError = stderr
    try process.run()
    stdin.fileHandleForWriting.write(Data(input.utf8))
    try stdin.fileHandleForWriting.close()
    // Read both pipes to the end before waiting, so a large output cannot block the child.
    let group = DispatchGroup()
    nonisolated(unsafe) var errorData = Data()
    group.enter()
    DispatchQueue.global().async {
      errorData = stderr.fileHandleForReading.readDataToEndOfFile()
      group.leave()
    }
    let outputData = stdout.fileHandleForReading.readDataToEndOfFile()
    group.wait()
    process.waitUntilExit()
    return Output(
      status: process.terminationStatus,
      stdout: String(decoding: outputData, as: UTF8.self),
      stderr: String(decoding: errorData, as: UTF8.self))
  }

  /// The environment a test runs `gemba` in: no colour, none of the developer's settings, and
  /// `extra` on top.
  static func testEnvironment(_ extra: [String: String] = [:]) -> [String: String] {
    var environment = ProcessInfo.processInfo.environment
    environment["NO_COLOR"] = "1"
    // The developer's own settings file must not change what the tests see.
    environment["GEMBA_CONFIG"] =
      FileManager.default.temporaryDirectory.appendingPathComponent(
        "gemba-tests-have-no-settings.toml"
      ).path
    for (key, value) in extra { environment[key] = value }
    return environment
  }

  /// Starts `gemba arguments` in `folder`, as `run` does, but returns at once: for a test that
  /// writes to it while it runs, kills it or stops it. `executable` replaces `gemba` with a
  /// program that starts it (a shell that sets a limit first).
  static func start(
    _ arguments: [String], in folder: URL? = nil, executable: URL? = nil
  ) throws -> RunningProgram {
    let running = RunningProgram()
    let process = running.process
    process.executableURL = executable ?? binary
    process.arguments = arguments
    process.currentDirectoryURL = folder ?? repositoryRoot
    process.environment = testEnvironment()
    let input = Pipe()
    let output = Pipe()
    let errors = Pipe()
    process.standardInput = input
    process.standardOutput = output
    process.standardError = errors
    running.input = input.fileHandleForWriting
    running.output.attach(output)
    running.errors.attach(errors)
    try process.run()
    return running
  }

  /// A new empty folder under the system's temporary folder.
  static func temporaryFolder() throws -> URL {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent(
      "gemba-test-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
  }
}

/// A program a test started with `BinaryRunner.start`: what to write to, and what it printed.
final class RunningProgram {
  let process = Process()
  /// Its standard input.
  fileprivate(set) var input = FileHandle.nullDevice
  let output = OutputCollector()
  let errors = OutputCollector()

  /// Writes `text` to its standard input.
  func write(_ text: String) {
    input.write(Data(text.utf8))
  }
}

/// Collects a child's output as it arrives, from another thread.
final class OutputCollector: @unchecked Sendable {
  // All access goes through `lock`: the pipe's handler runs on a dispatch thread.
  private let lock = NSLock()
  private var data = Data()
  private var ended = false

  func attach(_ pipe: Pipe) {
    pipe.fileHandleForReading.readabilityHandler = { [weak self] handle in
      let chunk = handle.availableData
      guard let self else { return }
      self.lock.lock()
      if chunk.isEmpty {
        self.ended = true
        handle.readabilityHandler = nil
      } else {
        self.data.append(chunk)
      }
      self.lock.unlock()
    }
  }

  /// Waits until the writer has closed the pipe and everything it wrote has been collected: a
  /// process can exit before its last output has reached the handler.
  func waitForEnd(seconds: TimeInterval = 30) {
    let deadline = Date().addingTimeInterval(seconds)
    while Date() < deadline {
      lock.lock()
      let done = ended
      lock.unlock()
      if done { return }
      Thread.sleep(forTimeInterval: 0.005)
    }
  }

  var text: String {
    lock.lock()
    defer { lock.unlock() }
    return String(decoding: data, as: UTF8.self)
  }

  /// Question lines printed so far (they start with the section in brackets).
  var questionsShown: Int {
    text.split(separator: "\n").filter { $0.hasPrefix("[") }.count
  }
}
