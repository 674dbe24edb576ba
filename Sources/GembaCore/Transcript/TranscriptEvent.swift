/// The first line of a transcript: what was run, with whom, from which guide.
public struct TranscriptHeader: Codable, Sendable, Equatable {
  /// The guide as it was when the interview started, so a replay shows what was asked even after
  /// the guide is edited.
  public struct GuideInfo: Codable, Sendable, Equatable {
    public var title: String
    public var path: String
    public var version: String?
    public var method: String?
    /// SHA-256 of `source`, in lower-case hex.
    public var sha256: String
    /// The full source, includes expanded in place.
    public var source: String

    public init(
      title: String, path: String, version: String?, method: String?, sha256: String,
      source: String
    ) {
      self.title = title
      self.path = path
      self.version = version
      self.method = method
      self.sha256 = sha256
      self.source = source
    }
  }

  public struct Customer: Codable, Sendable, Equatable {
    public var name: String
    /// Case-, accent- and space-insensitive, so a follow-up finds earlier meetings.
    public var key: String

    public init(name: String) {
      self.name = name
      self.key = CustomerKey.make(name)
    }
  }

  public static let formatName = "gemba-transcript"
  public static let currentVersion = 1

  public var format: String = TranscriptHeader.formatName
  public var version: Int = TranscriptHeader.currentVersion
  public var type: String = "header"
  public var id: String
  /// Wall-clock start, ISO 8601 in UTC with milliseconds.
  public var started: String
  public var gemba: String
  public var guide: GuideInfo
  public var customer: Customer?
  public var interviewer: String?
  /// Others present besides the interviewer.
  public var with: [String]
  public var practice: Bool
  /// The meeting's planned length, when given.
  public var minutes: Int?
  /// Rule files in force when the interview started (paths), for proposals.
  public var rules: [String]?
  /// The day the interview counts as, when given (`--as-of`, for tests and replays): answers
  /// such as "today" and due dates are read against it.
  public var asOf: String?
  /// For a follow-up meeting: the promises from earlier meetings its Check part asks about.
  public var followUp: FollowUp?

  public init(
    id: String, started: String, guide: GuideInfo, customer: Customer?, interviewer: String?,
    with: [String] = [], practice: Bool = false, minutes: Int? = nil, rules: [String]? = nil,
    asOf: String? = nil, followUp: FollowUp? = nil
  ) {
    self.id = id
    self.started = started
    self.gemba = GembaVersion.current
    self.guide = guide
    self.customer = customer
    self.interviewer = interviewer
    self.with = with
    self.practice = practice
    self.minutes = minutes
    self.rules = rules
    self.asOf = asOf
    self.followUp = followUp
  }
}

/// Makes the stable customer key: "ACME  Gmbh", "acme gmbh" and "Acmé GmbH" share one.
public enum CustomerKey {
  public static func make(_ name: String) -> String {
    TextFolding.words(name).joined(separator: "-")
  }
}

/// One event of an interview, one line of the transcript after the header.
///
/// Every event has a type, the wall-clock time (`t`) and the milliseconds since the interview
/// started (`ms`, from a monotonic clock, carried on across resumes). Readers ignore fields and
/// event types they do not know, so later versions can add both.
public struct TranscriptEvent: Codable, Sendable, Equatable {
  public enum Kind: String, Codable, Sendable, CaseIterable {
    /// A question was put to the customer; `prompt` holds it as interpolated.
    case shown
    /// `q` was answered: `raw` in the customer's words, `value` as understood (absent when not
    /// understood: `understood` is false).
    case answer
    case skip
    /// The salesperson went back from `from` to `q`.
    case back
    /// The salesperson moved to question `q` or section `section`.
    case goto
    /// `q` was answered in passing (`raw` may hold what was said); it will not be asked.
    case covered
    /// A later revision of `q`'s answer; `offPath` lists answers no longer on the flow's path.
    case edit
    /// A note taken now (`note` is its number, `text` the note), to be filed later.
    case note
    /// Note `note` filed under question `q`.
    case file
    /// Tag `tag` put on question `q` during the interview.
    case tag
    /// Probe number `index` (from 0) of `q` was pulled.
    case probe
    /// The hint of `q` was shown.
    case hint
    /// A question the salesperson asked that is not in the guide (`text`), while at `q`.
    case asked
    /// A rule proposed an action (`rule`, `rulesHash`, `phase`, `text`).
    case proposal
    /// A promise made at the end of the meeting: number `promise`, `text`, `owner`, `due`,
    /// `answer`, `conditions`; `q` or `rule` for where it came from; `replaces` for a promise
    /// from an earlier meeting that was agreed differently.
    case promise
    /// Who is speaking from now on (`who`).
    case speaker
    /// The interview was paused on purpose; it can be resumed.
    case pause
    /// The process was stopped (`signal`); it can be resumed.
    case interrupted
    /// The interview was resumed; `dropped` counts unreadable lines left behind.
    case recovered
    /// The interview ended; `openRequired` lists required questions left open.
    case end
  }

  public var type: Kind
  public var t: String
  public var ms: Int
  public var q: String?
  public var prompt: String?
  public var raw: String?
  public var value: Value?
  public var understood: Bool?
  /// Messages shown with an answer (a constraint's message, a bound exceeded).
  public var warnings: [String]?
  public var reason: String?
  public var from: String?
  public var section: String?
  public var note: Int?
  public var text: String?
  public var tag: String?
  public var index: Int?
  public var offPath: [String]?
  public var who: String?
  public var signal: String?
  public var dropped: Int?
  public var openRequired: [String]?
  public var rule: String?
  public var rulesHash: String?
  public var phase: String?
  public var owner: String?
  public var due: String?
  public var answer: String?
  public var conditions: String?
  /// A promise's number within its interview (from 1).
  public var promise: Int?
  /// The promise a new one replaces: `INTERVIEW-ID#NUMBER`.
  public var replaces: String?

  public init(_ type: Kind, t: String, ms: Int, q: String? = nil) {
    self.type = type
    self.t = t
    self.ms = ms
    self.q = q
  }
}

/// Why a transcript line could not be read.
public struct TranscriptProblem: Sendable, Equatable, CustomStringConvertible {
  public var line: Int
  public var message: String

  public var description: String { "line \(line): \(message)" }

  /// What is said of a last line a crash cut short.
  public static let tornLastLine =
    "the last line was cut short (a write was interrupted); it is left out"

  /// Whether this is a last line cut short, rather than a garbage line in the middle.
  public var isTornLastLine: Bool { message == Self.tornLastLine }
}
