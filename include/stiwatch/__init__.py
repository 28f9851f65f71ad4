"""stiwatch: a warehouse of EU27/AC-China-US co-operation in AI, machine learning and big data."""

__version__ = "0.1.0"
