/// Gemba's own version, recorded in transcripts and printed by `gemba --version`.
public enum GembaVersion {
  public static let current = "0.1.0"
}
