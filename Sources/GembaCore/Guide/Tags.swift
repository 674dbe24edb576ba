/// The method concepts a guide's `tags:` lines may name without declaring them (METHOD.md).
public enum BuiltInTags {
  public static let all: [String] = [
    "purpose", "measure", "outcome", "value-demand", "failure-demand", "demand", "push", "pull",
    "anxiety", "habit", "struggle", "timeline", "first-thought", "passive-looking",
    "active-looking", "deciding", "first-use", "ongoing-use", "workaround", "edge-of-use", "trust",
    "go-and-see", "next-step", "promise", "expectation", "hypothesis", "hierarchy",
    "supplier-hierarchy", "competitor", "decision-maker", "budget", "risk", "learning",
  ]
}
