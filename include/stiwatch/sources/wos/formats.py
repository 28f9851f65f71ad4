"""Tell the two WoS export formats apart from the first line of the file (never from its name)."""

from __future__ import annotations

import re
from pathlib import Path

from .errors import WosFormatError

TAB = "wos_tab"
TAGGED = "wos_tagged"

_FIELD_CODE = re.compile(r"^[A-Z][A-Z0-9]$")
_TAGGED_START = re.compile(r"^(FN|PT) ")


def sniff_format(first_line: str, path: Path) -> str:
    """``wos_tab`` for a tab-delimited header of field codes, ``wos_tagged`` for a FN/PT first line."""
    line = first_line.rstrip("\r\n")
    codes = [c for c in line.split("\t") if c]
    if len(codes) > 1 and all(_FIELD_CODE.match(c) for c in codes):
        return TAB
    if _TAGGED_START.match(line):
        return TAGGED
    # The line is not quoted: a file that is no export may hold anything (a password file, personal data).
    raise WosFormatError(
        f"{path}: line 1: neither a WoS tab-delimited export (a header of field codes like "
        f"'PT<TAB>AU<TAB>...') nor a WoS plain-text export (starting 'FN ' or 'PT '); its content is not "
        "shown here. Export the records from "
        "Web of Science as 'Tab delimited file' or 'Plain text file' (full record), or move this file out "
        "of the snapshot."
    )
