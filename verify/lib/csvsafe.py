"""Spreadsheet formula injection (CWE-1236): a cell starting with =, +, -, @, tab or carriage return may be run as
a formula when the CSV is opened in Excel or LibreOffice. Such cells get a leading apostrophe, which the
spreadsheet shows as text. An importer reading our CSV back strips that apostrophe again (`unescape_cell`)."""

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def escape_cell(value: str) -> str:
    return "'" + value if value.startswith(FORMULA_PREFIXES) else value


def unescape_cell(value: str) -> str:
    """The inverse of escape_cell, for cells this product wrote."""
    return value[1:] if value.startswith("'") and value[1:].startswith(FORMULA_PREFIXES) else value
