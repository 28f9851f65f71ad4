"""Precision and recall of ROR matching on a gold set (see stiwatch.institutions.report).

    python scripts/ror_match_report.py \
        --gold ../shared/data/ror/dataset_affiliations_springer_2023_10_31.json \
        ../shared/data/ror/ror_records_v1_schema.jsonl.gz ../shared/data/ror/ror_records_v2_schema.jsonl.gz \
        --json data/reports/ror_match.json
"""

import sys

from stiwatch.institutions.report import main

if __name__ == "__main__":
    sys.exit(main())
