"""SQL for the lake tables, over the ``works`` temp table built by ``reader.load_works``.

Every SELECT casts each output column to its contract type (docs/ARCHITECTURE.md), so a file without
rows still writes a Parquet part with the right schema. ``$snapshot_id`` and ``$source_file`` are bound
by the caller.
"""

from __future__ import annotations

# One row per (work, authorship, institution). An authorship without institutions falls back to its
# `countries` (one row per country); an authorship with neither gives no row (the work may then have none
# at all: counted as works_without_country). An institution without a country is kept as UNKNOWN.
AFFILIATIONS_TEMP_SQL = """
    CREATE TEMP TABLE affiliation_rows AS
    WITH authorship AS (
        SELECT w.record_seq, w.record_id, a.authorship, a.authorship_seq
        FROM works AS w, unnest(w.authorships) WITH ORDINALITY AS a(authorship, authorship_seq)
        WHERE a.authorship IS NOT NULL
    ),
    by_institution AS (
        SELECT record_seq, record_id, authorship_seq, i.item_seq,
               i.inst.display_name AS organisation,
               nullif(regexp_extract(i.inst.id, '(I\\d+)$', 1), '') AS institution_id,
               i.inst.ror AS ror,
               i.inst.country_code AS country_raw,
               'institution' AS country_basis
        FROM authorship, unnest(authorship.institutions) WITH ORDINALITY AS i(inst, item_seq)
        WHERE i.inst IS NOT NULL
    ),
    by_authorship_country AS (
        SELECT record_seq, record_id, authorship_seq, c.item_seq,
               NULL AS organisation, NULL AS institution_id, NULL AS ror,
               c.country AS country_raw,
               'authorship_countries' AS country_basis
        FROM authorship, unnest(authorship.countries) WITH ORDINALITY AS c(country, item_seq)
        WHERE coalesce(len(authorship.institutions), 0) = 0 AND c.country IS NOT NULL
    ),
    located AS (
        SELECT * FROM by_institution
        UNION ALL
        SELECT * FROM by_authorship_country
    )
    SELECT
        record_seq,
        $snapshot_id::VARCHAR AS snapshot_id,
        $source_file::VARCHAR AS source_file,
        record_id::VARCHAR AS record_id,
        row_number() OVER (PARTITION BY record_seq ORDER BY authorship_seq, item_seq)::INTEGER
            AS affiliation_seq,
        1::INTEGER AS n_authors,
        organisation::VARCHAR AS organisation,
        NULL::VARCHAR AS sub_units,
        NULL::VARCHAR AS city,
        institution_id::VARCHAR AS institution_id,
        ror::VARCHAR AS ror,
        country_raw::VARCHAR AS country_raw,
        coalesce(nullif(upper(trim(country_raw)), ''), 'UNKNOWN')::VARCHAR AS country_code,
        country_basis::VARCHAR AS country_basis
    FROM located
"""

AFFILIATIONS_SQL = """
    SELECT * EXCLUDE (record_seq) FROM affiliation_rows ORDER BY record_seq, affiliation_seq
"""

PUBLICATIONS_SQL = """
    SELECT
        $snapshot_id::VARCHAR AS snapshot_id,
        $source_file::VARCHAR AS source_file,
        w.record_seq::INTEGER AS record_seq,
        w.record_id::VARCHAR AS record_id,
        w.pub_year::INTEGER AS pub_year,
        CASE WHEN w.pub_year IS NOT NULL THEN 'publication_year' END::VARCHAR AS year_basis,
        w.doi::VARCHAR AS doi,
        w.title::VARCHAR AS title,
        w.source_title::VARCHAR AS source_title,
        w.doc_type::VARCHAR AS doc_type,
        NULL::VARCHAR AS abstract,
        w.keywords::VARCHAR AS keywords,
        w.updated_date::DATE AS updated_date,
        coalesce(n.n_addresses, 0)::INTEGER AS n_addresses
    FROM works AS w
    LEFT JOIN (
        SELECT record_seq, count(*) AS n_addresses FROM affiliation_rows GROUP BY record_seq
    ) AS n USING (record_seq)
    ORDER BY w.record_seq
"""

# Candidates from primary_topic (is_primary) and topics[] (is_primary only when it is the primary one),
# deduplicated per work, scheme and id. category_id is the numeric tail of the id URL
# (https://openalex.org/subfields/1702 -> '1702', https://openalex.org/T10319 -> '10319').
CATEGORIES_SQL = """
    WITH primary_topic AS (
        SELECT record_seq, record_id, primary_topic AS topic, TRUE AS is_primary
        FROM works WHERE primary_topic IS NOT NULL
    ),
    listed_topic AS (
        SELECT w.record_seq, w.record_id, t.topic,
               coalesce(t.topic.id = w.primary_topic.id, FALSE) AS is_primary
        FROM works AS w, unnest(w.topics) AS t(topic)
        WHERE t.topic IS NOT NULL
    ),
    topic AS (
        SELECT * FROM primary_topic
        UNION ALL
        SELECT * FROM listed_topic
    ),
    candidate AS (
        SELECT record_seq, record_id, 'openalex_topic' AS scheme,
               topic.id AS id, topic.display_name AS label, is_primary
        FROM topic
        UNION ALL
        SELECT record_seq, record_id, 'openalex_subfield' AS scheme,
               topic.subfield.id AS id, topic.subfield.display_name AS label, is_primary
        FROM topic
    )
    SELECT
        $snapshot_id::VARCHAR AS snapshot_id,
        $source_file::VARCHAR AS source_file,
        record_id::VARCHAR AS record_id,
        scheme::VARCHAR AS scheme,
        regexp_extract(id, '(\\d+)$', 1)::VARCHAR AS category_id,
        arg_max(label, is_primary)::VARCHAR AS category,
        bool_or(is_primary)::BOOLEAN AS is_primary
    FROM candidate
    WHERE regexp_extract(id, '(\\d+)$', 1) <> ''
    GROUP BY record_seq, record_id, scheme, regexp_extract(id, '(\\d+)$', 1)
    ORDER BY record_seq, scheme, is_primary DESC, category_id
"""
