"""One DataError family for bad input: every parser and the landing checks raise it; only it is bad data."""

from __future__ import annotations

import pytest

from stiwatch.errors import DataError
from stiwatch.landing import LandingError, SnapshotChangedError
from stiwatch.sources.openalex.sniff import OpenAlexFormatError
from stiwatch.sources.patstat.edition import edition_as_of
from stiwatch.sources.patstat.files import PatstatFileError
from stiwatch.sources.wos.errors import WosFormatError


@pytest.mark.parametrize(
    "error", [LandingError, SnapshotChangedError, WosFormatError, PatstatFileError, OpenAlexFormatError]
)
def test_every_bad_input_error_is_a_data_error(error: type[Exception]) -> None:
    assert issubclass(error, DataError)
    assert issubclass(error, ValueError)  # callers that expect a ValueError for bad input keep working


def test_a_badly_named_patstat_edition_is_a_data_error() -> None:
    with pytest.raises(DataError, match=r"'2023_winter'.*rename the landing folder"):
        edition_as_of("2023_winter")


def test_the_ingest_dag_fails_bad_data_at_once_and_retries_anything_else() -> None:
    from airflow.sdk.exceptions import AirflowFailException

    from stiwatch.orchestration.ingest_dag import _no_retry_on_bad_data

    def bad_file() -> None:
        raise WosFormatError("savedrecs.txt: line 1: not a WoS export")

    def bug() -> None:
        raise ValueError("a bug, not bad data")

    with pytest.raises(AirflowFailException, match=r"savedrecs\.txt: line 1"):
        _no_retry_on_bad_data(bad_file)
    with pytest.raises(ValueError, match="a bug") as raised:
        _no_retry_on_bad_data(bug)
    assert not isinstance(raised.value, AirflowFailException)  # a plain failure: Airflow retries it
