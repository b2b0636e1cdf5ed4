"""Shared code for *Russia–Japan Relations in Numbers*.

Data flows one way: ``data/`` -> this package (load, validate, check) -> notebooks
(tell and plot) -> the book.  Nothing here writes to ``data/`` except the reference
builders in :mod:`rjnumbers.reference`, which are run by ``make data`` only.
"""
