"""Find the theme and build the Jinja environment.

Lookup order, most specific first: the site's templates/, the site's themes/<name>/, the
themes shipped with sovet; the shipped default theme is the last fallback, so a site's theme
may override only the templates it changes.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any
from urllib.parse import quote

import jinja2
from babel.support import NullTranslations
from jinja2.nodes import EvalContext
from markupsafe import Markup

from .. import SHIPPED_THEMES, i18n, urls
from ..model import Advice, Comment
from ..problems import BuildFailed, Problem, Problems, display_path
from ..settings import Settings
from . import letters


@dataclass(frozen=True)
class Theme:
    name: str
    template_dirs: tuple[Path, ...]
    static_dirs: tuple[Path, ...]
    locale_dirs: tuple[Path, ...]


def find_theme(settings: Settings, problems: Problems) -> Theme | None:
    name = settings.theme
    candidates = [settings.root / "themes" / name, SHIPPED_THEMES / name]
    folders = [c for c in candidates if c.is_dir()]
    if not folders:
        line = settings.key_lines.get("theme", 1)
        problems.add(
            settings.source, line, f"theme '{name}' not found in themes/ of the site or sovet"
        )
        return None
    chain = [folders[0]]
    if folders[0] != SHIPPED_THEMES / "default":
        chain.append(SHIPPED_THEMES / "default")
    catalogue = f"{settings.language}.po"
    if not any((f / "locales" / catalogue).is_file() for f in chain):
        line = settings.key_lines.get("language", 1)
        message = f"language '{settings.language}': the theme has no locales/{catalogue}; add one"
        problems.add(settings.source, line, message)
        return None
    return Theme(
        name=name,
        template_dirs=(settings.root / "templates", *(f / "templates" for f in chain)),
        static_dirs=tuple(f / "static" for f in chain),
        locale_dirs=tuple(f / "locales" for f in chain),
    )


def site_translations(settings: Settings) -> NullTranslations:
    """The UI strings of the site's theme and language, for words made outside templates
    (the inbox page, the letters' lines)."""
    theme = find_theme(settings, Problems())
    folders = theme.locale_dirs if theme else (SHIPPED_THEMES / "default" / "locales",)
    return i18n.translations(folders, settings.language)


@dataclass(frozen=True)
class Assets:
    """Theme files under content-hashed names, so browsers may cache them forever."""

    urls: dict[str, str]
    files: dict[PurePosixPath, bytes]


def collect_assets(theme: Theme, site_static: Path) -> Assets:
    """The theme's static files under hashed names, and the site's static/ as it is.

    Only regular files that really live in the site or among the shipped themes are taken:
    a symlink leading elsewhere (the loader reports it first) is refused here too, so no file
    from outside can reach the output.
    """
    site = site_static.parent
    tops = [site / "static", site / "themes"]  # may be symlinks of the site's own setup
    allowed = (site.resolve(), SHIPPED_THEMES, *(top.resolve() for top in tops if top.is_dir()))
    found: dict[str, str] = {}
    files: dict[PurePosixPath, bytes] = {}
    for folder in theme.static_dirs:
        for path, name in _static_files(folder, site, allowed):
            if name in found:
                continue
            data = path.read_bytes()
            digest = hashlib.sha256(data).hexdigest()[:10]
            stem, dot, suffix = name.rpartition(".")
            hashed = f"{stem}.{digest}.{suffix}" if dot else f"{name}.{digest}"
            found[name] = f"/static/{hashed}"
            files[PurePosixPath("static", hashed)] = data
    for path, name in _static_files(site_static, site, allowed):
        files[PurePosixPath(name)] = path.read_bytes()
    return Assets(found, files)


def _static_files(folder: Path, site: Path, allowed: tuple[Path, ...]) -> list[tuple[Path, str]]:
    """Regular files below FOLDER with their relative names; BuildFailed for an escaping link."""
    if not folder.is_dir():
        return []
    _refuse_escape(folder, site, allowed)
    found = []
    for path in sorted(folder.rglob("*")):
        if path.is_symlink():
            _refuse_escape(path, site, allowed)
        if path.is_file():
            found.append((path, path.relative_to(folder).as_posix()))
    return found


def _refuse_escape(path: Path, site: Path, allowed: tuple[Path, ...]) -> None:
    try:
        real = path.resolve(strict=True)
    except (OSError, RuntimeError):
        return  # leads nowhere: nothing is copied (the loader reports it)
    if not any(real.is_relative_to(root) for root in allowed):
        message = "symlink points outside the site: refused, nothing from outside is published"
        raise BuildFailed([Problem(display_path(path, site), 1, message)])


class CompiledTemplates(jinja2.BytecodeCache):
    """Templates as Jinja compiled them, by Jinja's key, and the theme's catalogue, kept from
    one build to the next: a build compiles only the templates whose source changed (Jinja
    checks each one's digest), and the catalogue only when it changed.
    `code` is what it was given with what this build compiled; `changed` whether it compiled
    any. A build that makes a few pages loads only their templates, so the others' code is
    kept as it was given (a template removed from the theme leaves a few kilobytes)."""

    def __init__(self, code: dict[str, bytes]) -> None:
        self.code = dict(code)
        self.changed = False

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        if bucket.key in self.code:
            bucket.bytecode_from_string(self.code[bucket.key])

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        self.code[bucket.key] = bucket.bytecode_to_string()
        self.changed = True

    def catalogue(self, po: bytes, language: str) -> bytes:
        """The theme's catalogue compiled (`i18n.compile_catalogue`), kept with the templates
        under its language and compiled again when its source changed."""
        key = f"catalogue:{language}"
        digest = hashlib.blake2b(po, digest_size=16).digest()
        kept = self.code.get(key, b"")
        if kept[:16] == digest:
            return kept[16:]
        compiled = i18n.compile_catalogue(po, language)
        self.code[key] = digest + compiled
        self.changed = True
        return compiled


def _gettext(translations: NullTranslations) -> Callable[..., str]:
    """`_()` as the i18n extension's newstyle gettext makes it (translated, escaped when the
    template is, always %-formatted), called directly: the extension's own goes through three
    calls of the template context for each string, a fifth of an advice page's time."""

    @jinja2.pass_eval_context
    def gettext(eval_ctx: EvalContext, string: str, /, **variables: Any) -> str:
        found = translations.gettext(string)
        return (Markup(found) if eval_ctx.autoescape else found) % variables

    return gettext


def environment(
    theme: Theme, settings: Settings, assets: Assets, compiled: CompiledTemplates | None = None
) -> jinja2.Environment:
    """Autoescaped, strict Jinja with the language's strings, dates and plural forms;
    COMPILED: templates and catalogue compiled by an earlier build."""
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader([str(d) for d in theme.template_dirs if d.is_dir()]),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        extensions=["jinja2.ext.i18n"],
        trim_blocks=True,
        lstrip_blocks=True,
        auto_reload=False,
        bytecode_cache=compiled,
    )
    language = settings.language
    translations = i18n.translations(
        theme.locale_dirs, language, compiled.catalogue if compiled else None
    )
    env.install_gettext_translations(translations, newstyle=True)  # type: ignore[attr-defined]
    env.globals["_"] = _gettext(translations)

    def asset(name: str) -> str:
        try:
            return assets.urls[name]
        except KeyError:
            raise jinja2.TemplateRuntimeError(f"no theme asset named '{name}'") from None

    base_path = urls.base_path(settings.base_url)

    def href(url: str) -> str:
        """Site-absolute paths under base_url's own path, so a site may live in a subfolder."""
        return urls.under(base_path, url)

    globals_: dict[str, Any] = {
        "asset": asset,
        "absolute": lambda url: urls.absolute(settings.base_url, url),
        "settings": settings,
        "language": language,
        "urls": urls,
        "week_span": lambda week: i18n.day_range(week.monday, week.sunday, language),
        "reply_href": lambda advice, comment: _reply_href(settings, advice, comment),
    }
    env.globals.update(globals_)
    env.filters.update(
        href=href,
        as_text=lambda html, refs: letters.text_filter(html, refs, settings.base_url),
        date=lambda v: i18n.date(v, language),
        moment=lambda v: i18n.moment(v, language),
        month_year=lambda v: i18n.month_year(v, language),
        iso=i18n.iso,
    )
    return env


def _reply_href(settings: Settings, advice: Advice, comment: Comment | None) -> str:
    """A reply link: to the form with the target in the query, or a mail naming the comment."""
    if settings.comments["form_action"]:
        target = f"?reply_to={comment.id}" if comment else ""
        return f"{advice.url}{target}#comment-form"
    subject = f"{advice.title} [{advice.slug}" + (f" #{comment.id}]" if comment else "]")
    return f"mailto:{settings.comments['email']}?subject={quote(subject)}"
