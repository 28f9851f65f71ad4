"""One WoS record as read from either export format, before it is mapped to lake rows."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class RawRecord:
    seq: int  # 1-based record number within the file
    line: int  # line where the record starts (for error messages)
    fields: dict[str, str]  # field code -> text (multi-line values already joined)
    addresses: list[str]  # C1 entries, one per address, each possibly starting with a [author group]

    def get(self, code: str) -> str | None:
        """The field's text, or None when it is absent or blank."""
        value = self.fields.get(code, "").strip()
        return value or None
