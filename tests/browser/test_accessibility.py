"""axe-core (tests/browser/vendor, a test asset never served to users) on the main pages of every demo role:
no serious or critical WCAG 2.1 A/AA violation, on a wide screen and on a phone."""

from __future__ import annotations

from pathlib import Path

import pytest

from .helpers import menu_hrefs, session

pytestmark = pytest.mark.browser

AXE = (Path(__file__).parent / "vendor" / "axe-core-4.14.1.min.js").read_text(encoding="utf-8")
ROLES = ["pegawai", "atasan", "kabid", "kepegawaian", "operator", "verifikator", "pejabat", "admin"]
RUN = """async () => {
  const result = await axe.run(document, {runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']},
                                          resultTypes: ['violations']});
  return result.violations.filter(v => v.impact === 'serious' || v.impact === 'critical')
    .map(v => ({id: v.id, impact: v.impact, nodes: v.nodes.slice(0, 3).map(n => n.target.join(' ') + ' :: ' + n.failureSummary.split('\\n').slice(1, 2).join(''))}));
}"""


def axe_violations(page) -> list[dict]:
    # Evaluated through the DevTools protocol, so the page's Content-Security-Policy does not refuse it.
    if not page.evaluate("() => typeof axe !== 'undefined'"):
        page.evaluate(AXE + "\n;0")
    return page.evaluate(RUN)


@pytest.mark.parametrize("username", ROLES)
@pytest.mark.parametrize("width", [1280, 390])
def test_main_pages_have_no_serious_accessibility_violations(browser, live_server, username, width):
    context, page = session(browser, live_server, username, js=True, viewport={"width": width, "height": 900})
    try:
        found = {}
        for href in menu_hrefs(page):
            page.goto(href)
            violations = axe_violations(page)
            if violations:
                found[href] = violations
        assert not found, f"axe-core violations for {username} at {width} px: {found}"
    finally:
        context.close()


# Every badge and tag style of app.css, on the backgrounds they sit on (a page, a card, a muted line, a table row).
TAG_STYLES = [
    "badge",
    "tag",
    "tag tag-ok",
    "tag tag-warn",
    "tag tag-bad",
    "tag status-disetujui",
    "tag status-diajukan",
    "tag status-dikembalikan",
    "tag status-diganti",
]
PROBE = """styles => {
  const box = document.createElement('div');
  box.id = 'contrast-probe';
  for (const parent of ['p', 'p.muted', 'article.card', 'small.muted']) {
    const [tag, cls] = parent.split('.');
    const holder = document.createElement(tag);
    if (cls) holder.className = cls;
    for (const style of styles) {
      const span = document.createElement('span');
      span.className = style;
      span.textContent = 'Contoh ' + style;
      holder.append(span, ' ');
    }
    box.append(holder);
  }
  document.querySelector('main').prepend(box);
}"""


def test_badges_and_tags_have_a_contrast_of_at_least_4_5(browser, live_server):
    context, page = session(browser, live_server, "pegawai", js=True)
    try:
        page.evaluate(PROBE, TAG_STYLES)
        page.evaluate(AXE + "\n;0")
        result = page.evaluate(
            """async () => (await axe.run('#contrast-probe', {runOnly: ['color-contrast']})).violations
                 .flatMap(v => v.nodes.map(n => n.target.join(' ') + ' ' + n.any.map(c => c.message).join('')))"""
        )
        assert result == []
        ratios = page.evaluate(
            """() => [...document.querySelectorAll('#contrast-probe span')].map(el => getComputedStyle(el).backgroundColor)"""
        )
        assert "rgba(0, 0, 0, 0)" not in ratios  # every probe really has its own background
    finally:
        context.close()
