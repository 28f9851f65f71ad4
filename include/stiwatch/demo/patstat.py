"""A deterministic PATSTAT Global edition generator, for the demo and for benchmarks.

It writes what EPO delivers: every table used by the marts as zipped, comma-separated parts with a header
(``tls201_part01.zip`` holding ``tls201_part01.csv``), all columns of the 2025 Autumn layout, quoted strings,
CRLF line ends, plus ``_snapshot.json`` with the edition's as-of date. The mix imitates the brief:
multinational groups with a European and a Chinese arm sharing ``han_id``/``han_name`` (Nokia, Ericsson,
Siemens, Huawei), Chinese firms (Lenovo, TCL, ZTE), universities, individuals, blank country codes,
applications with filing year 9999, utility models, AI and non-AI CPC/IPC codes, tls230 weights, and a
publication lag that thins the last two filing years (35% and 75% of trend).

Editions of one universe (``universe_last_year``): every edition with the same seed draws the same families
(filing years from the trend alone, up to that year), each with a publication lag drawn from
``LAG_THINNING`` read as a completion curve (35% of a year's families are visible one year after filing,
75% after two, all after three); an edition holds the families visible at its as-of year. The true final
count of a year is then the count of an edition three or more years later: what the nowcast tests use.

Nothing here computes an answer: tests recompute the marts independently from the written CSV files.
"""

from __future__ import annotations

import csv
import io
import random
import tempfile
import zipfile
from contextlib import ExitStack
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from stiwatch.sources.patstat.edition import edition_as_of, write_edition_meta
from stiwatch.sources.patstat.schema import SCHEMA_COLUMNS

# Share of trend kept for the filing years just before the as-of year (publication lag, METHOD.md).
LAG_THINNING = {1: 0.35, 2: 0.75}
TREND_GROWTH = 1.08


@dataclass(frozen=True)
class Organisation:
    name: str
    country: str
    sector: str  # psn_sector
    han_name: str


ORGANISATIONS: tuple[Organisation, ...] = (
    Organisation("NOKIA TECHNOLOGIES OY", "FI", "COMPANY", "NOKIA"),
    Organisation("NOKIA SHANGHAI BELL CO LTD", "CN", "COMPANY", "NOKIA"),
    Organisation("TELEFONAKTIEBOLAGET LM ERICSSON (PUBL)", "SE", "COMPANY", "ERICSSON"),
    Organisation("ERICSSON (CHINA) COMMUNICATIONS CO LTD", "CN", "COMPANY", "ERICSSON"),
    Organisation("SIEMENS AG", "DE", "COMPANY", "SIEMENS"),
    Organisation("SIEMENS LTD CHINA", "CN", "COMPANY", "SIEMENS"),
    Organisation("HUAWEI TECHNOLOGIES CO LTD", "CN", "COMPANY", "HUAWEI"),
    Organisation("HUAWEI TECHNOLOGIES DUESSELDORF GMBH", "DE", "COMPANY", "HUAWEI"),
    Organisation("LENOVO (BEIJING) LTD", "CN", "COMPANY", "LENOVO"),
    Organisation("TCL CORP", "CN", "COMPANY", "TCL"),
    Organisation("ZTE CORP", "CN", "COMPANY", "ZTE"),
    Organisation("KONINKLIJKE PHILIPS NV", "NL", "COMPANY", "PHILIPS"),
    Organisation("ROBERT BOSCH GMBH", "DE", "COMPANY", "BOSCH"),
    Organisation("TSINGHUA UNIVERSITY", "CN", "UNIVERSITY", "TSINGHUA UNIVERSITY"),
    Organisation("ZHEJIANG UNIVERSITY", "CN", "UNIVERSITY", "ZHEJIANG UNIVERSITY"),
    Organisation("TECHNISCHE UNIVERSITAET MUENCHEN", "DE", "UNIVERSITY", "TECHNISCHE UNIVERSITAET MUENCHEN"),
    Organisation("KATHOLIEKE UNIVERSITEIT LEUVEN", "BE", "UNIVERSITY", "KATHOLIEKE UNIVERSITEIT LEUVEN"),
    Organisation("ETH ZUERICH", "CH", "UNIVERSITY", "ETH ZUERICH"),
    Organisation("UNIVERSITY OF OXFORD", "GB", "UNIVERSITY", "UNIVERSITY OF OXFORD"),
    Organisation(
        "HONG KONG APPLIED SCIENCE AND TECHNOLOGY RESEARCH INSTITUTE", "HK", "GOV NON-PROFIT", "ASTRI"
    ),
    Organisation("QUALCOMM INC", "US", "COMPANY", "QUALCOMM"),
    Organisation("INTERNATIONAL BUSINESS MACHINES CORP", "US", "COMPANY", "IBM"),
    Organisation("SAMSUNG ELECTRONICS CO LTD", "KR", "COMPANY", "SAMSUNG"),
    Organisation("HON HAI PRECISION INDUSTRY CO LTD", "TW", "COMPANY", "HON HAI"),
)

SURNAMES = {
    "CN": ("WANG", "LI", "ZHANG", "LIU", "CHEN", "YANG", "ZHAO", "HUANG"),
    "DE": ("MUELLER", "SCHMIDT", "SCHNEIDER", "FISCHER", "WEBER"),
    "FI": ("VIRTANEN", "KORHONEN", "NIEMINEN", "MAKINEN"),
    "SE": ("ANDERSSON", "JOHANSSON", "KARLSSON", "NILSSON"),
    "NL": ("DE JONG", "JANSEN", "DE VRIES", "VAN DEN BERG"),
    "FR": ("MARTIN", "BERNARD", "DUBOIS", "THOMAS"),
    "GB": ("SMITH", "JONES", "TAYLOR", "BROWN"),
    "BE": ("PEETERS", "JANSSENS", "MAES"),
    "CH": ("MUELLER", "MEIER", "SCHMID"),
    "HK": ("CHAN", "WONG", "LEUNG"),
    "US": ("JOHNSON", "WILLIAMS", "MILLER", "DAVIS"),
    "KR": ("KIM", "LEE", "PARK"),
    "TW": ("LIN", "HSU", "TSAI"),
}
GIVEN_NAMES = ("A", "B", "C", "D", "E", "H", "J", "K", "L", "M", "P", "S", "T", "W", "X", "Y", "Z")

# (symbol as PATSTAT writes it, in the AI/big-data scope?, WIPO field nr) -- the field of the IPC main group.
CPC_CODES: tuple[tuple[str, bool, int], ...] = (
    ("G06N   3/08", True, 6),
    ("G06N   3/045", True, 6),
    ("G06N  20/00", True, 6),
    ("G06N   5/04", True, 6),
    ("G06N   7/01", True, 6),
    ("H04L  41/16", True, 4),
    ("G06T2207/20081", True, 6),
    ("G06T2207/20084", True, 6),
    ("G10L  15/16", True, 6),
    ("H04W  72/04", False, 4),
    ("H04L   5/00", False, 4),
    ("H04B   7/06", False, 3),
    ("H04N  19/70", False, 2),
    ("H01L  21/02", False, 8),
    ("G06F   3/01", False, 6),
    ("G06Q  10/04", False, 7),
    ("A61B   5/00", False, 13),
    ("B60W  30/09", False, 32),
    ("H01M  10/42", False, 1),
    ("G01S  13/93", False, 10),
)
# CPC 2000-series indexing codes have no IPC counterpart: the IPC of such an application is its main group.
IPC_FOR_CPC = {"G06T2207/20081": "G06T   7/00", "G06T2207/20084": "G06T   7/00"}

WIPO_FIELDS = {
    1: ("Electrical engineering", "Electrical machinery, apparatus, energy"),
    2: ("Electrical engineering", "Audio-visual technology"),
    3: ("Electrical engineering", "Telecommunications"),
    4: ("Electrical engineering", "Digital communication"),
    6: ("Electrical engineering", "Computer technology"),
    7: ("Electrical engineering", "IT methods for management"),
    8: ("Electrical engineering", "Semiconductors"),
    10: ("Instruments", "Measurement"),
    13: ("Instruments", "Medical technology"),
    32: ("Mechanical engineering", "Transport"),
}

# Who files together: (weight, applicant organisations or country codes of individuals).
# "@XX" is an individual applicant from country XX.
COLLABORATIONS: tuple[tuple[int, tuple[str, ...]], ...] = (
    (6, ("NOKIA TECHNOLOGIES OY", "NOKIA SHANGHAI BELL CO LTD")),
    (4, ("TELEFONAKTIEBOLAGET LM ERICSSON (PUBL)", "ERICSSON (CHINA) COMMUNICATIONS CO LTD")),
    (3, ("SIEMENS AG", "SIEMENS LTD CHINA")),
    (3, ("HUAWEI TECHNOLOGIES CO LTD", "HUAWEI TECHNOLOGIES DUESSELDORF GMBH")),
    (5, ("HUAWEI TECHNOLOGIES CO LTD", "TECHNISCHE UNIVERSITAET MUENCHEN")),
    (4, ("LENOVO (BEIJING) LTD", "KONINKLIJKE PHILIPS NV")),
    (3, ("TCL CORP", "ROBERT BOSCH GMBH")),
    (3, ("ZTE CORP", "TELEFONAKTIEBOLAGET LM ERICSSON (PUBL)")),
    (3, ("TSINGHUA UNIVERSITY", "ETH ZUERICH")),
    (2, ("ZHEJIANG UNIVERSITY", "UNIVERSITY OF OXFORD", "QUALCOMM INC")),
    (2, ("HONG KONG APPLIED SCIENCE AND TECHNOLOGY RESEARCH INSTITUTE", "KATHOLIEKE UNIVERSITEIT LEUVEN")),
    (2, ("@CN", "@DE")),
    (4, ("HUAWEI TECHNOLOGIES CO LTD", "QUALCOMM INC")),
    (3, ("INTERNATIONAL BUSINESS MACHINES CORP", "SIEMENS AG")),
    (2, ("SAMSUNG ELECTRONICS CO LTD", "NOKIA TECHNOLOGIES OY")),
    (2, ("HON HAI PRECISION INDUSTRY CO LTD", "LENOVO (BEIJING) LTD")),
    (12, ("HUAWEI TECHNOLOGIES CO LTD",)),
    (6, ("TCL CORP",)),
    (5, ("ZTE CORP",)),
    (5, ("NOKIA TECHNOLOGIES OY",)),
    (5, ("SIEMENS AG",)),
    (4, ("ROBERT BOSCH GMBH",)),
    (4, ("QUALCOMM INC",)),
    (3, ("SAMSUNG ELECTRONICS CO LTD",)),
    (3, ("@FR",)),
    (2, ("@US", "@GB")),
)


class _Tables:
    """Rows spooled to one CSV file per table as they are built (an edition of a million families has
    tens of millions of rows: far too many to hold as Python objects), counted for the split into parts.
    A table's columns are fixed when the spool opens, so an omitted column is never written."""

    def __init__(self, spool_dir: Path, columns: dict[str, list[str]]) -> None:
        self.columns = columns
        self.paths = {table: spool_dir / f"{table}.csv" for table in columns}
        self.counts = dict.fromkeys(columns, 0)
        self._files = {t: path.open("w", encoding="utf-8", newline="") for t, path in self.paths.items()}
        self._writers = {
            table: csv.writer(fh, quoting=csv.QUOTE_NONNUMERIC, lineterminator="\r\n")
            for table, fh in self._files.items()
        }

    def add(self, table: str, **values: object) -> None:
        writer = self._writers.get(table)
        if writer is None:  # a table this edition leaves out (no tls230)
            return
        writer.writerow([values[column] for column in self.columns[table]])
        self.counts[table] += 1

    def close(self) -> None:
        for fh in self._files.values():
            fh.close()


class _EditionBuilder:
    """Builds the rows of one edition; ids are sequential so a seed gives byte-identical output."""

    def __init__(
        self,
        rng: random.Random,
        as_of: date,
        first_year: int,
        tables: _Tables,
        granted_as_digits: bool,
        universe_last_year: int | None = None,
    ) -> None:
        self.rng = rng
        self.universe_last_year = universe_last_year
        # False while a family not yet published at the edition's as-of date is drawn (universe mode): its
        # random draws still happen, so every edition of the universe draws the same families.
        self.visible = True
        self.as_of = as_of
        self.first_year = first_year
        self.tables = tables
        self.granted = (1, 0) if granted_as_digits else ("Y", "N")
        self.next_person_id = 1
        self.next_appln_id = 100_000
        self.next_family_id = 50_000_000
        self.psn_ids: dict[str, int] = {}
        self.han_ids: dict[str, int] = {}
        self.org_persons: dict[str, list[int]] = {}
        for org in ORGANISATIONS:
            self._add_organisation(org)

    def _person(self, name: str, country: str, sector: str, psn_key: str, han_name: str) -> int:
        person_id = self.next_person_id
        self.next_person_id += 1
        psn_id = self.psn_ids.setdefault(psn_key, 900_000 + len(self.psn_ids))
        han_id = self.han_ids.setdefault(han_name, 700_000 + len(self.han_ids))
        self.tables_add(
            "tls206_person",
            person_id=person_id,
            person_name=name,
            person_name_orig_lg=name,
            person_address="",
            person_ctry_code=country,
            nuts="",
            nuts_level=9,
            doc_std_name_id=psn_id,
            doc_std_name=psn_key,
            psn_id=psn_id,
            psn_name=psn_key,
            psn_level=2 if sector != "INDIVIDUAL" else 0,
            psn_sector=sector,
            han_id=han_id,
            han_name=han_name,
            han_harmonized=3 if sector != "INDIVIDUAL" else 0,
            reg_code="",
        )
        return person_id

    def _add_organisation(self, org: Organisation) -> None:
        # Name variants as filed: upper case, mixed case, and one with a blank country ("  ") as in real
        # tls206 rows; all share the psn_id, so the blank one can be imputed from the others.
        variants = [
            (org.name, org.country),
            (org.name.title(), org.country),
            (org.name.title() + ".", "  "),
        ]
        self.org_persons[org.name] = [
            self._person(name, country, org.sector, org.name, org.han_name) for name, country in variants
        ]

    def individual(self, country: str) -> int:
        surname = self.rng.choice(SURNAMES[country])
        name = f"{surname}, {self.rng.choice(GIVEN_NAMES)}{self.rng.choice(GIVEN_NAMES).lower()}"
        # About one individual in twelve has no country, as in real data.
        reported = "  " if self.rng.random() < 0.08 else country
        return self._person(name, reported, "INDIVIDUAL", name, name)

    def applicant(self, spec: str) -> tuple[int, str]:
        if spec.startswith("@"):
            return self.individual(spec[1:]), spec[1:]
        org = next(o for o in ORGANISATIONS if o.name == spec)
        # Mostly the canonical spelling; the blank-country variant is rare, as in real editions.
        return self.rng.choices(self.org_persons[spec], weights=(6, 3, 1))[0], org.country

    def tables_add(self, table: str, **values: object) -> None:
        if self.visible:
            self.tables.add(table, **values)

    def filing_year(self) -> int:
        if self.universe_last_year is not None:
            years = list(range(self.first_year, self.universe_last_year + 1))
            return self.rng.choices(years, weights=[TREND_GROWTH ** (y - self.first_year) for y in years])[0]
        years = list(range(self.first_year, self.as_of.year))
        weights = []
        for year in years:
            trend = TREND_GROWTH ** (year - self.first_year)
            weights.append(trend * LAG_THINNING.get(self.as_of.year - year, 1.0))
        return self.rng.choices(years, weights=weights)[0]

    def publication_lag(self) -> int:
        """Years after filing at which a family becomes visible (universe mode): LAG_THINNING as the share
        of a year's families visible after k years."""
        draw = self.rng.random()
        for lag in sorted(LAG_THINNING):
            if draw < LAG_THINNING[lag]:
                return lag
        return max(LAG_THINNING) + 1

    def family(self) -> None:
        rng = self.rng
        family_id = self.next_family_id
        self.next_family_id += rng.randint(1, 7)
        year = self.filing_year()
        if self.universe_last_year is not None:
            self.visible = self.as_of.year - year >= self.publication_lag()
        collaboration = rng.choices(COLLABORATIONS, weights=[w for w, _ in COLLABORATIONS])[0][1]
        applicants = [self.applicant(spec) for spec in collaboration]
        inventor_countries = [country for _, country in applicants if country in SURNAMES]
        if rng.random() < 0.15:  # a European lab of a Chinese firm, or the reverse
            inventor_countries.append(rng.choice(("DE", "SE", "FI", "CN", "GB", "FR")))
        inventors = [
            self.individual(rng.choice(inventor_countries or ["US"])) for _ in range(rng.randint(1, 4))
        ]
        in_scope = rng.random() < 0.6
        codes = self._codes(in_scope)
        ipr_type = "UM" if rng.random() < 0.05 else "PI"
        unknown_year = rng.random() < 0.02  # every application of the family has year 9999
        for index in range(rng.choice((1, 1, 2, 2, 3))):
            later_filing = index > 0 and rng.random() < 0.3
            appln_year = 9999 if unknown_year or rng.random() < 0.03 else year + later_filing
            self._application(family_id, appln_year, ipr_type, applicants, inventors, codes)
        if rng.random() < 0.04:
            # A Chinese utility model in an invention family, with an extra US applicant: it must not make the
            # family a CN-US co-patent while utility models are excluded.
            extra = [*applicants, self.applicant("@US")]
            self._application(family_id, year, "UM", extra, inventors, codes)

    def _codes(self, in_scope: bool) -> list[tuple[str, int]]:
        ai = [(c, f) for c, s, f in CPC_CODES if s]
        other = [(c, f) for c, s, f in CPC_CODES if not s]
        chosen = self.rng.sample(ai, self.rng.randint(1, 2)) if in_scope else []
        chosen += self.rng.sample(other, self.rng.randint(0 if in_scope else 1, 2))
        return chosen

    def _application(
        self,
        family_id: int,
        year: int,
        ipr_type: str,
        applicants: list[tuple[int, str]],
        inventors: list[int],
        codes: list[tuple[str, int]],
    ) -> None:
        appln_id = self.next_appln_id
        self.next_appln_id += 1
        authority = self.rng.choice(("EP", "CN", "US", "WO", applicants[0][1].strip() or "EP"))
        filing_date = "9999-12-31" if year == 9999 else f"{year}-{self.rng.randint(1, 12):02d}-15"
        self.tables_add(
            "tls201_appln",
            appln_id=appln_id,
            appln_auth=authority,
            appln_nr=str(appln_id * 7),
            appln_kind="U" if ipr_type == "UM" else ("W" if authority == "WO" else "A"),
            appln_filing_date=filing_date,
            appln_filing_year=year,
            appln_nr_epodoc=f"{authority}{year}{appln_id}",
            appln_nr_original=str(appln_id),
            ipr_type=ipr_type,
            receiving_office="",
            internat_appln_id=0,
            int_phase="N",
            reg_phase="N",
            nat_phase="N",
            earliest_filing_date=filing_date,
            earliest_filing_year=year,
            earliest_filing_id=appln_id,
            earliest_publn_date="9999-12-31",
            earliest_publn_year=9999,
            earliest_pat_publn_id=0,
            granted=self.granted[0] if self.rng.random() < 0.4 else self.granted[1],
            docdb_family_id=family_id,
            inpadoc_family_id=family_id,
            docdb_family_size=1,
            nb_citing_docdb_fam=0,
            nb_applicants=len(applicants),
            nb_inventors=len(inventors),
        )
        inventor_seq = {person: seq for seq, person in enumerate(inventors, start=1)}
        for seq, (person, _) in enumerate(applicants, start=1):
            self.tables_add(
                "tls207_pers_appln",
                person_id=person,
                appln_id=appln_id,
                applt_seq_nr=seq,
                invt_seq_nr=inventor_seq.pop(person, 0),
            )
        for person, seq in inventor_seq.items():
            self.tables_add(
                "tls207_pers_appln", person_id=person, appln_id=appln_id, applt_seq_nr=0, invt_seq_nr=seq
            )
        field_counts: dict[int, int] = {}
        for cpc, field in codes:
            self.tables_add("tls224_appln_cpc", appln_id=appln_id, cpc_class_symbol=cpc)
            ipc = IPC_FOR_CPC.get(cpc, cpc)
            self.tables_add(
                "tls209_appln_ipc",
                appln_id=appln_id,
                ipc_class_symbol=ipc,
                ipc_class_level="A",
                ipc_version="2006-01-01",
                ipc_value="I",
                ipc_position="F" if not field_counts else "L",
                ipc_gener_auth=self.rng.choice(("EP", "CN", "US")),
            )
            field_counts[field] = field_counts.get(field, 0) + 1
        # tls230 weights: the share of the application's IPC codes in each field (EPO's method), so they
        # differ from the 1/k-per-distinct-field fallback whenever two codes share a field.
        total = sum(field_counts.values())
        for field, count in sorted(field_counts.items()):
            self.tables_add(
                "tls230_appln_techn_field",
                appln_id=appln_id,
                techn_field_nr=field,
                weight=round(count / total, 6),
            )


def _tls901_rows() -> list[dict[str, object]]:
    rows = []
    for cpc, _, field in CPC_CODES:
        sector, name = WIPO_FIELDS[field]
        main_group = IPC_FOR_CPC.get(cpc, cpc).split("/")[0]
        rows.append(
            {
                "ipc_maingroup_symbol": main_group,
                "techn_field_nr": field,
                "techn_sector": sector,
                "techn_field": name,
            }
        )
    unique = {row["ipc_maingroup_symbol"]: row for row in rows}
    return [unique[key] for key in sorted(unique)]


def _write_parts(edition_dir: Path, tables: _Tables, table: str, parts: int, contiguous: bool) -> None:
    """Split a table's spooled rows into numbered zipped parts, streamed. Link tables are dealt
    round-robin, so the rows of one application land in several parts, as they can in a real edition."""
    number = table[:6]
    total = tables.counts[table]
    spool = tables.paths[table]
    header = io.StringIO()
    csv.writer(header, quoting=csv.QUOTE_NONNUMERIC, lineterminator="\r\n").writerow(tables.columns[table])
    with ExitStack() as stack:
        members = []
        for part in range(1, parts + 1):
            archive = stack.enter_context(
                zipfile.ZipFile(edition_dir / f"{number}_part{part:02d}.zip", "w", zipfile.ZIP_DEFLATED)
            )
            # A fixed timestamp keeps the archive bytes identical for the same seed.
            info = zipfile.ZipInfo(f"{number}_part{part:02d}.csv", date_time=(2025, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            member = stack.enter_context(
                archive.open(info, "w", force_zip64=spool.stat().st_size >= zipfile.ZIP64_LIMIT)
            )
            member.write(header.getvalue().encode("utf-8"))
            members.append(member)
        with spool.open("rb") as rows:
            for index, row in enumerate(rows):
                members[index * parts // max(total, 1) if contiguous else index % parts].write(row)


def generate_edition(
    landing_dir: Path,
    edition_id: str,
    *,
    n_families: int = 2000,
    seed: int = 0,
    first_year: int = 2011,
    parts: int = 2,
    with_tls230: bool = True,
    omit_columns: dict[str, tuple[str, ...]] | None = None,
    granted_as_digits: bool = False,
    universe_last_year: int | None = None,
) -> Path:
    """Write ``landing_dir/patstat/<edition_id>/`` and return that folder.

    ``omit_columns`` drops columns from a table's files (an older edition without ``reg_code``);
    ``granted_as_digits`` writes granted as 1/0 like older editions; ``with_tls230=False`` imitates an
    edition without the technology-field table. ``universe_last_year``: an edition of one universe of
    families filed up to that year (see the module docstring; same seed, same universe).
    """
    as_of = edition_as_of(edition_id)
    omitted = omit_columns or {}
    columns = {
        table: [name for name, _ in all_columns if name not in omitted.get(table, ())]
        for table, all_columns in SCHEMA_COLUMNS.items()
        if with_tls230 or table != "tls230_appln_techn_field"
    }
    edition_dir = landing_dir / "patstat" / edition_id
    edition_dir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix=".patstat-rows-", dir=landing_dir) as spool_dir:
        tables = _Tables(Path(spool_dir), columns)
        builder = _EditionBuilder(
            random.Random(seed), as_of, first_year, tables, granted_as_digits, universe_last_year
        )
        for _ in range(n_families):
            builder.family()
        for row in _tls901_rows():
            tables.add("tls901_techn_field_ipc", **row)
        tables.close()
        for table in columns:
            contiguous = table in ("tls201_appln", "tls206_person", "tls901_techn_field_ipc")
            table_parts = 1 if table == "tls901_techn_field_ipc" else parts
            _write_parts(edition_dir, tables, table, table_parts, contiguous)
    write_edition_meta(
        edition_dir, edition_id, f"generated PATSTAT edition (seed {seed}, {n_families} families)"
    )
    return edition_dir
