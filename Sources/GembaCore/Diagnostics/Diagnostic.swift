/// How serious a diagnostic is.
public enum Severity: String, Sendable, Codable, Comparable {
  case note
  case warning
  case error

  private var rank: Int {
    switch self {
    case .note: 0
    case .warning: 1
    case .error: 2
    }
  }

  public static func < (lhs: Severity, rhs: Severity) -> Bool { lhs.rank < rhs.rank }
}

/// One problem found in a guide or rule file.
///
/// Messages are lowercase, with no trailing period, name things in 'quotes', and say how to fix
/// the problem where that is possible:
///
///     customer-purpose.guide:12:6: error: jump to unknown section 'Grwoth'; did you mean 'Growth'? [G105]
public struct Diagnostic: Sendable, Hashable, Codable {
  /// A further remark attached to a diagnostic, optionally pointing at another place.
  public struct Note: Sendable, Hashable, Codable {
    public var message: String
    public var range: SourceRange?

    public init(_ message: String, at range: SourceRange? = nil) {
      self.message = message
      self.range = range
    }
  }

  public var code: DiagnosticCode
  public var severity: Severity
  public var message: String
  public var range: SourceRange
  public var notes: [Note]
  /// Text that could replace the range to fix the problem (for editors).
  public var fixIt: String?

  public init(
    _ code: DiagnosticCode, _ message: String, at range: SourceRange, notes: [Note] = [],
    fixIt: String? = nil, severity: Severity? = nil
  ) {
    self.code = code
    self.severity = severity ?? code.severity
    self.message = message
    self.range = range
    self.notes = notes
    self.fixIt = fixIt
  }
}

extension Array where Element == Diagnostic {
  /// Whether any diagnostic is an error.
  public var hasErrors: Bool { contains { $0.severity == .error } }

  /// The diagnostics in file, line and column order, keeping the order of equal places.
  public func sortedByLocation() -> [Diagnostic] {
    enumerated().sorted { a, b in
      if a.element.range.start != b.element.range.start {
        return a.element.range.start < b.element.range.start
      }
      return a.offset < b.offset
    }.map(\.element)
  }
}
