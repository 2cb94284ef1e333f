"""The demo programme, drawn from the programme documents in shared/seeds/.

Agencies and bodies are named as in those documents; every person is fictional and every e-mail
domain ends in .example, so no demo message can ever reach a real inbox.
"""

TOPICS = [
    ("Virtual-asset investigations", "virtual-asset-investigations"),
    ("Blockchain tracing", "blockchain-tracing"),
    ("Exchange cooperation and data requests", "exchange-cooperation"),
    ("Scam typologies", "scam-typologies"),
    ("Ransomware and laundering", "ransomware-laundering"),
    ("DeFi and protocol exploits", "defi-exploits"),
    ("Terrorist financing", "terrorist-financing"),
    ("Asset seizure and recovery", "asset-recovery"),
]

# code, title, level, hours, topics (slugs), summary, objectives
COURSES = [
    (
        "VAI-101",
        "Virtual-asset investigations: foundations",
        "foundation",
        7,
        ["virtual-asset-investigations", "blockchain-tracing"],
        "What a virtual asset is, how wallets, exchanges and blockchains fit together, and the "
        "first steps of an investigation that touches crypto.",
        [
            "Explain addresses, transactions and wallets to a prosecutor",
            "Recognise when a case has a virtual-asset trail",
            "Preserve evidence from seized devices and exchange accounts",
        ],
    ),
    (
        "VAI-201",
        "Advanced virtual-asset investigations",
        "advanced",
        14,
        ["virtual-asset-investigations", "blockchain-tracing", "asset-recovery"],
        "Multi-chain tracing, mixers and privacy wallets, cross-border requests and the seizure "
        "of assets held at centralised exchanges, taught on realistic case files.",
        [
            "Follow funds across chains and bridges",
            "Read through common obfuscation techniques",
            "Plan a freeze and seizure with an exchange",
        ],
    ),
    (
        "BCT-210",
        "Blockchain tracing in practice",
        "intermediate",
        7,
        ["blockchain-tracing"],
        "Hands-on tracing with open tools: clustering heuristics, attribution, and how to write "
        "up a trace so that it holds in court.",
        [
            "Apply common clustering heuristics",
            "Attribute clusters to services",
            "Present a trace as evidence",
        ],
    ),
    (
        "EXC-110",
        "Working with exchanges: cooperation and data requests",
        "foundation",
        4,
        ["exchange-cooperation"],
        "How a centralised exchange answers law enforcement: what data exists, how to request it, "
        "emergency disclosure, and how freezes work in practice.",
        [
            "Write a data request that can be answered quickly",
            "Know what KYC and transaction data an exchange holds",
            "Use emergency channels for threats to life",
        ],
    ),
    (
        "SCM-220",
        "Pig-butchering scams: typologies and victim support",
        "intermediate",
        7,
        ["scam-typologies", "asset-recovery"],
        "The investment-romance scams that have cost victims billions: how they recruit, launder "
        "and cash out, and how joint operations have dismantled them.",
        [
            "Recognise the stages of a pig-butchering scam",
            "Trace scam proceeds to cash-out points",
            "Coordinate victim reporting across jurisdictions",
        ],
    ),
    (
        "RWL-230",
        "Ransomware and laundering",
        "advanced",
        7,
        ["ransomware-laundering", "blockchain-tracing"],
        "Following ransom payments from victim to affiliate to cash-out, with lessons from "
        "cases against bulletproof exchangers and ransomware crews.",
        [
            "Map a ransomware payment flow",
            "Identify laundering services and exchangers",
            "Share indicators with international partners",
        ],
    ),
    (
        "DFI-310",
        "DeFi exploit response",
        "advanced",
        7,
        ["defi-exploits", "asset-recovery"],
        "The first hours after a protocol exploit: tracing stolen funds, working with exchanges "
        "and protocols to freeze them, and building the case.",
        [
            "Read a DeFi exploit transaction",
            "Alert exchanges before funds cash out",
            "Work with protocols and analytics firms",
        ],
    ),
    (
        "TFC-240",
        "Terrorist financing with virtual assets",
        "intermediate",
        7,
        ["terrorist-financing", "virtual-asset-investigations"],
        "How terrorist groups raise and move virtual assets, and what financial intelligence "
        "units, police and exchanges can do together.",
        [
            "Recognise terrorist-financing patterns on chain",
            "Work with FIUs on suspicious-activity reports",
            "Act jointly with exchanges and analytics firms",
        ],
    ),
    (
        "FIU-150",
        "Virtual assets for financial intelligence units",
        "foundation",
        4,
        ["virtual-asset-investigations", "exchange-cooperation"],
        "A course for FIU analysts and regulators: virtual-asset service providers, the travel "
        "rule, suspicious-transaction reports and supervision.",
        [
            "Read a suspicious-transaction report involving virtual assets",
            "Apply the travel rule",
            "Supervise virtual-asset service providers",
        ],
    ),
    (
        "SYM-100",
        "Cyber policing in the age of Web3 (symposium lecture)",
        "foundation",
        2,
        ["virtual-asset-investigations", "defi-exploits"],
        "A lecture for symposiums and partner courses: the market structure of Web3, emerging "
        "crimes and public-private cooperation.",
        [
            "Describe the market structure of Web3 and DeFi",
            "Name emerging virtual-asset crimes",
            "Explain why public-private cooperation matters",
        ],
    ),
]

# country code, IANA zone of its main training city, city
COUNTRIES = [
    ("HK", "Asia/Hong_Kong", "Hong Kong"),
    ("TH", "Asia/Bangkok", "Bangkok"),
    ("KR", "Asia/Seoul", "Seoul"),
    ("TW", "Asia/Taipei", "Taipei"),
    ("JP", "Asia/Tokyo", "Tokyo"),
    ("SG", "Asia/Singapore", "Singapore"),
    ("MY", "Asia/Kuala_Lumpur", "Kuala Lumpur"),
    ("PH", "Asia/Manila", "Manila"),
    ("ID", "Asia/Jakarta", "Jakarta"),
    ("VN", "Asia/Ho_Chi_Minh", "Hanoi"),
    ("IN", "Asia/Kolkata", "New Delhi"),
    ("PK", "Asia/Karachi", "Islamabad"),
    ("KZ", "Asia/Almaty", "Astana"),
    ("TJ", "Asia/Dushanbe", "Dushanbe"),
    ("AE", "Asia/Dubai", "Dubai"),
    ("BH", "Asia/Bahrain", "Manama"),
    ("TR", "Europe/Istanbul", "Ankara"),
    ("UA", "Europe/Kyiv", "Kyiv"),
    ("PL", "Europe/Warsaw", "Warsaw"),
    ("DE", "Europe/Berlin", "Berlin"),
    ("FR", "Europe/Paris", "Paris"),
    ("ES", "Europe/Madrid", "Madrid"),
    ("IT", "Europe/Rome", "Rome"),
    ("PT", "Europe/Lisbon", "Lisbon"),
    ("NL", "Europe/Amsterdam", "The Hague"),
    ("BE", "Europe/Brussels", "Brussels"),
    ("CH", "Europe/Zurich", "Bern"),
    ("AT", "Europe/Vienna", "Vienna"),
    ("GB", "Europe/London", "London"),
    ("IE", "Europe/Dublin", "Dublin"),
    ("SE", "Europe/Stockholm", "Stockholm"),
    ("LT", "Europe/Vilnius", "Vilnius"),
    ("RO", "Europe/Bucharest", "Bucharest"),
    ("GE", "Asia/Tbilisi", "Tbilisi"),
    ("US", "America/New_York", "Washington"),
    ("CA", "America/Toronto", "Ottawa"),
    ("MX", "America/Mexico_City", "Mexico City"),
    ("BR", "America/Sao_Paulo", "São Paulo"),
    ("AR", "America/Argentina/Buenos_Aires", "Buenos Aires"),
    ("CO", "America/Bogota", "Bogotá"),
    ("ZA", "Africa/Johannesburg", "Pretoria"),
    ("NG", "Africa/Lagos", "Abuja"),
    ("KE", "Africa/Nairobi", "Nairobi"),
    ("AU", "Australia/Sydney", "Canberra"),
    ("NZ", "Pacific/Auckland", "Wellington"),
]

# Agencies named in the programme documents: country, name, acronym, type, e-mail domain.
NAMED_AGENCIES = [
    ("HK", "Hong Kong Police Force", "HKPF", "police", "hkpf.example"),
    ("HK", "Commercial Crime Bureau", "CCB", "police", "ccb.hkpf.example"),
    ("HK", "Cyber Security and Technology Crime Bureau", "CSTCB", "police", "cstcb.hkpf.example"),
    ("HK", "Hong Kong Monetary Authority", "HKMA", "central_bank", "hkma.example"),
    ("HK", "Securities and Futures Commission", "SFC", "regulator", "sfc.example"),
    ("MO", "Macao Judiciary Police", "PJ", "police", "pj-macao.example"),
    ("TH", "Royal Thai Police", "RTP", "police", "police-th.example"),
    ("TH", "Cyber Crime Investigation Bureau", "CCIB", "police", "ccib.police-th.example"),
    ("TH", "Central Investigation Bureau", "CIB", "police", "cib.police-th.example"),
    ("KR", "Korean National Police Agency", "KNPA", "police", "knpa.example"),
    ("TW", "Supreme Prosecutors Office", "SPO", "prosecution", "spo-tw.example"),
    ("TW", "Criminal Investigation Bureau", "CIB-TW", "police", "cib-tw.example"),
    ("IN", "Enforcement Directorate", "ED", "customs_tax", "ed-in.example"),
    ("TJ", "National Bank of Tajikistan", "NBT", "central_bank", "nbt.example"),
    ("UA", "Cyber Police of Ukraine", "CPU", "police", "cyberpolice-ua.example"),
    ("BR", "Civil Police of São Paulo", "PCSP", "police", "pcsp.example"),
    ("BR", "Public Prosecutor's Office of São Paulo", "MPSP", "prosecution", "mpsp.example"),
    ("MY", "Royal Malaysia Police", "PDRM", "police", "pdrm.example"),
    ("ES", "Spanish Civil Guard", "GC", "police", "guardiacivil.example"),
    ("CH", "Swiss Federal Office of Police", "fedpol", "police", "fedpol.example"),
    ("FR", "French National Police", "PN", "police", "police-fr.example"),
]

# For every other country: the kinds of agency a national programme usually trains.
GENERIC_AGENCIES = [
    ("{country} National Police Cybercrime Unit", "police"),
    ("{country} Financial Intelligence Unit", "fiu"),
]

FIRST_NAMES = [
    "Somchai",
    "Kanya",
    "Ji-woo",
    "Min-jun",
    "Seo-yeon",
    "Wei",
    "Mei Ling",
    "Ka Ho",
    "Hiroshi",
    "Yuki",
    "Arjun",
    "Priya",
    "Olena",
    "Taras",
    "Ana",
    "João",
    "Lucía",
    "Mateo",
    "Amira",
    "Karim",
    "Chloé",
    "Luca",
    "Sofia",
    "Emma",
    "Liam",
    "Noah",
    "Aisha",
    "Chidi",
    "Wanjiru",
    "Nurlan",
    "Farrukh",
    "Siti",
    "Rizal",
    "Minh",
    "Thanh",
    "Jakub",
    "Zofia",
    "Oskar",
    "Freja",
]
LAST_NAMES = [
    "Srisuk",
    "Wongsawat",
    "Kim",
    "Park",
    "Lee",
    "Chan",
    "Wong",
    "Cheung",
    "Tanaka",
    "Sato",
    "Sharma",
    "Patel",
    "Kovalenko",
    "Shevchenko",
    "Silva",
    "Santos",
    "García",
    "López",
    "Haddad",
    "Mansour",
    "Dubois",
    "Rossi",
    "Müller",
    "Novak",
    "Okafor",
    "Mwangi",
    "Abenov",
    "Rahimov",
    "Rahman",
    "Nguyen",
    "Tran",
    "Kowalski",
    "Nowak",
    "Andersson",
    "Jensen",
]
# Names in their own scripts, so certificates and lists are exercised beyond Latin.
NATIVE_NAMES = [
    ("สมชาย", "ศรีสุข", "TH"),
    ("กัญญา", "วงศ์สวัสดิ์", "TH"),
    ("지우", "김", "KR"),
    ("민준", "박", "KR"),
    ("家豪", "陳", "HK"),
    ("美玲", "黃", "TW"),
]

TRAINERS = [
    ("Tessa", "Marlow", "trainer@muster.example"),
    ("Ravi", "Castellanos", "trainer2@muster.example"),
    ("Ines", "Vasquez-Holm", "trainer3@muster.example"),
    ("Kenji", "Arai", "trainer4@muster.example"),
    ("Dana", "Okonkwo", "trainer5@muster.example"),
    ("Pieter", "Lindqvist", "trainer6@muster.example"),
]

# The logins `make run` prints: role, e-mail, password, first name, last name.
LOGINS = [
    ("Officer", "officer@hkpf.example", "officer-demo-2023", "Mei", "Cheung"),
    ("Trainer", "trainer@muster.example", "trainer-demo-2023", "Tessa", "Marlow"),
    ("Programme lead", "lead@muster.example", "lead-demo-2023", "Jonas", "Brandt"),
    ("Editor", "editor@muster.example", "editor-demo-2023", "Lena", "Ortiz"),
    ("Admin", "admin@muster.example", "admin-demo-2023", "Sam", "Admin"),
]

# Officers who read Muster in their own language (demo/languages.py): e-mail, password, first
# name, last name, agency acronym, rank, preferred language.
LANGUAGE_OFFICERS = [
    (
        "officer@police-th.example",
        "officer-th-demo-2023",
        "Somchai",
        "Rattanakul",
        "RTP",
        "Police Major",
        "th",
    ),
    (
        "officer@knpa.example",
        "officer-ko-demo-2023",
        "Ji-woo",
        "Park",
        "KNPA",
        "Inspector",
        "ko",
    ),
]

# Agency coordinators (demo/coordinators.py): e-mail, password, first name, last name, agency
# acronym, rank, preferred language. They nominate their agency's officers and read its record.
COORDINATOR_LOGINS = [
    (
        "coordinator@hkpf.example",
        "coordinator-demo-2023",
        "Wing",
        "Lau",
        "HKPF",
        "Chief Inspector (Training)",
        "en",
    ),
    (
        "coordinator@police-th.example",
        "coordinator-th-demo-2023",
        "Kanya",
        "Srisuk",
        "RTP",
        "Police Lieutenant Colonel",
        "th",
    ),
]

# Course content translated for the demo (courses/translation.py): the home page, the catalogue
# and one course in Thai and Traditional Chinese; every other course shows its English text with
# the "not yet available" note. Formal register, terms from docs/glossary.md.
TRANSLATED_COURSE = "VAI-101"
PAGE_TRANSLATIONS = {
    "th": {
        "home": (
            "การฝึกอบรมเจ้าหน้าที่บังคับใช้กฎหมาย",
            "การฝึกอบรมเชิงปฏิบัติการ หลักสูตรหลายวัน และการอบรมทางไกล สำหรับเจ้าหน้าที่ตำรวจ "
            "พนักงานอัยการ หน่วยข่าวกรองทางการเงิน และหน่วยงานกำกับดูแล ด้านการสืบสวนสินทรัพย์เสมือน",
        ),
        "catalogue": ("หลักสูตร", "หลักสูตรทั้งหมดที่โครงการจัดอบรม ทั้งในสถานที่และออนไลน์"),
        "course": (
            "การสืบสวนสินทรัพย์เสมือน: พื้นฐาน",
            "สินทรัพย์เสมือนคืออะไร กระเป๋าเงิน ศูนย์ซื้อขาย และบล็อกเชนเชื่อมโยงกันอย่างไร "
            "และขั้นตอนแรกของการสืบสวนคดีที่เกี่ยวข้องกับสินทรัพย์ดิจิทัล",
        ),
    },
    "zh-hant": {
        "home": (
            "執法人員培訓",
            "為警察、檢察官、金融情報單位及監管機構而設的虛擬資產調查工作坊、多日課程及遙距課程。",
        ),
        "catalogue": ("課程", "本計劃開辦的所有課程，包括實體及網上課程。"),
        "course": (
            "虛擬資產調查：基礎",
            "何謂虛擬資產、錢包、交易所與區塊鏈如何互相配合，以及涉及加密貨幣案件的初步調查步驟。",
        ),
    },
}
