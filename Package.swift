// swift-tools-version:6.0
import PackageDescription

let package = Package(
  name: "gemba",
  platforms: [.macOS(.v13)],
  products: [
    .executable(name: "gemba", targets: ["gemba"])
  ],
  dependencies: [
    .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2")
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
    // TTY and colour detection, file loading and the line editor behind a protocol.
    .target(name: "GembaTerminal", dependencies: ["GembaCore", "CLibedit"]),

    // MARK: Commands

    // One ParsableCommand per file; the executable only calls into this.
    .target(
      name: "GembaCommands",
      dependencies: [
        "GembaCore",
        "GembaTerminal",
        .product(name: "ArgumentParser", package: "swift-argument-parser"),
      ]
    ),
    // The `gemba` entry point.
    .executableTarget(name: "gemba", dependencies: ["GembaCommands"]),

    // MARK: Tests

    .testTarget(name: "GembaCoreTests", dependencies: ["GembaCore"]),
    .testTarget(
      name: "GembaCommandsTests",
      dependencies: ["GembaCommands", "GembaCore"]
    ),
  ]
)
