-- Listed Chinese partners per record over every source: int_watch_listed_partners (publications) and
-- int_watch_copatent_partners (patent families).
select * from {{ ref('int_watch_listed_partners') }}
union all
select * from {{ ref('int_watch_copatent_partners') }}
