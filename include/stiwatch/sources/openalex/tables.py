"""SQL for the lake tables, over the ``works`` temp table built by ``reader.load_works``.

Every SELECT casts each output column to its contract type (docs/ARCHITECTURE.md), so a file without
rows still writes a Parquet part with the right schema. ``$snapshot_id`` and ``$source_file`` are bound
by the caller. The per-work lists are unnested in the SELECT list (one pass over ``works``), not with
lateral joins: DuckDB plans those as hash joins on a duplicate-eliminated copy of each nested value.
"""

from __future__ import annotations

# One row per element of `works.affiliations` (see reader: per authorship its institutions, else its
# `countries`; an authorship with neither gives no row, and the work may then have none at all: counted
# as works_without_country). An institution without a country is kept as UNKNOWN. The list is in lake
# order, so its position is the affiliation_seq. Written straight from `works`: a temp table of these rows
# cost more than it saved (the only other user, the works_without_country count, reads the list length).
AFFILIATIONS_SQL = """
    SELECT
        $snapshot_id::VARCHAR AS snapshot_id,
        $source_file::VARCHAR AS source_file,
        record_id::VARCHAR AS record_id,
        affiliation_seq::INTEGER AS affiliation_seq,
        1::INTEGER AS n_authors,
        affiliation.organisation::VARCHAR AS organisation,
        NULL::VARCHAR AS sub_units,
        NULL::VARCHAR AS city,
        affiliation.institution_id::VARCHAR AS institution_id,
        affiliation.ror::VARCHAR AS ror,
        affiliation.country_raw::VARCHAR AS country_raw,
        coalesce(nullif(upper(trim(affiliation.country_raw)), ''), 'UNKNOWN')::VARCHAR AS country_code,
        affiliation.country_basis::VARCHAR AS country_basis,
        NULL::VARCHAR AS country_form,  -- WoS only: the address parser's structural split
        NULL::VARCHAR[] AS place_parts
    FROM (
        -- Two unnests in one SELECT list advance together: element i with its position i.
        SELECT record_seq, record_id,
               unnest(affiliations) AS affiliation,
               unnest(range(1, len(affiliations) + 1)) AS affiliation_seq
        FROM works
    )
    ORDER BY record_seq, affiliation_seq
"""

# n_addresses is the number of affiliation rows, i.e. the length of the work's affiliation list.
PUBLICATIONS_SQL = """
    SELECT
        $snapshot_id::VARCHAR AS snapshot_id,
        $source_file::VARCHAR AS source_file,
        record_seq::INTEGER AS record_seq,
        record_id::VARCHAR AS record_id,
        pub_year::INTEGER AS pub_year,
        CASE WHEN pub_year IS NOT NULL THEN 'publication_year' END::VARCHAR AS year_basis,
        doi::VARCHAR AS doi,
        title::VARCHAR AS title,
        source_title::VARCHAR AS source_title,
        doc_type::VARCHAR AS doc_type,
        NULL::VARCHAR AS abstract,
        keywords::VARCHAR AS keywords,
        updated_date::DATE AS updated_date,
        len(affiliations)::INTEGER AS n_addresses
    FROM works
    ORDER BY record_seq
"""

# Candidates from primary_topic (is_primary) and topics[] (is_primary only when it is the primary one),
# deduplicated per work, scheme and id: the label of a primary candidate wins, then the first listed (a
# fixed order, where arg_max over equal keys would pick any). category_id is the numeric tail of the id
# URL (https://openalex.org/subfields/1702 -> '1702', https://openalex.org/T10319 -> '10319').
CATEGORIES_SQL = """
    WITH listed AS (
        SELECT record_seq, record_id, primary_topic.id AS primary_id,
               unnest(topics) AS topic, unnest(range(1, len(topics) + 1)) AS position
        FROM works
    ),
    topic AS (
        SELECT record_seq, record_id, primary_topic AS topic, TRUE AS is_primary, 0 AS position
        FROM works WHERE primary_topic IS NOT NULL
        UNION ALL
        SELECT record_seq, record_id, topic, coalesce(topic.id = primary_id, FALSE) AS is_primary, position
        FROM listed WHERE topic IS NOT NULL
    ),
    candidate AS (
        SELECT record_seq, record_id, 'openalex_topic' AS scheme,
               topic.id AS id, topic.display_name AS label, is_primary, position
        FROM topic
        UNION ALL
        SELECT record_seq, record_id, 'openalex_subfield' AS scheme,
               topic.subfield.id AS id, topic.subfield.display_name AS label, is_primary, position
        FROM topic
    ),
    numbered AS (
        SELECT *, regexp_extract(id, '(\\d+)$', 1) AS category_id FROM candidate
    )
    SELECT
        $snapshot_id::VARCHAR AS snapshot_id,
        $source_file::VARCHAR AS source_file,
        record_id::VARCHAR AS record_id,
        scheme::VARCHAR AS scheme,
        category_id::VARCHAR AS category_id,
        arg_min(label, (NOT is_primary, position))::VARCHAR AS category,
        bool_or(is_primary)::BOOLEAN AS is_primary
    FROM numbered
    WHERE category_id <> ''
    GROUP BY record_seq, record_id, scheme, category_id
    ORDER BY record_seq, scheme, is_primary DESC, category_id
"""
