{{ config(materialized='view') }}
-- The rows of int_affiliations_regioned_by_version per state (macros/utils/state_rows.sql):
-- snapshot_id is the state, version_snapshot_id the delivery holding the version the state counts.
{{ rows_per_state(ref('int_affiliations_regioned_by_version')) }}
