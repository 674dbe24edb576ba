/// An A3-style one-page report of one interview (METHOD.md §3): title, background, current
/// condition, target, analysis, countermeasures and plan, follow-up.
///
/// Every box is filled from the answers by the guide's tags, never by invention: the current
/// condition is the customer's own words section by section; the target is what they said about
/// purpose and measures; the analysis is the interviewer's own assessments with their quotes; the
/// plan is the next steps in the customer's words and the promises made — not every proposal a
/// rule made, since the salesperson chooses the countermeasures.
public struct A3Report: Sendable, Equatable, Codable {
  /// One line of a box: a label (a question, a field) and what goes with it.
  public struct Item: Sendable, Equatable, Codable {
    public var label: String
    public var text: String
    /// The question it comes from, when it does.
    public var q: String?
    /// A quiet addition: a skip's reason, notes filed under the question, an earlier version.
    public var detail: [String]

    public init(label: String, text: String, q: String? = nil, detail: [String] = []) {
      self.label = label
      self.text = text
      self.q = q
      self.detail = detail
    }
  }

  /// A titled group of lines inside a box.
  public struct Group: Sendable, Equatable, Codable {
    public var title: String
    public var items: [Item]
  }

  /// One of the four forces as the interviewer assessed it, with the customer's words.
  public struct Force: Sendable, Equatable, Codable {
    public var name: String
    public var assessed: [Item]
    public var quotes: [Item]
  }

  /// What came of the interview, as recorded after it (`gemba outcome`).
  public struct Outcome: Sendable, Equatable, Codable {
    public var status: String
    public var text: String?
    public var by: String?
    public var t: String

    public init(status: String, text: String?, by: String?, t: String) {
      self.status = status
      self.text = text
      self.by = by
      self.t = t
    }
  }

  /// A coach's comment beside the transcript.
  public struct Comment: Sendable, Equatable, Codable {
    /// The question at the event it is anchored to, when any.
    public var q: String?
    /// `praise`, `missed`, `try-next`; absent for a plain comment.
    public var kind: String?
    public var text: String
    public var by: String?
    public var t: String

    public init(q: String?, kind: String?, text: String, by: String?, t: String) {
      self.q = q
      self.kind = kind
      self.text = text
      self.by = by
      self.t = t
    }
  }

  public var title: String
  /// The transcript's file name.
  public var transcript: String
  public var background: [Item]
  public var currentCondition: [Group]
  /// Notes not filed under a question.
  public var notes: [String]
  public var target: [Item]
  public var forces: [Force]
  public var analysis: [Group]
  public var nextSteps: [Item]
  public var promises: [InterviewRecord.Promise]
  public var plan: [Item]
  public var followUp: [Item]
  public var outcomes: [Outcome]
  /// Coach comments: absent unless asked for.
  public var comments: [Comment]?
  public var time: [InterviewRecord.SectionTime]
  /// The interview did not end: what is here is what was said so far.
  public var isFinished: Bool

  static let forceTags = ["push", "pull", "anxiety", "habit"]
  static let targetTags: Set = ["purpose", "outcome", "measure"]
  static let demandTags: Set = ["demand", "value-demand", "failure-demand"]
  static let edgeTags: Set = ["edge-of-use", "workaround"]
  static let standingTags: Set = ["supplier-hierarchy", "hierarchy", "trust"]
  static let learningTags: Set = ["expectation", "hypothesis", "learning"]
  static let stepTags: Set = ["next-step", "promise"]

  /// The report of `record`, from the transcript file `transcript`, with what was recorded about
  /// it afterwards; `comments` nil leaves the coach's comments out.
  public init(
    _ record: InterviewRecord, transcript: String, outcomes: [Outcome] = [],
    comments: [Comment]? = nil
  ) {
    let customer = record.customer ?? "an unnamed customer"
    title = "\(record.guideTitle) with \(customer), \(record.day)"
    self.transcript = transcript
    isFinished = record.isFinished
    time = record.sections
    promises = record.promises
    self.outcomes = outcomes
    self.comments = comments
    notes = record.notes

    var background = [Item(label: "Customer", text: customer)]
    var present: [String] = []
    if let interviewer = record.interviewer { present.append("\(interviewer) (interviewer)") }
    present += record.with
    if !present.isEmpty {
      background.append(Item(label: "Who was there", text: present.joined(separator: ", ")))
    }
    if let interviewer = record.interviewer {
      background.append(Item(label: "Interviewer", text: interviewer))
    }
    let clock = record.started.dropFirst(11).prefix(5)
    background.append(Item(label: "Date", text: "\(record.day) \(clock) UTC"))
    var guide = record.guideTitle
    if let version = record.guideVersion { guide += " \(version)" }
    if let method = record.guideMethod { guide += " (\(method))" }
    background.append(Item(label: "Guide", text: guide))
    var length = "\(A3Report.minutes(record.seconds)) used"
    if let planned = record.plannedMinutes { length += " of \(planned) min planned" }
    if !record.isFinished { length += "; the interview has not ended" }
    background.append(Item(label: "Length", text: length))
    for row in record.rows where row.part == .before {
      background.append(Self.item(row))
    }
    self.background = background

    var groups: [Group] = []
    for section in record.sections where section.part == .customer {
      let items = record.rows(in: section.title).map(Self.item)
      if !items.isEmpty { groups.append(Group(title: section.title, items: items)) }
    }
    currentCondition = groups

    let customerRows = record.rows.filter { $0.part == .customer && $0.status != .skipped }
    let debrief = record.rows.filter { $0.part == .after && $0.status != .skipped }
    func tagged(_ rows: [InterviewRecord.Row], _ tags: Set<String>) -> [InterviewRecord.Row] {
      rows.filter { !tags.isDisjoint(with: $0.tags) }
    }
    target =
      tagged(customerRows, Self.targetTags).map(Self.item)
      + tagged(debrief, Self.targetTags).filter(\.isAssessment).map(Self.item)

    forces = Self.forceTags.compactMap { tag in
      let rows = debrief.filter { $0.tags.contains(tag) }
      let assessed = rows.filter(\.isAssessment).map(Self.item)
      let quotes = rows.filter { !$0.isAssessment && $0.kind == "text" }.map(Self.item)
      if assessed.isEmpty && quotes.isEmpty { return nil }
      return Force(
        name: tag.prefix(1).uppercased() + tag.dropFirst(), assessed: assessed, quotes: quotes)
    }
    var analysis: [Group] = []
    let forceRows = Set(debrief.filter { !Set(Self.forceTags).isDisjoint(with: $0.tags) }.map(\.id))
    let struggle = debrief.filter { $0.tags.contains("struggle") && !forceRows.contains($0.id) }
    if !struggle.isEmpty {
      analysis.append(Group(title: "Struggling moment", items: struggle.map(Self.item)))
    }
    let demand =
      tagged(debrief, Self.demandTags) + tagged(customerRows, ["failure-demand"])
    if !demand.isEmpty { analysis.append(Group(title: "Demand", items: demand.map(Self.item))) }
    let edges = tagged(customerRows, Self.edgeTags)
    if !edges.isEmpty {
      analysis.append(Group(title: "Edges of use", items: edges.map(Self.item)))
    }
    let standing = tagged(debrief, Self.standingTags)
    if !standing.isEmpty {
      analysis.append(Group(title: "Where we stand", items: standing.map(Self.item)))
    }
    let learning = tagged(debrief, Self.learningTags).filter {
      Self.stepTags.isDisjoint(with: $0.tags)
    }
    if !learning.isEmpty {
      analysis.append(
        Group(title: "Expected against what happened", items: learning.map(Self.item)))
    }
    self.analysis = analysis

    let steps = tagged(debrief, Self.stepTags)
    // A next step made a promise is shown as the promise, with its terms.
    let promised = Set(record.promises.compactMap(\.q))
    nextSteps = steps.filter { $0.kind == "text" && !promised.contains($0.id) }.map {
      Item(label: "", text: $0.raw ?? "", q: $0.id)
    }
    plan = steps.filter { $0.kind != "text" }.map(Self.item)

    var followUp: [Item] = []
    for promise in record.promises where promise.answer != "no" {
      followUp.append(
        Item(
          label: "Check by \(promise.due ?? "the next meeting")", text: promise.text,
          detail: promise.owner.map { ["owner: \($0)"] } ?? []))
    }
    // A date already checked as a promise's is not listed twice.
    let promiseDates = Set(record.promises.compactMap(\.due))
    for row in steps where row.kind == "date" && !promiseDates.contains(row.reading ?? "") {
      followUp.append(
        Item(label: "Check on \(row.reading ?? row.raw ?? "")", text: row.question, q: row.id))
    }
    for row in record.rows where row.part == .customer && row.status == .skipped {
      followUp.append(
        Item(
          label: "Ask next time", text: row.question, q: row.id,
          detail: row.skipReason.map { ["skipped: \($0)"] } ?? ["skipped"]))
    }
    for id in record.openRequired {
      followUp.append(
        Item(label: "Still open", text: "required question '\(id)' was left open", q: id))
    }
    self.followUp = followUp
  }

  /// A row as a line: its question and what was said, or that it was skipped.
  static func item(_ row: InterviewRecord.Row) -> Item {
    var detail: [String] = []
    var text: String
    switch row.status {
    case .answered:
      text = row.kind == "text" || row.reading == nil ? (row.raw ?? "") : (row.reading ?? "")
      if row.reading == nil, row.kind != "text" { detail.append("kept in their words") }
    case .covered:
      text = row.raw ?? ""
      detail.append("answered in passing")
    case .skipped:
      text = ""
      detail.append(row.skipReason.map { "skipped: \($0)" } ?? "skipped")
    }
    if !row.revisions.isEmpty {
      detail.append("edited; first said: \(row.revisions[0])")
    }
    detail += row.notes.map { "note: \($0)" }
    return Item(label: row.question, text: text, q: row.id, detail: detail)
  }

  /// `38 min`, `0:42 min` under a minute... in whole minutes and seconds: `12:05`.
  static func minutes(_ seconds: Double) -> String {
    let total = Int(seconds.rounded())
    let rest = total % 60
    return "\(total / 60):\(rest < 10 ? "0" : "")\(rest) min"
  }
}
