{{ config(materialized='table') }}
-- Publication records of published files that fail a record-level rule, one row per (record, rule): they
-- are kept out of staging (stg_wos__publications, stg_openalex__publications leave them out, and with
-- them their affiliations and categories), counted and listed in mart dq_quarantine, and never stop the
-- other records. The record is found again by its file and 1-based record number within the file.
--   implausible_year: pub_year before var quarantine_min_year, or more than var quarantine_years_ahead
--     after the as-of year of its delivery (PY 1850, 2099, 9999); a record without a year is kept
--     (counted as without year in the manifest).
--   missing_id: no record id (WoS UT, OpenAlex W id).
--   conflicting_duplicate: an occurrence of an id that differs in content from the occurrence of the same
--     id in the same delivery that staging counts (WoS: the first by file and record number; OpenAlex,
--     among versions with the same updated_date: the greater file, then the later record). The counted
--     occurrence stays; the differing copies are listed so the conflict is seen. Identical repeats (a
--     record in two export files) are normal and kept once by staging.
-- A table, not a view: the publication staging models and the mart read it, the lake is scanned once.
with

publications as (
    select
        'wos' as source,
        snapshot_id,
        source_file,
        record_seq,
        record_id,
        pub_year,
        updated_date,
        doi,
        title,
        source_title,
        doc_type,
        abstract,
        keywords,
        n_addresses
    from {{ lake_table('wos', 'publications') }} as wos_publications
    union all
    select
        'openalex' as source,
        snapshot_id,
        source_file,
        record_seq,
        record_id,
        pub_year,
        updated_date,
        doi,
        title,
        source_title,
        doc_type,
        abstract,
        keywords,
        n_addresses
    from {{ lake_table('openalex', 'publications') }} as openalex_publications
),

published as (
    select
        publications.*,
        deliveries.snapshot_as_of
    from publications
    inner join {{ ref('stg_lake__snapshot_files') }} as files
        on
            publications.source = files.source
            and publications.snapshot_id = files.snapshot_id
            and publications.source_file = files.source_file
    inner join {{ ref('stg_lake__snapshots') }} as deliveries
        on
            publications.source = deliveries.source
            and publications.snapshot_id = deliveries.snapshot_id
),

-- Only ids seen more than once in a delivery are compared by content (hashing every record would cost a
-- pass over every abstract on every build).
repeated_ids as (
    select
        source,
        snapshot_id,
        record_id,
        updated_date
    from published
    where record_id is not null and trim(record_id) <> ''
    group by source, snapshot_id, record_id, updated_date
    having count(*) > 1
),

repeated as (
    select
        published.*,
        {{ content_hash([
            'published.pub_year', 'published.doi', 'published.title', 'published.source_title',
            'published.doc_type', 'published.abstract', 'published.keywords', 'published.n_addresses',
        ]) }} as content_hash
    from published
    inner join repeated_ids
        on
            published.source = repeated_ids.source
            and published.snapshot_id = repeated_ids.snapshot_id
            and published.record_id = repeated_ids.record_id
            and published.updated_date is not distinct from repeated_ids.updated_date
),

-- The occurrence staging keeps (WoS: the first by file and record number; OpenAlex: the greater file,
-- then the later record) and its content.
ranked as (
    select
        repeated.*,
        first_value(repeated.content_hash) over (
            partition by repeated.source, repeated.snapshot_id, repeated.record_id, repeated.updated_date
            order by
                case when repeated.source = 'wos' then repeated.source_file end asc,
                case when repeated.source = 'wos' then repeated.record_seq end asc,
                repeated.source_file desc,
                repeated.record_seq desc
        ) as kept_content_hash,
        count(*) over (
            partition by repeated.source, repeated.snapshot_id, repeated.record_id, repeated.updated_date
        ) as occurrences
    from repeated
),

failures as (
    select
        source,
        snapshot_id,
        source_file,
        record_seq,
        record_id,
        pub_year,
        'implausible_year' as rule,
        'publication year ' || cast(pub_year as string) || ' outside '
        || cast({{ int_var('quarantine_min_year') }} as string) || ' to '
        || cast(
            extract(year from snapshot_as_of) + {{ int_var('quarantine_years_ahead') }} as string
        )
        || ' (as-of year + {{ int_var("quarantine_years_ahead") }})' as detail
    from published
    where
        pub_year < {{ int_var('quarantine_min_year') }}
        or pub_year > extract(year from snapshot_as_of) + {{ int_var('quarantine_years_ahead') }}
    union all
    select
        source,
        snapshot_id,
        source_file,
        record_seq,
        record_id,
        pub_year,
        'missing_id' as rule,
        'the record has no id' as detail
    from published
    where record_id is null or trim(record_id) = ''
    union all
    select
        source,
        snapshot_id,
        source_file,
        record_seq,
        record_id,
        pub_year,
        'conflicting_duplicate' as rule,
        'id ' || record_id || ' occurs ' || cast(occurrences as string)
        || ' times in this delivery; this occurrence differs from the one counted' as detail
    from ranked
    where content_hash <> kept_content_hash
)

select
    source,
    snapshot_id,
    source_file,
    cast(record_seq as integer) as record_seq,
    record_id,
    cast(pub_year as integer) as pub_year,
    rule,
    detail
from failures
