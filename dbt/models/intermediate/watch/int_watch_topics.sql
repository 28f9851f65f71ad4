-- Sensitive topics per record over every source: publications (int_publication_sensitive_topics) and
-- patent families (int_patent_family_sensitive_topics, by CPC/IPC prefix).
select
    source,
    snapshot_id,
    record_id,
    topic_id
from {{ ref('int_publication_sensitive_topics') }}
union all
select
    'patstat' as source,
    edition_id as snapshot_id,
    cast(docdb_family_id as string) as record_id,
    topic_id
from {{ ref('int_patent_family_sensitive_topics') }}
