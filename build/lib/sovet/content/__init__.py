"""Reading the content folder: front matter with positions, key tables, the walk."""
