"""The ROR matching report: precision and recall on a gold set, per part of the split, as a table and JSON.

Run: ``stiwatch ror-report --gold GOLD.json ROR_FILE [ROR_FILE ...] [--json OUT] [--threshold T]``, e.g.
``stiwatch ror-report --gold ../shared/data/ror/dataset_affiliations_springer_2023_10_31.json
../shared/data/ror/ror_records_v1_schema.jsonl.gz ../shared/data/ror/ror_records_v2_schema.jsonl.gz``.

The gold strings are split into the ``development`` part (the one rules and thresholds are tuned on) and the
``test`` part (only ever measured), see ``evaluation.split_gold``; the report gives both and the whole set.
The threshold defaults to the ``STIWATCH_INSTITUTION_FUZZY_THRESHOLD`` setting, the one a refresh uses.
``--dev-errors`` lists the wrong predictions of the development part (string, method, what was found, the
gold ids), the errors to study when improving the rules; the test part's are never listed.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Sequence
from pathlib import Path

from stiwatch.config import Settings
from stiwatch.institutions.aliases import load_aliases
from stiwatch.institutions.evaluation import (
    DEVELOPMENT,
    GOLD_SPLIT_SEED,
    GOLD_TEST_SHARE,
    GoldAffiliation,
    evaluate,
    load_gold,
    split_gold,
)
from stiwatch.institutions.matcher import Matcher
from stiwatch.institutions.registry import load_ror

_UNRESOLVED_LISTED = 50
_PARTS = ("development", "test", "all")


def report(gold_path: Path, ror_paths: Sequence[Path], fuzzy_threshold: float) -> dict[str, object]:
    """Load the registry and the alias seed, match every gold string, and return the scores per part."""
    registry = load_ror(ror_paths)
    started = time.perf_counter()
    matcher = Matcher(registry, load_aliases(), fuzzy_threshold=fuzzy_threshold)
    indexed_seconds = time.perf_counter() - started
    gold = load_gold(gold_path)
    registry_ids = set(registry.organizations.column("ror_id").to_pylist())
    parts = {**split_gold(gold), "all": gold}
    started = time.perf_counter()
    matches = {item.affiliation: matcher.resolve(item.affiliation) for item in gold}
    match_seconds = time.perf_counter() - started
    resolved = {affiliation: match.resolved for affiliation, match in matches.items()}
    return {
        "gold": str(gold_path),
        "ror_inputs": list(registry.inputs),
        "organizations_loaded": len(registry),
        "fuzzy_threshold": fuzzy_threshold,
        "split": {"seed": GOLD_SPLIT_SEED, "test_share": GOLD_TEST_SHARE},
        "parts": {name: _scores(matcher, parts[name], registry_ids, resolved) for name in _PARTS},
        "development_errors": [
            {
                "affiliation": item.affiliation,
                "method": matches[item.affiliation].method,
                "found": matches[item.affiliation].ror_id,
                "found_name": matches[item.affiliation].institution_name,
                "gold": sorted(item.ror_ids),
            }
            for item in parts[DEVELOPMENT]
            if matches[item.affiliation].resolved and matches[item.affiliation].ror_id not in item.ror_ids
        ],
        "index_seconds": round(indexed_seconds, 3),
        "strings_per_second": round(len(gold) / match_seconds) if match_seconds else None,
    }


def _scores(
    matcher: Matcher, gold: list[GoldAffiliation], registry_ids: set[str], resolved: dict[str, bool]
) -> dict[str, object]:
    scores = evaluate(matcher, gold, registry_ids)
    unresolved = [item.affiliation for item in gold if not resolved[item.affiliation]]
    return {
        "strings": scores.strings,
        "with_gold_id": scores.with_gold_id,
        "gold_id_in_registry": scores.gold_id_in_registry,
        "predicted": scores.predicted,
        "correct": scores.correct,
        "correct_in_registry": scores.correct_in_registry,
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
    parts: dict[str, dict[str, object]] = result["parts"]  # type: ignore[assignment]
    split: dict[str, object] = result["split"]  # type: ignore[assignment]
    header = f"{'':<32}" + "".join(f"{name:>13}" for name in _PARTS)

    def row(label: str, key: str, fmt: str) -> str:
        return f"{label:<32}" + "".join(f"{parts[name][key]:>13{fmt}}" for name in _PARTS)

    lines = [
        f"ROR matching on {result['gold']} ({result['organizations_loaded']} organisations loaded, "
        f"fuzzy threshold {result['fuzzy_threshold']})",
        f"split: sha256('{split['seed']}' NUL string) -> test share {split['test_share']}; "
        "rules are tuned on development only",
        header,
        row("strings", "strings", "d"),
        row("with a gold id", "with_gold_id", "d"),
        row("gold id in the loaded registry", "gold_id_in_registry", "d"),
        row("predicted", "predicted", "d"),
        row("correct", "correct", "d"),
        row("precision", "precision", ".3f"),
        row("recall (all gold)", "recall", ".3f"),
        row("recall (gold id in registry)", "recall_in_registry", ".3f"),
        "method (all)   predicted  correct",
    ]
    by_method: dict[str, dict[str, int]] = parts["all"]["by_method"]  # type: ignore[assignment]
    lines += [f"{method:<15}{row['predicted']:>9}{row['correct']:>9}" for method, row in by_method.items()]
    speed, index = result["strings_per_second"], result["index_seconds"]
    lines.append(f"speed: {speed} strings/s matching, index built in {index} s")
    return "\n".join(lines)


def format_development_errors(result: dict[str, object]) -> str:
    """The development part's wrong predictions, one block each."""
    errors: list[dict[str, object]] = result["development_errors"]  # type: ignore[assignment]
    lines = [f"wrong predictions on the development part: {len(errors)}"]
    for error in errors:
        lines += [
            f"[{error['method']}] {error['affiliation']}",
            f"    found {error['found']} {error['found_name']}; gold {', '.join(error['gold']) or '(none)'}",
        ]
    return "\n".join(lines)


def add_arguments(parser: argparse.ArgumentParser) -> argparse.ArgumentParser:
    parser.add_argument("ror_paths", nargs="+", type=Path, help="ROR dump zip, .json or .jsonl(.gz) files")
    parser.add_argument("--gold", type=Path, required=True, help="gold JSON: [{affiliation, ror_ids}]")
    parser.add_argument("--json", type=Path, help="write the result as JSON to this file")
    parser.add_argument(
        "--dev-errors",
        action="store_true",
        help="also list the wrong predictions of the development part (never the test part's)",
    )
    parser.add_argument(
        "--threshold",
        type=float,
        help="fuzzy cut-off, 0-1 (default: the STIWATCH_INSTITUTION_FUZZY_THRESHOLD setting)",
    )
    return parser


def run(args: argparse.Namespace, settings: Settings | None = None) -> dict[str, object]:
    """Print the table (and write the JSON when asked) for parsed ``add_arguments`` arguments."""
    threshold = args.threshold
    if threshold is None:
        threshold = (settings or Settings.from_env()).institution_fuzzy_threshold
    result = report(args.gold, args.ror_paths, threshold)
    print(format_table(result))
    if args.dev_errors:
        print(format_development_errors(result))
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
