"""The fixed vocabulary the demo generator draws from: institutions, people, categories, topics.

Addresses are written the way Web of Science abbreviates them (``Chinese Acad Sci, Inst Automat, Beijing
100190, Peoples R China``). OpenAlex ids and ROR ids here are synthetic (they have the real shapes but do not
point at the real records): the demo must never be mistaken for real data. The exception: the two
universities of the demo indicator list carry their real ROR ids, the ids the list names.
"""

from __future__ import annotations

from dataclasses import dataclass

REGIONS = ("CN", "EU", "US", "OTHER")


@dataclass(frozen=True)
class Institution:
    region: str  # which growth curve the institution follows (CN includes HK/MO here)
    iso2: str | None  # the true country; None for the deliberately unmappable one
    wos_org: str
    wos_sub_unit: str
    wos_city: str  # city with postcode as WoS writes it; for the USA "City, ST ZIP" precedes "USA"
    wos_country: str
    openalex_name: str
    openalex_type: str = "education"
    # A real ROR id for the universities of the demo indicator list (stiwatch.demo.indicators), so that
    # OpenAlex works name them as the list does; every other institution gets a synthetic id.
    ror_id: str | None = None

    @property
    def wos_address(self) -> str:
        parts = [self.wos_org, self.wos_sub_unit, self.wos_city]
        if self.wos_country == "USA":
            # WoS writes "<City>, <ST> <ZIP> USA": the state and ZIP share the last part with the country.
            return ", ".join(p for p in parts if p) + " USA"
        return ", ".join([*(p for p in parts if p), self.wos_country])


INSTITUTIONS: tuple[Institution, ...] = (
    Institution(
        "CN",
        "CN",
        "Chinese Acad Sci",
        "Inst Automat",
        "Beijing 100190",
        "Peoples R China",
        "Chinese Academy of Sciences",
        "government",
    ),
    Institution(
        "CN",
        "CN",
        "Tsinghua Univ",
        "Dept Comp Sci & Technol",
        "Beijing 100084",
        "Peoples R China",
        "Tsinghua University",
    ),
    Institution(
        "CN",
        "CN",
        "Zhejiang Univ",
        "Coll Comp Sci & Technol",
        "Hangzhou 310027",
        "Peoples R China",
        "Zhejiang University",
    ),
    Institution(
        "CN",
        "CN",
        "Shanghai Jiao Tong Univ",
        "Dept Elect Engn",
        "Shanghai 200240",
        "Peoples R China",
        "Shanghai Jiao Tong University",
    ),
    Institution(
        "CN",
        "CN",
        "Huazhong Univ Sci & Technol",
        "Sch Elect Informat & Commun",
        "Wuhan 430074",
        "Peoples R China",
        "Huazhong University of Science and Technology",
    ),
    Institution(
        "CN",
        "CN",
        "Peking Univ",
        "Sch Elect Engn & Comp Sci",
        "Beijing 100871",
        "Peoples R China",
        "Peking University",
    ),
    # Hong Kong and Macau: the modern style ends in "Peoples R China", the older one in "Hong Kong".
    Institution(
        "CN",
        "HK",
        "Hong Kong Univ Sci & Technol",
        "Dept Comp Sci & Engn",
        "Hong Kong",
        "Peoples R China",
        "Hong Kong University of Science and Technology",
    ),
    Institution(
        "CN",
        "HK",
        "Chinese Univ Hong Kong",
        "Dept Informat Engn",
        "Shatin",
        "Hong Kong",
        "Chinese University of Hong Kong",
    ),
    Institution(
        "CN", "MO", "Univ Macau", "Fac Sci & Technol", "Macau", "Peoples R China", "University of Macau"
    ),
    # Two of the "Seven Sons of National Defence" (the demo indicator list): the watch list has partners.
    Institution(
        "CN",
        "CN",
        "Harbin Inst Technol",
        "Sch Comp Sci & Technol",
        "Harbin 150001",
        "Peoples R China",
        "Harbin Institute of Technology",
        ror_id="01yqg2h08",
    ),
    Institution(
        "CN",
        "CN",
        "Beihang Univ",
        "Sch Comp Sci & Engn",
        "Beijing 100191",
        "Peoples R China",
        "Beihang University",
        ror_id="00wk2mp56",
    ),
    Institution(
        "EU",
        "NL",
        "Delft Univ Technol",
        "Fac Elect Engn",
        "Delft",
        "Netherlands",
        "Delft University of Technology",
    ),
    Institution(
        "EU",
        "DE",
        "Tech Univ Munich",
        "Dept Informat",
        "D-85748 Garching",
        "Germany",
        "Technical University of Munich",
    ),
    Institution(
        "EU",
        "DE",
        "Max Planck Inst Informat",
        "",
        "D-66123 Saarbrucken",
        "Germany",
        "Max Planck Institute for Informatics",
        "facility",
    ),
    Institution(
        "EU",
        "FR",
        "Inria",
        "",
        "F-38330 Montbonnot St Martin",
        "France",
        "French Institute for Research in Computer Science and Automation",
        "government",
    ),
    Institution(
        "EU", "GB", "Univ Oxford", "Dept Engn Sci", "Oxford OX1 3PJ", "England", "University of Oxford"
    ),
    Institution(
        "EU",
        "GB",
        "Univ Edinburgh",
        "Sch Informat",
        "Edinburgh EH8 9AB",
        "Scotland",
        "University of Edinburgh",
    ),
    Institution(
        "EU", "CH", "Swiss Fed Inst Technol", "Dept Comp Sci", "CH-8092 Zurich", "Switzerland", "ETH Zurich"
    ),
    Institution(
        "EU",
        "SE",
        "KTH Royal Inst Technol",
        "Sch Elect Engn & Comp Sci",
        "S-10044 Stockholm",
        "Sweden",
        "KTH Royal Institute of Technology",
    ),
    Institution(
        "EU",
        "ES",
        "Univ Politecn Madrid",
        "ETSI Telecomunicac",
        "Madrid 28040",
        "Spain",
        "Universidad Politécnica de Madrid",
    ),
    Institution(
        "EU",
        "IT",
        "Politecn Milan",
        "Dipartimento Elettron Informaz & Bioingn",
        "I-20133 Milan",
        "Italy",
        "Politecnico di Milano",
    ),
    Institution(
        "EU",
        "NO",
        "Norwegian Univ Sci & Technol",
        "Dept Comp Sci",
        "N-7491 Trondheim",
        "Norway",
        "Norwegian University of Science and Technology",
    ),
    Institution(
        "EU",
        "GR",
        "Natl Tech Univ Athens",
        "Sch Elect & Comp Engn",
        "Athens 15780",
        "Greece",
        "National Technical University of Athens",
    ),
    Institution("EU", "BE", "Katholieke Univ Leuven", "ESAT PSI", "B-3001 Leuven", "Belgium", "KU Leuven"),
    Institution(
        "US", "US", "Stanford Univ", "Dept Comp Sci", "Stanford, CA 94305", "USA", "Stanford University"
    ),
    Institution(
        "US",
        "US",
        "MIT",
        "Comp Sci & Artificial Intelligence Lab",
        "Cambridge, MA 02139",
        "USA",
        "Massachusetts Institute of Technology",
    ),
    Institution(
        "US",
        "US",
        "Carnegie Mellon Univ",
        "Sch Comp Sci",
        "Pittsburgh, PA 15213",
        "USA",
        "Carnegie Mellon University",
    ),
    Institution(
        "US",
        "US",
        "Univ Calif Berkeley",
        "Dept Elect Engn & Comp Sci",
        "Berkeley, CA 94720",
        "USA",
        "University of California, Berkeley",
    ),
    Institution(
        "OTHER",
        "TW",
        "Natl Taiwan Univ",
        "Dept Comp Sci & Informat Engn",
        "Taipei 10617",
        "Taiwan",
        "National Taiwan University",
    ),
    Institution(
        "OTHER",
        "JP",
        "Univ Tokyo",
        "Grad Sch Informat Sci & Technol",
        "Tokyo 1138656",
        "Japan",
        "University of Tokyo",
    ),
    Institution(
        "OTHER",
        "KR",
        "Korea Adv Inst Sci & Technol",
        "Sch Comp",
        "Daejeon 34141",
        "South Korea",
        "Korea Advanced Institute of Science and Technology",
    ),
    Institution(
        "OTHER",
        "IN",
        "Indian Inst Technol",
        "Dept Comp Sci & Engn",
        "Kanpur 208016",
        "India",
        "Indian Institute of Technology Kanpur",
    ),
    Institution(
        "OTHER",
        "TR",
        "Middle East Tech Univ",
        "Dept Comp Engn",
        "TR-06800 Ankara",
        "Turkiye",
        "Middle East Technical University",
    ),
)

# One rare address whose country string no mapping knows: it must surface as UNKNOWN, never vanish.
UNMAPPED = Institution(
    "OTHER",
    None,
    "Atlantis Inst Adv Studies",
    "Dept Math",
    "Poseidonia",
    "Atlantis",
    "Atlantis Institute for Advanced Studies",
    "facility",
)

SURNAMES = {
    "CN": ("Li", "Wang", "Zhang", "Liu", "Chen", "Yang", "Zhao", "Huang", "Zhou", "Wu"),
    "EU": (
        "Smith",
        "Muller",
        "Rossi",
        "Garcia",
        "de Vries",
        "Dubois",
        "Jensen",
        "Novak",
        "Papadopoulos",
        "Berg",
    ),
    "US": ("Johnson", "Brown", "Miller", "Davis", "Wilson", "Moore", "Taylor", "Anderson"),
    "OTHER": ("Tanaka", "Kim", "Sharma", "Yilmaz", "Lin", "Sato", "Park", "Gupta"),
}
GIVEN_NAMES = (
    "Wei",
    "Jun",
    "Anna",
    "Maria",
    "James",
    "Pieter",
    "Lucia",
    "Hiroshi",
    "Min",
    "Ravi",
    "Elena",
    "Thomas",
    "Xiaoming",
    "Sofia",
    "David",
    "Yan",
)

# WoS categories (WC) and the research areas (SC) they roll up to.
WOS_CATEGORIES = (
    ("Computer Science, Artificial Intelligence", "Computer Science"),
    ("Computer Science, Information Systems", "Computer Science"),
    ("Computer Science, Theory & Methods", "Computer Science"),
    ("Engineering, Electrical & Electronic", "Engineering"),
    ("Telecommunications", "Telecommunications"),
    ("Imaging Science & Photographic Technology", "Imaging Science & Photographic Technology"),
    ("Automation & Control Systems", "Automation & Control Systems"),
)

# OpenAlex topics: (topic id, topic, subfield id, subfield, field id, field, domain id, domain).
# The last one is outside the AI/big-data scope on purpose (a scope filter must drop it).
OPENALEX_TOPICS = (
    (
        10036,
        "Advanced Neural Network Applications",
        1707,
        "Computer Vision and Pattern Recognition",
        17,
        "Computer Science",
        3,
        "Physical Sciences",
    ),
    (
        10028,
        "Topic Modeling",
        1702,
        "Artificial Intelligence",
        17,
        "Computer Science",
        3,
        "Physical Sciences",
    ),
    (
        10320,
        "Neural Networks and Applications",
        1702,
        "Artificial Intelligence",
        17,
        "Computer Science",
        3,
        "Physical Sciences",
    ),
    (
        10964,
        "Wireless Networks and Protocols",
        1705,
        "Computer Networks and Communications",
        17,
        "Computer Science",
        3,
        "Physical Sciences",
    ),
    (
        10500,
        "Sparse and Compressive Sensing Techniques",
        1711,
        "Signal Processing",
        17,
        "Computer Science",
        3,
        "Physical Sciences",
    ),
    (
        11273,
        "Advanced Graph Neural Networks",
        1710,
        "Information Systems",
        17,
        "Computer Science",
        3,
        "Physical Sciences",
    ),
    (
        10319,
        "Conservation, Biodiversity, and Resource Management",
        2306,
        "Global and Planetary Change",
        23,
        "Environmental Science",
        3,
        "Physical Sciences",
    ),
)
IN_SCOPE_SUBFIELDS = frozenset({1702, 1705, 1707, 1710, 1711})

TITLE_METHODS = (
    "Deep learning",
    "Graph neural networks",
    "Federated learning",
    "Transformer models",
    "Reinforcement learning",
    "Big data analytics",
    "Machine learning",
    "Data mining",
)
TITLE_TASKS = (
    "image segmentation",
    "traffic forecasting",
    "anomaly detection",
    "speech recognition",
    "resource allocation in 5G networks",
    "medical image diagnosis",
    "recommendation",
    "fault diagnosis of rotating machinery",
    "person re-identification",
)
OUT_OF_SCOPE_TITLES = (
    "Soil carbon dynamics in alpine grasslands",
    "Community forest management in Sumatra",
    "Grazing pressure and plant diversity in steppe ecosystems",
)
JOURNALS = (
    "IEEE TRANSACTIONS ON PATTERN ANALYSIS AND MACHINE INTELLIGENCE",
    "NEUROCOMPUTING",
    "IEEE ACCESS",
    "PATTERN RECOGNITION",
    "IEEE TRANSACTIONS ON WIRELESS COMMUNICATIONS",
    "EXPERT SYSTEMS WITH APPLICATIONS",
    "KNOWLEDGE-BASED SYSTEMS",
)
