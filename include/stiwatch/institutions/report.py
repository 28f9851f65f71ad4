"""The ROR matching report: precision and recall on a gold set, printed as a table and written as JSON.

Run: ``stiwatch ror-report --gold GOLD.json ROR_FILE [ROR_FILE ...] [--json OUT] [--threshold T]``, e.g.
``stiwatch ror-report --gold ../shared/data/ror/dataset_affiliations_springer_2023_10_31.json
../shared/data/ror/ror_records_v1_schema.jsonl.gz ../shared/data/ror/ror_records_v2_schema.jsonl.gz``.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path

from stiwatch.institutions.aliases import load_aliases
from stiwatch.institutions.evaluation import evaluate, load_gold
from stiwatch.institutions.matcher import DEFAULT_FUZZY_THRESHOLD, Matcher
from stiwatch.institutions.registry import load_ror

_UNRESOLVED_LISTED = 50


def report(
    gold_path: Path, ror_paths: Sequence[Path], fuzzy_threshold: float = DEFAULT_FUZZY_THRESHOLD
) -> dict[str, object]:
    """Load the registry and the alias seed, match every gold string, and return the scores."""
    registry = load_ror(ror_paths)
    matcher = Matcher(registry, load_aliases(), fuzzy_threshold=fuzzy_threshold)
    gold = load_gold(gold_path)
    scores = evaluate(matcher, gold, set(registry.organizations.column("ror_id").to_pylist()))
    unresolved = [item.affiliation for item in gold if not matcher.resolve(item.affiliation).resolved]
    return {
        "gold": str(gold_path),
        "ror_inputs": list(registry.inputs),
        "organizations_loaded": len(registry),
        "fuzzy_threshold": fuzzy_threshold,
        "strings": scores.strings,
        "with_gold_id": scores.with_gold_id,
        "gold_id_in_registry": scores.gold_id_in_registry,
        "predicted": scores.predicted,
        "correct": scores.correct,
        "true_negatives": scores.true_negatives,
        "precision": round(scores.precision, 4),
        "recall": round(scores.recall, 4),
        "recall_in_registry": round(scores.recall_in_registry, 4),
        "by_method": {
            method: {"predicted": count, "correct": scores.correct_by_method.get(method, 0)}
            for method, count in sorted(scores.predicted_by_method.items())
        },
        "unresolved_count": len(unresolved),
        "unresolved_first": unresolved[:_UNRESOLVED_LISTED],
    }


def format_table(result: dict[str, object]) -> str:
    lines = [
        f"ROR matching on {result['gold']} ({result['organizations_loaded']} organisations loaded)",
        f"{'strings':<32}{result['strings']:>8}",
        f"{'with a gold id':<32}{result['with_gold_id']:>8}",
        f"{'gold id in the loaded registry':<32}{result['gold_id_in_registry']:>8}",
        f"{'predicted':<32}{result['predicted']:>8}",
        f"{'correct':<32}{result['correct']:>8}",
        f"{'precision':<32}{result['precision']:>8.3f}",
        f"{'recall (all gold)':<32}{result['recall']:>8.3f}",
        f"{'recall (gold id in registry)':<32}{result['recall_in_registry']:>8.3f}",
        "method         predicted  correct",
    ]
    by_method: dict[str, dict[str, int]] = result["by_method"]  # type: ignore[assignment]
    lines += [f"{method:<15}{row['predicted']:>9}{row['correct']:>9}" for method, row in by_method.items()]
    return "\n".join(lines)


def add_arguments(parser: argparse.ArgumentParser) -> argparse.ArgumentParser:
    parser.add_argument("ror_paths", nargs="+", type=Path, help="ROR dump zip, .json or .jsonl(.gz) files")
    parser.add_argument("--gold", type=Path, required=True, help="gold JSON: [{affiliation, ror_ids}]")
    parser.add_argument("--json", type=Path, help="write the result as JSON to this file")
    parser.add_argument("--threshold", type=float, default=DEFAULT_FUZZY_THRESHOLD, help="fuzzy cut-off, 0-1")
    return parser


def run(args: argparse.Namespace) -> dict[str, object]:
    """Print the table (and write the JSON when asked) for parsed ``add_arguments`` arguments."""
    result = report(args.gold, args.ror_paths, args.threshold)
    print(format_table(result))
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return result


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Precision and recall of ROR matching on a gold set.")
    run(add_arguments(parser).parse_args(argv))
    return 0


if __name__ == "__main__":
    sys.exit(main())
