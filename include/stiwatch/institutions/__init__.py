"""Institution normalisation: the ROR registry, the curated alias seed and the matcher.

registry = load_ror([dump_zip])                      # or the shared .jsonl.gz files
write_registry(registry, settings.lake_dir, dump_id_of(dump_zip))
matcher = Matcher(registry, load_aliases())
matcher.resolve("Chinese Acad Sci", country="CN")    # -> Match(ror_id=..., method="alias", ...)
evaluate(matcher, load_gold(path), registry_ids)      # -> Scores (precision, recall)
"""

from stiwatch.institutions.aliases import Alias, load_aliases
from stiwatch.institutions.evaluation import Scores, evaluate, load_gold
from stiwatch.institutions.matcher import Match, Matcher
from stiwatch.institutions.registry import Registry, dump_id_of, load_ror, write_registry

__all__ = [
    "Alias",
    "Match",
    "Matcher",
    "Registry",
    "Scores",
    "dump_id_of",
    "evaluate",
    "load_aliases",
    "load_gold",
    "load_ror",
    "write_registry",
]
