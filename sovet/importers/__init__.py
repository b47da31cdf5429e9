"""Importers: an existing column (WordPress's export, Disqus's) moved into content files.

They read the export as a stream, write through the same safe, exclusive file rules as `new`
and `inbox accept`, send held comments to the inbox with its own spam rules, and keep every
old address as an alias (redirected by the build)."""
