-- int_patent_editions after the plausibility gate: the PATSTAT editions the patent marts count (a held
-- edition is left out), with is_current_edition = the newest edition not held (int_served_snapshots).
-- int_patent_editions itself lists every kept edition: the per-edition incremental models build held
-- editions too, so the gate can compare them.
select
    editions.edition_id,
    editions.edition_as_of,
    served.is_current as is_current_edition,
    editions.include_utility_models,
    editions.impute_countries,
    editions.patent_scope
from {{ ref('int_patent_editions') }} as editions
inner join {{ ref('int_served_snapshots') }} as served
    on
        served.source = 'patstat'
        and editions.edition_id = served.snapshot_id
where served.is_kept
