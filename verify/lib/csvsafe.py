"""Spreadsheet formula injection (CWE-1236): a cell whose first visible character is =, +, - or @ (or their
full-width forms ＝ ＋ － ＠, which spreadsheets also read as operators) may be run as a formula when the CSV is
opened in Excel or LibreOffice, even behind leading spaces, tabs or line breaks; a cell starting with a tab or a
carriage return is treated as dangerous too. Such cells get a leading apostrophe, which the spreadsheet shows as
text. An importer reading our CSV back strips that apostrophe again (`unescape_cell`)."""

FORMULA_CHARS = frozenset("=+-@\uff1d\uff0b\uff0d\uff20")


def is_formula(value: str) -> bool:
    return value.startswith(("\t", "\r")) or value.lstrip()[:1] in FORMULA_CHARS


def escape_cell(value: str) -> str:
    return "'" + value if is_formula(value) else value


def unescape_cell(value: str) -> str:
    """The inverse of escape_cell, for cells this product wrote."""
    return value[1:] if value.startswith("'") and is_formula(value[1:]) else value
