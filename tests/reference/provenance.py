"""Per-file pair counts published in shared/data/PROVENANCE.md, for the tests that check against them.

PROVENANCE.md counts records with CN+EU27/AC, CN+US and EU27/AC+US affiliations by a rough rule (the last
comma part of each address). METHOD.md differs in one place: old WoS addresses ending in a US state and
ZIP without "USA" count as US. In the shared files that adds exactly the records below (metaknowledge).
"""

# file name -> (CN+EU27/AC, CN+US, EU27/AC+US), copied from PROVENANCE.md
PROVENANCE_PAIRS = {
    "scientopy_wos_2026_04_02_1000.txt.gz": (15, 12, 22),
    "scientopy_wos_2026_04_02_4000.txt.gz": (9, 18, 18),
    "scientopy_wos_2026_04_02_4071.txt": (2, 1, 1),
    "lamatawk_alldb_130.txt": (1, 1, 2),
    "lamatawk_alldb_217.txt": (1, 3, 2),
    "lamatawk_alldb_283.txt": (11, 3, 15),
    "lamatawk_alldb_390.txt": (4, 8, 9),
    "lamatawk_alldb_68.txt": (2, 2, 4),
    "lamatawk_savedrecs_tab_no_addresses.txt.gz": (0, 0, 0),
    "wosanalysis_2.txt.gz": (12, 11, 22),
    "wo1dnr5_savedrecs.txt.gz": (14, 12, 9),
    "wo1dnr5_savedrecs-2.txt.gz": (7, 11, 11),
    "xzy_data_3.txt.gz": (18, 14, 23),
    "xzy_data_4.txt.gz": (16, 16, 35),
    "xzy_data_6.txt.gz": (7, 5, 20),
    "xzy_data_7.txt.gz": (13, 11, 17),
    "xzy_data_8.txt.gz": (7, 5, 13),
    "metaknowledge_ManyAuthors.isi.gz": (4, 2, 24),
    "blacksilicon_savedrecs.txt.gz": (13, 11, 17),
    "openalexpro_json_chunk_2_results_page_1.json": (0, 0, 2),
    "openalexpro_jsonl_chunk_2_results_page_1.jsonl": (0, 0, 2),
    "openalexpro_json_chunk_3_results_page_1.json": (0, 1, 1),
    "openalexpro_jsonl_chunk_3_results_page_1.jsonl": (0, 1, 1),
    "openalexpro_json_chunk_4_results_page_1.json": (1, 0, 0),
    "mearman_works_q2.json.gz": (0, 1, 2),
    "mearman_works_q3.json.gz": (0, 0, 4),
    "herreio_tu9_books_2017_2022.json.gz": (4, 1, 48),
}

# UT -> the pair METHOD.md's old-US-address rule adds on top of PROVENANCE.md's count (checked by hand).
OLD_US_ADDRESS_PAIRS = {
    "WOS:A1997YL01500038": ("CN", "US"),
    "WOS:A1983QA36300018": ("EU27/AC", "US"),
    "WOS:A1987K805100002": ("EU27/AC", "US"),
}
