"""Accessibility checks for any page open in Playwright: axe-core, sideways scroll, tap targets.

Each check returns a list of readable problems (empty when the page passes), so a test can
gather them from many pages and widths and fail once with all of them:

    assert axe_violations(page) == []
    assert sideways_scroll(page) == []
    assert small_tap_targets(page) == []

axe-core is vendored from npm (``vendor/axe``, version in its VERSION file). The pages are
served with a strict Content-Security-Policy (``script-src 'self'``), which blocks what
``page.add_script_tag(path=...)`` does: it inserts the file's text as an inline <script>.
Instead the text runs through ``page.evaluate``, which goes over the DevTools protocol and is
not subject to the page's policy. So the page under test keeps its real policy (unlike a
``bypass_csp=True`` context, which could hide a script the policy blocks), and axe runs.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

AXE_JS = Path(__file__).resolve().parent / "vendor" / "axe" / "axe.min.js"


@cache
def _axe_source() -> str:
    return AXE_JS.read_text(encoding="utf-8")


def axe_violations(page, impacts: tuple[str, ...] = ("serious", "critical")) -> list[str]:
    """axe-core's violations of the given impacts on the page as it is now, one line per node."""
    if not page.evaluate("() => typeof window.axe === 'object'"):
        page.evaluate(_axe_source())
    results = page.evaluate(
        """async () => {
          const result = await axe.run(document, {resultTypes: ["violations"]});
          return result.violations.map((v) => ({
            id: v.id, impact: v.impact, help: v.help,
            nodes: v.nodes.map((n) => ({target: n.target.join(" "), summary: n.failureSummary})),
          }));
        }"""
    )
    problems = []
    for violation in results:
        if violation["impact"] not in impacts:
            continue
        for node in violation["nodes"]:
            summary = " ".join((node["summary"] or "").split())
            problems.append(
                f"{violation['impact']} {violation['id']} ({violation['help']}) at "
                f"{node['target']}: {summary}"
            )
    return problems


_SIDEWAYS = """() => {
  const width = document.documentElement.clientWidth;
  if (document.documentElement.scrollWidth <= width) return [];
  // Name the outermost elements that stick out, not every descendant of them.
  const out = [];
  for (const element of document.body.querySelectorAll("*")) {
    const rect = element.getBoundingClientRect();
    if (rect.right <= width + 0.5 || rect.width === 0) continue;
    if (out.some((outer) => outer.contains(element))) continue;
    out.push(element);
  }
  const describe = (e) => e.tagName.toLowerCase() + (e.id ? "#" + e.id : "")
    + (e.className && typeof e.className === "string"
       ? "." + e.className.trim().split(/\\s+/).join(".") : "")
    + ` (right edge ${Math.round(e.getBoundingClientRect().right)}px)`;
  return [`page is ${document.documentElement.scrollWidth}px wide in a ${width}px window`]
    .concat(out.slice(0, 10).map(describe));
}"""


def sideways_scroll(page) -> list[str]:
    """Why the page scrolls sideways: its width and the elements that stick out; [] if not."""
    return page.evaluate(_SIDEWAYS)


# A target passes when its box is at least min_px in both dimensions, or when a min_px cross
# through its centre lands on it everywhere (padding, a ::after hit area or its <label> count,
# since a tap there activates it). Each target is scrolled to the middle of the window first
# (instantly: Bootstrap makes scrolling smooth, which would measure mid-scroll), since
# elementFromPoint only sees what is in the window. Hidden targets (a collapsed menu, a
# visually-hidden skip link) are not tap targets until they show.
_TAP_TARGETS = """(minPx) => {
  const selector = "a[href], button, input:not([type=hidden]), select, textarea, summary,"
    + " [role=button], [tabindex]:not([tabindex='-1'])";
  const half = minPx / 2 - 0.5;
  const x0 = window.scrollX, y0 = window.scrollY;
  const problems = [];
  const visible = (e) => {
    const style = getComputedStyle(e);
    if (style.visibility === "hidden" || e.closest("[aria-hidden=true], [inert]")) return false;
    const rect = e.getBoundingClientRect();
    return rect.width > 1 && rect.height > 1 && e.checkVisibility({opacityProperty: true});
  };
  const owns = (target, hit) => hit && (target.contains(hit)
    || Array.from(target.labels || []).some((label) => label.contains(hit)));
  const name = (e) => {
    const text = (e.innerText || e.value || e.getAttribute("aria-label") || e.name || "").trim();
    return e.tagName.toLowerCase() + (e.type && e.tagName !== "A" ? `[type=${e.type}]` : "")
      + (e.id ? "#" + e.id : "") + (text ? ` "${text.split(/\\s+/).join(" ").slice(0, 40)}"` : "");
  };
  for (const target of document.querySelectorAll(selector)) {
    if (!visible(target)) continue;
    let rect = target.getBoundingClientRect();
    if (rect.width >= minPx && rect.height >= minPx) continue;
    target.scrollIntoView({block: "center", inline: "center", behavior: "instant"});
    rect = target.getBoundingClientRect();
    // Centre the cross on the control with its labels: a checkbox's row is its target.
    let [left, top, right, bottom] = [rect.left, rect.top, rect.right, rect.bottom];
    for (const label of target.labels || []) {
      const box = label.getBoundingClientRect();
      if (box.width === 0) continue;
      [left, top] = [Math.min(left, box.left), Math.min(top, box.top)];
      [right, bottom] = [Math.max(right, box.right), Math.max(bottom, box.bottom)];
    }
    const cx = (left + right) / 2, cy = (top + bottom) / 2;
    const points = [[cx, cy], [cx - half, cy], [cx + half, cy], [cx, cy - half], [cx, cy + half]];
    const missed = points.filter(([x, y]) => !owns(target, document.elementFromPoint(x, y)));
    if (missed.length) {
      problems.push(`${name(target)} is ${Math.round(rect.width)}x${Math.round(rect.height)}px`
        + ` with no ${minPx}px hit area`);
    }
  }
  window.scrollTo({left: x0, top: y0, behavior: "instant"});
  return problems;
}"""


def small_tap_targets(page, min_px: int = 44) -> list[str]:
    """The visible links, buttons and form controls a finger cannot hit: smaller than min_px."""
    return page.evaluate(_TAP_TARGETS, min_px)


_FOCUS_STEP = """() => {
  if (window.__a11yStart) { window.__a11yStart.remove(); window.__a11yStart = null; }
  const e = document.activeElement;
  if (!e || e === document.body || e === document.documentElement) return null;
  // A date or time input takes several Tabs (day, month, year): the same element again.
  if (e === window.__a11yLast) return {again: false, same: true};
  window.__a11yLast = e;
  if (e.hasAttribute("data-a11y-reached")) return {again: true};
  e.setAttribute("data-a11y-reached", "");
  const style = getComputedStyle(e);
  const outline = style.outlineStyle !== "none" && parseFloat(style.outlineWidth) > 0;
  const ring = style.boxShadow !== "" && style.boxShadow !== "none";
  return {again: false, name: describe(e), shown: outline || ring};
}"""

_UNREACHED = """() => {
  const selector = "a[href], button, input:not([type=hidden]), select, textarea, summary";
  const reachedGroups = new Set(Array.from(
    document.querySelectorAll("input[type=radio][data-a11y-reached]"), (r) => r.name));
  const missed = Array.from(document.querySelectorAll(selector))
    .filter((e) => e.checkVisibility() && !e.disabled && !e.closest("[inert], [aria-hidden=true]"))
    .filter((e) => !e.hasAttribute("data-a11y-reached"))
    // A radio group is one tab stop; the arrow keys move within it.
    .filter((e) => !(e.type === "radio" && reachedGroups.has(e.name)))
    .map((e) => describe(e) + " cannot be reached with Tab");
  // What looks clickable (a pointer cursor) but is neither a control nor inside one: a
  // mouse-only handler, most likely.
  const control = "a[href], button, input, select, textarea, summary, label, [tabindex]";
  for (const e of document.body.querySelectorAll("*")) {
    if (getComputedStyle(e).cursor !== "pointer" || e.closest(control)) continue;
    if (e.parentElement && getComputedStyle(e.parentElement).cursor === "pointer"
        && !e.parentElement.closest(control)) continue;  // named once, at the outermost
    if (!e.checkVisibility()) continue;
    missed.push(describe(e) + " looks clickable but is no link, button or field");
  }
  window.__a11yLast = null;
  for (const e of document.querySelectorAll("[data-a11y-reached]")) {
    e.removeAttribute("data-a11y-reached");
  }
  return missed;
}"""

_DESCRIBE = """const describe = (e) => {
  const text = (e.innerText || e.value || e.getAttribute("aria-label") || e.name || "").trim();
  return e.tagName.toLowerCase() + (e.id ? "#" + e.id : "")
    + (text ? ` "${text.split(/\\s+/).join(" ").slice(0, 40)}"` : "");
};"""


def _with_describe(function: str) -> str:
    return function.replace("() => {", "() => {\n" + _DESCRIBE, 1)


_FOCUS_TOP = """() => {
  const start = document.createElement("span");
  start.tabIndex = -1;
  document.body.prepend(start);
  start.focus({preventScroll: true});
  window.scrollTo({top: 0, behavior: "instant"});
  window.__a11yStart = start;
}"""


def keyboard_focus_problems(page, max_tabs: int = 300) -> list[str]:
    """Tab through the page from the top: each stop must show a focus outline or ring, every
    visible link, button and form control must be reached, and nothing may look clickable
    (a pointer cursor) without being a control: a mouse-only handler."""
    # Start from the top of the page, as on arrival, even where a field has autofocus.
    page.evaluate(_FOCUS_TOP)
    problems = []
    for _ in range(max_tabs):
        page.keyboard.press("Tab")
        step = page.evaluate(_with_describe(_FOCUS_STEP))
        if step is None or step["again"]:
            break
        if step.get("same"):
            continue
        if not step["shown"]:
            problems.append(f"{step['name']} shows no focus outline")
    problems.extend(page.evaluate(_with_describe(_UNREACHED)))
    return problems
