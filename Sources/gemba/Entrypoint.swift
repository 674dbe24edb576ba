import GembaCommands

@main
enum Entrypoint {
  static func main() {
    GembaCommand.main()
  }
}
