"""Publishing for BI: read-only serving releases built from the warehouse and switched in atomically.

BI tools read ``serving/current/serving.duckdb`` or ``serving/current/parquet/<mart>.parquet``, never the
file dbt writes. See ``layout`` for the folder structure.
"""

from stiwatch.publish.layout import current_release
from stiwatch.publish.publisher import publish
from stiwatch.publish.release import PublishError

__all__ = ["PublishError", "current_release", "publish"]
