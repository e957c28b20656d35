"""The pure core of Kommunepartner: rules and data, no Pelican. Tested without a build."""
