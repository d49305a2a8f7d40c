"""Accessibility and HTML checks of every page a browser test visits.

The `page` fixture of tests/conftest.py wraps Playwright's page with `PageChecks`: each time a
document finishes loading, and after each htmx swap, the page hands its HTML (the DOM as it is
then) to Python. At the test's teardown each snapshot is opened again in a fresh tab of the same
browser, with the portal's static files (CSS, fonts, images) but no script and no other request,
so that what is checked is exactly what the person saw, nothing moves while it is checked and
the test's own clicks never race the checker:

- axe-core (the npm package pinned in package-lock.json, injected from node_modules) runs the
  WCAG 2.0/2.1 A and AA rules at 1280 px and again at 375 px, where the page must not be wider
  than the screen either;
- the Nu HTML checker (npm `vnu-jar`, on Debian's Java) validates every snapshot in one batch;
- the words a person reads are checked as tests/test_page_words.py checks the server's pages
  (tests/page_words.py): no English, no "None", no ISO date, no word repeated in brackets.

Any finding fails the test at teardown with the list. Both tools are installed by
`scripts/bootstrap.sh --browser` (what `make test` runs); nothing is downloaded at run time.
"""

import json
import re
import shutil
import subprocess
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from tests.page_words import problems_of, red_zero_badges, visible_text

ROOT = Path(__file__).resolve().parent.parent
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
VNU = ROOT / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
WIDTHS = (1280, 375)
MISSING_TOOLS = "run scripts/bootstrap.sh --browser (npm ci installs axe-core and vnu-jar)"
# The checker runs a few seconds per test: the client compiler only and one GC thread take a
# quarter of the CPU the default JVM spends (measured: 40 pages in 2.6 s instead of 6.2 s of
# CPU; a long-running checker service was dearer still, it reads the whole HTML spec at start
# and spends more per page). The client compiler's frames are larger: the schema's recursion
# needs more than the default stack, which the checker reports with no result at all.
VNU_JAVA_OPTIONS = ["-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xss16m"]

# Sends the document to Python after every load and every htmx swap. Static script: the
# snapshot is taken synchronously, so a navigation right after cannot lose it.
SNAPSHOT_SCRIPT = """
(() => {
  const send = (why) => {
    if (!window.pkA11ySnapshot || !document.documentElement) return;
    window.pkA11ySnapshot(location.href, why,
      "<!DOCTYPE html>\\n" + document.documentElement.outerHTML);
  };
  window.addEventListener("load", () => send("load"));
  document.addEventListener("htmx:afterSettle", () => send("htmx"));
})();
"""

AXE_RUN = """
async (tags) => {
  const result = await axe.run(document, {runOnly: {type: "tag", values: tags},
                                          resultTypes: ["violations"]});
  return result.violations.map(v => ({
    id: v.id, impact: v.impact, help: v.help,
    nodes: v.nodes.map(n => n.target.join(" ") + ": " + (n.failureSummary || "")
      .replace(/\\s+/g, " ").slice(0, 300)),
  }));
}
"""

# A page wider than the screen makes people scroll sideways to read every line (WCAG 1.4.10).
OVERFLOW = "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"

# Tokens change on every page: two snapshots that differ only there are the same page.
TOKENS = re.compile(r'(csrfmiddlewaretoken" value="|X-CSRFToken&quot;: &quot;|X-CSRFToken": ")'
                    r'[^"&]+')  # fmt: skip


@dataclass
class Snapshot:
    url: str
    why: str
    html: str


@dataclass
class PageChecks:
    snapshots: list[Snapshot] = field(default_factory=list)
    seen: set[str] = field(default_factory=set)

    def record(self, source, url, why, html):
        frame = source.get("frame") if source else None
        if frame is not None and frame.parent_frame is not None:
            return  # a framed document (the review page's PDF) is the browser's viewer
        key = TOKENS.sub(r"\1", html)
        if key not in self.seen:
            self.seen.add(key)
            self.snapshots.append(Snapshot(url, why, html))

    def attach(self, page):
        if not AXE.exists() or not VNU.exists():
            raise RuntimeError(f"axe-core or vnu-jar is missing: {MISSING_TOOLS}")
        page.expose_binding("pkA11ySnapshot", self.record)
        page.add_init_script(script=SNAPSHOT_SCRIPT)

    def axe_findings(self, context) -> list[str]:
        """Opens each snapshot again (static files only, no script) and runs axe-core at each
        width; returns one line per violation and element."""
        findings = []
        replay = context.new_page()
        current = {}

        def serve(route):
            request = route.request
            if request.is_navigation_request():
                route.fulfill(status=200, content_type="text/html; charset=utf-8",
                              body=current["html"])  # fmt: skip
            elif "/static/" in request.url and not request.url.endswith(".js"):
                route.continue_()
            else:
                route.abort()

        replay.route("**/*", serve)
        try:
            for snapshot in self.snapshots:
                current["html"] = snapshot.html
                replay.set_viewport_size({"width": WIDTHS[0], "height": 900})
                replay.goto(snapshot.url, wait_until="load")
                replay.add_script_tag(path=str(AXE))
                where = f"{snapshot.url} ({snapshot.why})"
                for width in WIDTHS:
                    replay.set_viewport_size({"width": width, "height": 900})
                    for violation in replay.evaluate(AXE_RUN, AXE_TAGS):
                        findings.extend(
                            f"{where} at {width} px: {violation['id']} ({violation['impact']}) "
                            f"{violation['help']} — {node}"
                            for node in violation["nodes"]
                        )
                    if width < WIDTHS[0] and (extra := replay.evaluate(OVERFLOW)) > 0:
                        findings.append(f"{where} at {width} px: the page is {extra} px wider "
                                        "than the screen")  # fmt: skip
        finally:
            replay.close()
        return findings

    def html_findings(self) -> list[str]:
        """Validates every snapshot with the Nu HTML checker in one run; one line per error."""
        if not self.snapshots:
            return []
        java = shutil.which("java")
        if java is None:
            raise RuntimeError("java is missing: " + MISSING_TOOLS)
        with tempfile.TemporaryDirectory(prefix="pk-vnu-") as folder:
            names = {}
            for number, snapshot in enumerate(self.snapshots):
                path = Path(folder) / f"page-{number:03d}.html"
                path.write_text(snapshot.html, encoding="utf-8")
                names[path.resolve().as_uri()] = snapshot
            done = subprocess.run(
                [java, *VNU_JAVA_OPTIONS, "-jar", str(VNU), "--format", "json", "--exit-zero-always", "--errors-only",
                 *[str(Path(folder) / Path(name).name) for name in names]],
                capture_output=True, text=True, check=True,
            )  # fmt: skip
        try:
            messages = json.loads(done.stderr or done.stdout)["messages"]
        except ValueError as exc:
            raise RuntimeError(f"the Nu HTML checker gave no report: {done.stderr}") from exc
        findings = []
        for message in messages:
            if message.get("type") != "error":
                continue
            snapshot = names.get(message.get("url", "").replace("file:/", "file:///", 1))
            where = f"{snapshot.url} ({snapshot.why})" if snapshot else message.get("url")
            findings.append(f"{where} line {message.get('lastLine')}: {message['message']} "
                            f"[{message.get('extract', '').strip()[:120]}]")  # fmt: skip
        return findings

    def word_findings(self) -> list[str]:
        """One line per English word or raw value in the text of each snapshot."""
        return [
            f"{snapshot.url} ({snapshot.why}): {problem}"
            for snapshot in self.snapshots
            for problem in problems_of(visible_text(snapshot.html)) + red_zero_badges(snapshot.html)
        ]
