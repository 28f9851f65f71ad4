-- WoS records of published files, one row per (snapshot, UT). A snapshot split into several export files
-- may hold a UT more than once: the first occurrence by (source_file, record_seq) is kept, and its
-- affiliations and categories are taken from that same file.
with

source as (
    select * from {{ lake_table('wos', 'publications') }} as publications
),

published_files as (
    select
        snapshot_id,
        source_file
    from {{ ref('stg_lake__snapshot_files') }}
    where source = 'wos'
),

-- Records failing a record-level rule stay out of the marts (stg_lake__quarantine, mart dq_quarantine).
quarantined as (
    select distinct
        snapshot_id,
        source_file,
        record_seq
    from {{ ref('stg_lake__quarantine') }}
    where source = 'wos'
),

renamed as (
    select
        source.snapshot_id,
        source.record_id,
        source.source_file,
        source.record_seq,
        source.pub_year,
        source.year_basis,
        source.doi,
        source.title,
        source.source_title,
        source.doc_type,
        source.abstract,
        source.keywords,
        source.n_addresses,
        row_number() over (
            partition by source.snapshot_id, source.record_id
            order by source.source_file, source.record_seq
        ) as occurrence
    from source
    inner join published_files
        on
            source.snapshot_id = published_files.snapshot_id
            and source.source_file = published_files.source_file
    left join quarantined
        on
            source.snapshot_id = quarantined.snapshot_id
            and source.source_file = quarantined.source_file
            and source.record_seq = quarantined.record_seq
    where quarantined.record_seq is null
)

select
    snapshot_id,
    record_id,
    source_file,
    record_seq,
    pub_year,
    year_basis,
    doi,
    title,
    source_title,
    doc_type,
    abstract,
    keywords,
    n_addresses
from renamed
where occurrence = 1
