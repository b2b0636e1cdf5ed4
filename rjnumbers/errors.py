"""One error type for bad input, whose message names file, row and column."""
from __future__ import annotations


class DataError(ValueError):
    """A data file cannot be parsed or breaks its schema.

    ``row`` is the 1-based data row (the header is not counted); ``line`` is the physical line
    of the file where that record starts (row + 1 unless a quoted field holds a line break).
    """

    def __init__(self, file: str, message: str, row: int | None = None, column: str | None = None,
                 line: int | None = None):
        self.file, self.row, self.column, self.detail = file, row, column, message
        self.line = line if line is not None else (row + 1 if row is not None else None)
        where = [file]
        if row is not None:
            where.append(f"row {row} (line {self.line})")
        if column is not None:
            where.append(f"column '{column}'")
        super().__init__(", ".join(where) + ": " + message)
