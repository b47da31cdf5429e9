"""Old addresses in Chromium: an imported column's old link, anchor and all, lands on the
new page and the comment it pointed at."""

from __future__ import annotations

import shutil
from pathlib import Path

from sovet import cli
from tests.browser.conftest import Watched
from tests.conftest import run_build
from tests.importers.exports import wordpress_export
from tests.publishing.test_serve_built import serving_built

OLD_PATH = "/blog/2015/02/27/%D0%BE%D0%BF%D0%BB%D0%B0%D1%82%D0%B0-%D0%BF%D0%BE%D1%81%D0%BB%D0%B5-%D1%81%D0%B4%D0%B0%D1%87%D0%B8/"


def test_an_old_link_lands_on_its_comment(watched: Watched, tmp_path: Path) -> None:
    site = tmp_path / "column"
    assert cli.main(["init", str(site), "-q"]) == 0
    shutil.rmtree(site / "content/advice")
    export = tmp_path / "export.xml"
    export.write_bytes(wordpress_export())
    assert run_build("import", "wordpress", str(export), "--site", str(site)).returncode == 0
    assert run_build("build", "--site", str(site), "-q").returncode == 0
    page = watched.page
    with serving_built(site) as port:
        base = f"http://127.0.0.1:{port}"
        page.goto(f"{base}{OLD_PATH}#comment-55")
        page.wait_for_url(f"{base}/advice/oplata-posle-sdachi/#comment-55")
        comment = page.locator("#comment-olga-55")
        assert comment.is_visible() and "Звонок работает" in comment.inner_text()
        assert (
            page.evaluate("document.getElementById('comment-55').getBoundingClientRect().top") < 400
        )
        page.goto(f"{base}/blog/%D0%BE-%D0%BA%D0%BE%D0%BB%D0%BE%D0%BD%D0%BA%D0%B5/")
        page.wait_for_url(f"{base}/o-kolonke/")  # a WordPress page, now a page
    assert watched.console_errors == []
