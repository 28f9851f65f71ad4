-- One row per quarantined record and rule (stg_lake__quarantine): records of published deliveries that
-- fail a record-level rule, with the file and record number to find them. Never counted in the marts.
select
    cast(quarantine.source as string) as source,
    cast(quarantine.snapshot_id as string) as snapshot_id,
    cast(quarantine.source_file as string) as source_file,
    cast(quarantine.record_seq as integer) as record_seq,
    cast(quarantine.record_id as string) as record_id,
    cast(quarantine.pub_year as integer) as pub_year,
    cast(quarantine.rule as string) as rule,
    cast(quarantine.detail as string) as detail,
    cast({{ int_var('quarantine_min_year') }} as integer) as quarantine_min_year,
    cast({{ int_var('quarantine_years_ahead') }} as integer) as quarantine_years_ahead
from {{ ref('stg_lake__quarantine') }} as quarantine
