-- The European side of the watch list over every source: co-publications (int_watch_copublication_periods:
-- WoS, OpenAlex) and co-patent families (int_watch_copatent_periods: PATSTAT, per edition). A record is a
-- publication or a family; the watch marts count records.
select
    source,
    snapshot_id,
    record_id,
    period,
    pub_year,
    record_year,
    has_listed_partner,
    has_sensitive_topic,
    institution_key,
    institution_name,
    institution_country,
    institution_level
from {{ ref('int_watch_copublication_periods') }}
union all
select
    source,
    snapshot_id,
    record_id,
    period,
    pub_year,
    record_year,
    has_listed_partner,
    has_sensitive_topic,
    institution_key,
    institution_name,
    institution_country,
    institution_level
from {{ ref('int_watch_copatent_periods') }}
