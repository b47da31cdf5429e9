"""sovet: a static site generator for a weekly advice column."""

from pathlib import Path

__version__ = "0.2.0"

_HERE = Path(__file__).resolve().parent
# The themes shipped with sovet: inside the installed package, or beside it in a checkout.
SHIPPED_THEMES = _HERE / "themes" if (_HERE / "themes").is_dir() else _HERE.parent / "themes"
