"""Every CSV escaper refuses formulas, including full-width forms and formulas behind leading whitespace."""

import pytest

from verify.evidence.exports import safe_cell
from verify.imports.readers import unescape_cell as import_unescape
from verify.imports.report import _cell as import_report_cell
from verify.lib.csvsafe import escape_cell, unescape_cell

ESCAPERS = [escape_cell, safe_cell, import_report_cell]
DANGEROUS = [
    '=HYPERLINK("http://x")',
    '\uff1dHYPERLINK("http://x")',  # ＝
    "\uff0b1+1",  # ＋
    "\uff0d1+1",  # －
    "\uff20SUM(A1)",  # ＠
    " =1+1",
    "\t=1+1",
    "\r=1+1",
    "\n=1+1",
    "  \uff1d1",
    "\u3000=1",
    "+1",
    "@x",
]
HARMLESS = ["Aleppo", "1 = 1", "  Aleppo", "'quoted", "", "x=1"]


@pytest.mark.parametrize("escape", ESCAPERS)
@pytest.mark.parametrize("value", DANGEROUS)
def test_dangerous_cells_are_escaped(escape, value):
    assert escape(value) == "'" + value


@pytest.mark.parametrize("escape", ESCAPERS)
@pytest.mark.parametrize("value", HARMLESS)
def test_harmless_cells_are_left_alone(escape, value):
    assert escape(value) == value


@pytest.mark.parametrize("unescape", [unescape_cell, import_unescape])
@pytest.mark.parametrize("value", DANGEROUS + HARMLESS)
def test_reading_back_undoes_the_escape(unescape, value):
    assert unescape(escape_cell(value)) == value
