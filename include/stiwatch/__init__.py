"""stiwatch: a warehouse of EU27/AC-China-US co-operation in AI, machine learning and big data."""

import warnings

__version__ = "0.1.0"

# Great Expectations imports pyspark when it is installed (the Spark engine), and pyspark warns on import
# that it does not fully support pandas 3. stiwatch never hands pandas data to Spark, so the warning,
# printed by every command that runs a quality check, says nothing to a user.
warnings.filterwarnings("ignore", message="PySpark does not yet fully support pandas", category=FutureWarning)
