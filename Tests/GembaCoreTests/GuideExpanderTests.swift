import GembaCore
import Testing

@Suite("Expanding includes into the text a transcript carries")
struct GuideExpanderTests {
  private let loader = InMemorySourceLoader([
    "/g/common.guide": "section Common\n  ? role: Your role?\n",
    "/g/loop.guide": "include: loop.guide\n? again: Again?\n",
  ])

  @Test(
    "A guide without includes comes back as it is, ending in a line break",
    arguments: [
      ("", "\n"),
      ("title: T\n", "title: T\n"),
      ("title: T", "title: T\n"),
      ("title: T\n\n? a: A?\n\n", "title: T\n\n? a: A?\n\n"),
      ("// include me, no colon\n", "// include me, no colon\n"),
      ("// no include: line\n", "// no include: line\n"),
    ])
  func withoutIncludes(text: String, expected: String) {
    #expect(GuideExpander.expand(path: "/g/main.guide", text: text, loader: loader) == expected)
  }

  @Test("An include line is replaced by the file it names, marked with where it came from")
  func includeExpanded() {
    let text = "title: T\ninclude: common.guide\n? last: Last?"
    let expanded = GuideExpander.expand(path: "/g/main.guide", text: text, loader: loader)
    #expect(
      expanded
        == "title: T\n// from common.guide\nsection Common\n  ? role: Your role?\n? last: Last?\n")
  }

  @Test("An include that cannot be read, or that includes itself, stays as its line")
  func unreadableAndCyclicIncludesKept() {
    let missing = GuideExpander.expand(
      path: "/g/main.guide", text: "include: nowhere.guide\n", loader: loader)
    #expect(missing == "include: nowhere.guide\n")
    let cyclic = GuideExpander.expand(
      path: "/g/loop.guide", text: "include: loop.guide\n? again: Again?\n", loader: loader)
    #expect(cyclic == "include: loop.guide\n? again: Again?\n")
  }

  @Test("An indented include line is text, not an include")
  func indentedIncludeIsText() {
    let text = "? q: Question?\n  include: common.guide\n"
    #expect(GuideExpander.expand(path: "/g/main.guide", text: text, loader: loader) == text)
  }
}
