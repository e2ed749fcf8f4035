"""The arXiv snapshot reader's own shortcuts give what the general code gives."""

from __future__ import annotations

from email.utils import parsedate_to_datetime

from hypothesis import given
from hypothesis import strategies as st

from reader.sources.snapshot import created_date

_DAYS = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]
_MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec", "Foo"]


def _email_date(text: str) -> str:
    try:
        return parsedate_to_datetime(text).date().isoformat()
    except (TypeError, ValueError, IndexError):
        return ""


@given(st.sampled_from(_DAYS), st.integers(0, 32), st.sampled_from(_MONTHS), st.integers(0, 2100),
       st.sampled_from(["19:18:42 GMT", "00:00:00 GMT", "23:59:59 +0100", "7:5:3 GMT"]))
def test_a_versions_created_date_is_read_as_the_email_parser_reads_it(day, num, month, year, time):
    text = f"{day}, {num} {month} {year:04d} {time}"
    assert created_date(text) == _email_date(text)
    assert created_date(f"{day}, {num} {month} {year} {time}") == _email_date(f"{day}, {num} {month} {year} {time}")


def test_odd_created_values_give_a_date_or_nothing():
    assert created_date("Mon, 2 Apr 2007 19:18:42 GMT") == "2007-04-02"
    assert created_date("Mon, 30 Feb 2007 19:18:42 GMT") == ""
    assert created_date("2 Apr 2007") == created_date("garbage") == created_date("None") == ""
