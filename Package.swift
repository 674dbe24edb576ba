// swift-tools-version:6.0
import PackageDescription

let package = Package(
  name: "gemba",
  platforms: [.macOS(.v13)],
  products: [
    .executable(name: "gemba", targets: ["gemba"])
  ],
  dependencies: [
    .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
    .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
  ],
  targets: [
    // MARK: Core

    // The guide language, the expression language and diagnostics: pure, no I/O.
    .target(name: "GembaCore"),

    // MARK: Terminal

    // libedit, reached through static inline wrappers for its variadic calls.
    .systemLibrary(
      name: "CLibedit",
      pkgConfig: "libedit",
      providers: [.apt(["libedit-dev"])]
    ),
    // The line editor's key reader and resize handling, in C: a signal handler must be.
    .target(name: "CLineInput", dependencies: ["CLibedit"]),
    // TTY and colour detection, file loading and the line editor behind a protocol.
    .target(name: "GembaTerminal", dependencies: ["GembaCore", "CLibedit", "CLineInput"]),

    // MARK: Index

    // The index stats keep beside transcripts: SQLite through GRDB, rebuilt from the files.
    .target(
      name: "GembaIndex",
      dependencies: ["GembaCore", .product(name: "GRDB", package: "GRDB.swift")]
    ),

    // MARK: Commands

    // One ParsableCommand per file; the executable only calls into this.
    .target(
      name: "GembaCommands",
      dependencies: [
        "GembaCore",
        "GembaTerminal",
        "GembaIndex",
        .product(name: "ArgumentParser", package: "swift-argument-parser"),
      ],
      // The default guides and rules, compiled in so `gemba` works from any folder.
      resources: [
        .embedInCode("Defaults/customer-purpose.guide"),
        .embedInCode("Defaults/jtbd-switch.guide"),
        .embedInCode("Defaults/next-steps.rules"),
        .embedInCode("Defaults/next-steps.test"),
        .embedInCode("Defaults/coaching.rules"),
        .embedInCode("Defaults/coaching.test"),
        .embedInCode("Defaults/coaching.rubric"),
      ]
    ),
    // The `gemba` entry point.
    .executableTarget(name: "gemba", dependencies: ["GembaCommands"]),

    // MARK: Benchmarks

    // Times parsing, checking and drawing generated guides (see Benchmarks/README.md).
    .executableTarget(
      name: "gemba-bench",
      dependencies: ["GembaCore"],
      path: "Benchmarks/GembaBench"
    ),
    // Rule evaluation side by side with other rule engines (see Benchmarks/README.md).
    .executableTarget(
      name: "gemba-rules-bench",
      dependencies: ["GembaCore"],
      path: "Benchmarks/RulesBench"
    ),
    // Writes the transcripts the stats and report benchmark times (see Benchmarks/README.md).
    .executableTarget(
      name: "gemba-stats-bench",
      dependencies: ["GembaCore"],
      path: "Benchmarks/StatsBench"
    ),

    // MARK: Reliability

    // The entry points the fuzzers and the corpus replay test feed untrusted bytes to
    // (Tests/Fuzz/README.md).
    .target(name: "GembaFuzzTargets", dependencies: ["GembaCore"]),

    // MARK: Tests

    // Snapshots and test data shared by the test targets.
    .target(name: "GembaTestSupport", path: "Sources/GembaTestSupport"),
    .testTarget(
      name: "GembaCoreTests", dependencies: ["GembaCore", "GembaFuzzTargets", "GembaTestSupport"],
      exclude: ["Cases"]),
    .testTarget(
      name: "GembaCommandsTests",
      dependencies: ["GembaCommands", "GembaCore", "GembaTerminal", "GembaTestSupport"],
      exclude: ["Cases"]
    ),
  ]
)
