-- The sensitive topics of each patent family of every kept edition: a family is in a topic when one of
-- its counted applications (int_patent_applications) carries a CPC or IPC symbol that starts with a
-- `cpc` / `ipc` term of seed sensitive_topic_terms (var sensitive_topics_version; symbols without spaces,
-- as in staging). One row per (edition, family, topic).
with

terms as (
    select distinct
        topic_id,
        scheme,
        replace(term, ' ', '') as code_prefix
    from {{ ref('sensitive_topic_terms') }}
    where
        topic_version = {{ sensitive_topics_version_literal() }}
        and scheme in ('cpc', 'ipc')
),

symbols as (
    select
        edition_id,
        appln_id,
        'cpc' as scheme,
        symbol
    from {{ ref('stg_patstat__appln_cpc') }}
    union all
    select
        edition_id,
        appln_id,
        'ipc' as scheme,
        symbol
    from {{ ref('stg_patstat__appln_ipc') }}
)

select distinct
    applications.edition_id,
    applications.docdb_family_id,
    terms.topic_id,
    {{ sensitive_topics_version_literal() }} as topic_version
from symbols
inner join terms
    on
        symbols.scheme = terms.scheme
        and {{ starts_with('symbols.symbol', 'terms.code_prefix') }}
inner join {{ ref('int_patent_applications') }} as applications
    on
        symbols.edition_id = applications.edition_id
        and symbols.appln_id = applications.appln_id
