"""Running Pelican for Kommunepartner: settings, the safe build, the preview server. Not a plugin."""
