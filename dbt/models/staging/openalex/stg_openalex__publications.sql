-- OpenAlex works of published files, one row per (delivery, work): the version each delivery (a full
-- snapshot or a delta) holds. A delivery can hold a work in several updated_date partitions: the latest
-- updated_date wins (on equal dates the greater source_file, then the later record). Folding deliveries
-- into states (latest version over the state's members, merged ids dropped) is int_openalex_state_works.
with

source as (
    select * from {{ lake_table('openalex', 'publications') }} as publications
),

published_files as (
    select
        snapshot_id,
        source_file
    from {{ ref('stg_lake__snapshot_files') }}
    where source = 'openalex'
),

-- Records failing a record-level rule stay out of the marts (stg_lake__quarantine, mart dq_quarantine).
quarantined as (
    select distinct
        snapshot_id,
        source_file,
        record_seq
    from {{ ref('stg_lake__quarantine') }}
    where source = 'openalex'
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
        source.updated_date,
        source.n_addresses,
        row_number() over (
            partition by source.snapshot_id, source.record_id
            order by
                source.updated_date desc nulls last,
                source.source_file desc,
                source.record_seq desc
        ) as recency
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
    updated_date,
    n_addresses
from renamed
where recency = 1
