"""Kommunepartner: the publishing system of Initiativ Vest's municipal partnership programme.

The folders are the domains, and imports run one way: base ← content ← access ← outputs and
mail ← build ← commands ← cli. Everything up to outputs and mail imports no Pelican.
"""
