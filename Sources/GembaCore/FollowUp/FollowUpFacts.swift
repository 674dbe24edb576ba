/// Facts about last time's promises that rules can test like answers: how many a follow-up
/// meeting checked, and what came of them (`when: promises_not_done >= 1`).
///
/// They are worked out from the answers to the Check part (``FollowUpCheck``); in a meeting
/// without one every count is 0. A rule file names them without any guide defining them.
public enum FollowUpFacts {
  /// Every fact, with what it counts (for the rule checker and the documentation).
  public static let all: [(name: String, meaning: String)] = [
    ("promises_checked", "promises from earlier meetings this meeting checks"),
    ("promises_overdue", "of those, past their date before this meeting and not declared done"),
    ("promises_done", "declared done by the customer"),
    ("promises_not_done", "that did not happen"),
    ("promises_changed", "agreed differently"),
    ("promises_released", "the customer no longer needs"),
    ("promises_adopted", "checked with adopt"),
    ("promises_adapted", "checked with adapt"),
    ("promises_abandoned", "checked with abandon"),
  ]

  /// The names of the facts.
  public static let names: Set<String> = Set(all.map(\.name))

  /// Whether `name` is a follow-up fact.
  public static func isFact(_ name: String) -> Bool { names.contains(name) }

  /// The slots of the Check part in `guide`: the numbers `n` of its `check_n_status` questions.
  public static func slots(in guide: Guide) -> [Int] {
    guide.questions.compactMap { question in
      guard let (slot, field) = FollowUpCheck.slot(of: question.id), field == "status" else {
        return nil
      }
      return slot
    }
  }

  /// The facts for an interview with Check part `slots`, on the interview's day `today`.
  public static func values(
    slots: [Int], state: InterviewState, computed: [String: Value], today: Day
  ) -> [String: Value] {
    var counts = Dictionary(uniqueKeysWithValues: all.map { ($0.name, 0) })
    counts["promises_checked"] = slots.count
    for slot in slots {
      let status = choice(state, FollowUpCheck.statusID(slot))
      switch status {
      case "done": counts["promises_done", default: 0] += 1
      case "not_done": counts["promises_not_done", default: 0] += 1
      case "changed": counts["promises_changed", default: 0] += 1
      case "released": counts["promises_released", default: 0] += 1
      default: break
      }
      switch choice(state, FollowUpCheck.actID(slot)) {
      case "adopt": counts["promises_adopted", default: 0] += 1
      case "adapt": counts["promises_adapted", default: 0] += 1
      case "abandon": counts["promises_abandoned", default: 0] += 1
      default: break
      }
      if case .date(let due)? = computed[FollowUpCheck.dueName(slot)], due < today,
        status != "done", status != "released"
      {
        counts["promises_overdue", default: 0] += 1
      }
    }
    return counts.mapValues { .number(Double($0)) }
  }

  /// The facts of a meeting with no Check part: every count 0.
  public static let none: [String: Value] = Dictionary(
    uniqueKeysWithValues: all.map { ($0.name, Value.number(0)) })

  private static func choice(_ state: InterviewState, _ id: String) -> String? {
    if case .choice(let value)? = state.answers[id]?.value { return value }
    return nil
  }
}
