-- Every publication year from var first_year on must lie on the year spine of its snapshot
-- (int_snapshot_years, a fixed-length integer series); a year outside it would silently vanish from the
-- yearly marts. Only states the marts count (int_served_snapshots: kept, not held by the plausibility
-- gate) have a spine. Returns the missing (source, snapshot, year) combinations.
select distinct
    publications.source,
    publications.snapshot_id,
    publications.pub_year
from {{ ref('int_publications') }} as publications
inner join {{ ref('int_served_snapshots') }} as served
    on
        publications.source = served.source
        and publications.snapshot_id = served.snapshot_id
left join {{ ref('int_snapshot_years') }} as years
    on
        publications.source = years.source
        and publications.snapshot_id = years.snapshot_id
        and publications.pub_year = years.pub_year
where
    served.is_kept
    and publications.pub_year >= {{ int_var('first_year') }}
    and years.pub_year is null
