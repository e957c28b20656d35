"""Running Pelican for Kommunepartner: settings, validation, the safe build into a fresh folder,
the preview server and its rebuilds. The only domain that imports Pelican."""
