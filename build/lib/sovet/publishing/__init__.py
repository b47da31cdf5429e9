"""Publishing: start a column (`init`), look at what was built (`serve --built`), ship it
(`deploy`). It reads the output folder and site.toml, runs rclone and git as processes, and
knows nothing of the model."""
