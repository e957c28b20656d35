"""Foundations every domain uses: errors, YAML with positions, field types, slugs, interface
text, the settings record and the reference list of municipalities."""
