"""The watch list's inputs: indicator lists (landing/indicators/) resolved to institutions, and the ROR
organisation hierarchy; both written to the lake before dbt (``prepare_watch_list``)."""
