"""sovet: a static site generator for a weekly advice column."""

__version__ = "0.1.0"
