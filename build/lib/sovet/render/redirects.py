"""Old addresses that keep working: a redirect page for every alias that is a path, and the
same redirects as server rules for real 301s.

A static file can answer a path (`/2015/02/old-slug/`) but not a query (`/?p=123`), so every
alias also goes into three rule files the server is pointed at: `_redirects` (Netlify,
Cloudflare Pages), `redirects.nginx.conf` (an nginx `map`) and `.htaccess` (Apache). The
redirect page keeps a reader's `#anchor` (an old `#comment-123` lands on that comment).
"""

from __future__ import annotations

import html
import json
import re
from pathlib import PurePosixPath
from urllib.parse import unquote

from .. import urls
from ..model import Site

PAGE = """<!doctype html>
<html lang="{language}">
<head>
<meta charset="utf-8">
<title>{title}</title>
<meta name="robots" content="noindex">
<link rel="canonical" href="{absolute}">
<meta http-equiv="refresh" content="0; url={target}">
<script>location.replace({script} + location.hash);</script>
</head>
<body>
<p><a href="{target}">{title}</a></p>
</body>
</html>
"""


def redirects(site: Site) -> list[tuple[str, str]]:
    """Every (old address, new address) of the site as site paths, in a stable order."""
    found = [(alias, a.url) for a in site.advices for alias in a.aliases]
    found += [(alias, p.url) for p in site.pages for alias in p.aliases]
    return sorted(found)


def redirect_files(site: Site) -> dict[PurePosixPath, bytes]:
    """The redirect pages and the server rules; nothing when no page has an alias."""
    found = redirects(site)
    if not found:
        return {}
    base = urls.base_path(site.settings.base_url)
    titles = {a.url: a.title for a in site.advices} | {p.url: p.title for p in site.pages}
    files: dict[PurePosixPath, bytes] = {}
    for alias, target in found:
        if "?" in alias or alias.endswith(".php"):
            continue  # a query, or a file a host sends as it is: only the rules answer them
        path = alias if alias.endswith(("/", ".html", ".htm")) else alias + "/"
        shown = urls.under(base, target)
        files[urls.output_path(unquote(path))] = PAGE.format(
            language=html.escape(site.settings.language),
            title=html.escape(titles.get(target, target)),
            absolute=html.escape(urls.absolute(site.settings.base_url, target)),
            target=html.escape(shown),
            script=json.dumps(shown).replace("<", "\\u003c"),
        ).encode()
    on_domain = [(urls.under(base, alias), urls.under(base, target)) for alias, target in found]
    files[PurePosixPath("_redirects")] = _netlify(on_domain)
    files[PurePosixPath("redirects.nginx.conf")] = _nginx(on_domain)
    files[PurePosixPath(".htaccess")] = _apache(on_domain)
    return files


def _netlify(found: list[tuple[str, str]]) -> bytes:
    lines = ["# Old addresses of this column (sovet): Netlify and Cloudflare Pages read this."]
    for alias, target in found:
        path, _, query = alias.partition("?")
        lines.append(f"{path} {_netlify_query(query)}{target} 301".replace("  ", " "))
    return ("\n".join(lines) + "\n").encode()


def _netlify_query(query: str) -> str:
    """`p=123` as Netlify matches it: each parameter as name=value, before the target."""
    return "".join(f"{part} " for part in query.split("&") if part)


def _nginx(found: list[tuple[str, str]]) -> bytes:
    lines = [
        "# Old addresses of this column (sovet), for nginx. In the http block:",
        "#     include /path/to/redirects.nginx.conf;",
        "# and in the site's server block:",
        "#     if ($sovet_redirect) { return 301 $sovet_redirect; }",
        "map $request_uri $sovet_redirect {",
        '    default "";',
    ]
    lines += [f"    {_nginx_quoted(alias)} {_nginx_quoted(target)};" for alias, target in found]
    lines.append("}")
    return ("\n".join(lines) + "\n").encode()


def _nginx_quoted(value: str) -> str:
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _apache(found: list[tuple[str, str]]) -> bytes:
    lines = [
        "# Old addresses of this column (sovet), for Apache (mod_rewrite).",
        "RewriteEngine On",
    ]
    for alias, target in found:
        path, _, query = alias.partition("?")
        pattern = "^" + re.escape(path.lstrip("/")).rstrip("/") + "/?$"
        if query:
            lines.append(f"RewriteCond %{{QUERY_STRING}} ^{re.escape(query)}$")
        lines.append(f"RewriteRule {pattern} {target}? [R=301,L]")
    return ("\n".join(lines) + "\n").encode()
