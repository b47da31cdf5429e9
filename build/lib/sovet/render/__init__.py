"""Rendering: the theme, its assets, and every output file of the site."""
