-- The European side of the watch list over every source: co-publications (int_watch_copublication_periods:
-- WoS, OpenAlex) and co-patent families (int_watch_copatent_periods: PATSTAT, per edition). A record is a
-- publication or a family; the watch marts count records.
select * from {{ ref('int_watch_copublication_periods') }}
union all
select * from {{ ref('int_watch_copatent_periods') }}
