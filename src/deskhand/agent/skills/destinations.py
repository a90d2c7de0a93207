"""Where a parcel goes, worded right: "aux Pays-Bas", "au Danemark", "en Belgique", "in die
Schweiz", "to the Netherlands", "al Reino Unido".

Country names come from CLDR (Babel) without their article; the prepositions and articles
of the shipping answers depend on each name's gender and number. The few names that take an
article or another preposition are listed here per language; every other name takes the
language's plain preposition ("nach Deutschland", "en Belgique", "till Norge").
"""

from __future__ import annotations

from deskhand.agent.replies.wording import Wording
from deskhand.domain.shipping import REST_OF_EU

# The name with its article, as it follows a preposition in a list ("4,95 € pour le
# Danemark, les Pays-Bas et l'Allemagne"; German accusative: "für die Schweiz").
_ARTICLE: dict[str, dict[str, str]] = {
    "en": dict.fromkeys("NL US GB AE PH BS".split(), "the"),
    "de": {
        **dict.fromkeys("CH NL TR SK UA US AE PH MV".split(), "die"),
        **dict.fromkeys("IR IQ LB SD JE VA".split(), "den"),
        **dict.fromkeys("GB".split(), "das"),
    },
    "nl": {**dict.fromkeys("US AE PH".split(), "de"), "GB": "het"},
    "sv": {},
    "fr": {
        **dict.fromkeys("DK PT LU CA JP MX BR MA LI CL PE VN SN CM".split(), "le"),
        **dict.fromkeys("NL US AE PH".split(), "les"),
        **dict.fromkeys("MT CY MC SG".split(), ""),  # "à Malte", "à Chypre", "à Monaco"
    },
    "es": {
        **dict.fromkeys("GB".split(), "el"),
        **dict.fromkeys("NL".split(), "los"),
    },
}
# Names that need another form after the article (German plural and adjective endings).
_DE_INFLECTED = {"US": "USA", "GB": "Vereinigte Königreich", "AE": "Vereinigten Arabischen Emirate"}
_FR_FEMININE_EXCEPTIONS = frozenset("MX KH MZ ZW".split())  # masculine names ending in -e
_REST_OF_EU = {
    "en": ("the rest of the EU", "to the rest of the EU"),
    "de": ("den Rest der EU", "in den Rest der EU"),
    "nl": ("de rest van de EU", "naar de rest van de EU"),
    "sv": ("övriga EU", "till övriga EU"),
    "fr": ("le reste de l'UE", "dans le reste de l'UE"),
    "es": ("el resto de la UE", "al resto de la UE"),
}
_TO = {"en": "to", "de": "nach", "nl": "naar", "sv": "till", "fr": "en", "es": "a"}


def named(w: Wording, region: str) -> str:
    """The country (or the rest of the EU) with its article, as it follows a preposition."""
    if region == REST_OF_EU:
        return _REST_OF_EU[w.lang][0]
    name = w.territory(region)
    article = _article(w.lang, region, name)
    if w.lang == "de" and region in _DE_INFLECTED:
        name = _DE_INFLECTED[region]
    if not article:
        return name
    if article in ("le", "la") and name[:1].lower() in "aeiouâéèêëîïôûüh":
        return f"l'{name}"
    return f"{article} {name}"


def to_place(w: Wording, region: str) -> str:
    """ "to the Netherlands", "in die Schweiz", "aux Pays-Bas", "al Reino Unido"."""
    if region == REST_OF_EU:
        return _REST_OF_EU[w.lang][1]
    name = w.territory(region)
    article = _article(w.lang, region, name)
    lang = w.lang
    if lang == "fr":
        if article == "le" and name[:1].lower() not in "aeiouâéèêëîïôûüh":
            return f"au {name}"
        if article == "les":
            return f"aux {name}"
        if article == "" and region in _ARTICLE["fr"]:
            return f"à {name}"
        return f"en {name}"
    if lang == "de" and article:
        name = _DE_INFLECTED.get(region, name)
        if article == "das":
            return f"ins {name}"
        return f"in {article} {name}"
    if lang == "es" and article == "el":
        return f"al {name}"
    return f"{_TO[lang]} {article} {name}" if article else f"{_TO[lang]} {name}"


def _article(lang: str, region: str, name: str) -> str:
    known = _ARTICLE.get(lang, {})
    if region in known:
        return known[region]
    if lang == "fr":  # most French country names ending in -e are feminine
        return "la" if name.endswith("e") and region not in _FR_FEMININE_EXCEPTIONS else "le"
    return ""
