"""Tidying a chat message before it is read: discourse words, closings and domain typos.

- Discourse words at the start ("ok and how much is shipping…", "hmm, also…", "alors,",
  "vale,") are dropped, so they never become a question of their own. A message of
  discourse words only ("hmm", "ah ok") is marked as such.
- A message of nothing but thanks, goodbyes and pleasantries in any of the six languages
  is a closing: thanks or goodbye, whatever the classifier would make of it.
- A word one typo away (a letter dropped, doubled, changed or two swapped) from a word of
  the domain vocabulary (the words our own six-language training corpus uses again and
  again) is read as that word: "cancle" -> "cancel", "bestellnig" -> "bestelling".
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache, lru_cache

from deskhand.agent.understand.lexical import fold
from deskhand.agent.understand.places import country_names
from deskhand.agent.understand.product_words import TRAINING, concepts, words_of
from deskhand.domain.vocabulary import Intent
from deskhand.knowledge.lexicon import LEXICON

# Folded. "and"-like words are dropped at the start too; `cues` still sees them in the text
# as it was typed, where they mark a follow-up.
DISCOURSE = frozenset(
    "ok okay okey oke okej k kk so and also well alright hmm hm hmmm mm um uh ah ahh "
    "aha oh ooh eh er anyway cool great perfect "
    "und achso ach na tja naja gut prima "
    "nou dus oke goed prima "
    "sa och jaha ja bra toppen "
    "alors donc et euh bah ben bref parfait super daccord d'accord "
    "pues bueno vale entonces vaya genial perfecto".split()
)
_THANKS = frozenset(
    "thanks thank thx ty cheers appreciated appreciate "
    "danke dank dankeschon vielen herzlichen "
    "bedankt dankjewel dankuwel "
    "tack tackar tusen "
    "merci remercie "
    "gracias agradezco".split()
)
_GOODBYE = frozenset(
    "bye goodbye cya later ciao "
    "tschuss tschau wiedersehen wiederhoren "
    "doei dag tot ziens doeg "
    "hejda hej da vi ses "
    "revoir bientot salut "
    "adios chao luego pronto".split()
)
# Pleasantries around a closing: "thanks a lot, have a nice day", "merci beaucoup".
_PLEASANT = frozenset(
    "you your a lot so much very much for the help that's that is all it have nice good "
    "lovely great day evening weekend all set done i'm im am that was everything "
    "schon sehr fur die hilfe das war's wars alles einen schonen tag noch abend "
    "wel je u voor de hulp hartelijk fijne prettige nog een dag avond dat was het alles "
    "sa mycket for hjalpen ha det en trevlig dag kvall det var allt "
    "beaucoup pour l'aide votre ton aide bonne journee soiree c'est tout a "
    "muchas mil por la ayuda tu su buen dia buenas noches que tengas es todo eso au hasta".split()
)
_VOWELS = frozenset("aeiouy")
TYPO_MIN = 5  # shorter words are left alone: too many real words sit one edit apart
VOCABULARY_MIN = 3  # corpus messages a word must be in to count as domain vocabulary
TYPO_RATIO = 10  # a corpus word is a typo when a word one edit away is this much more frequent
_TOKEN = re.compile(r"[^\W\d_]+(?:'[^\W\d_]+)?|\S", re.UNICODE)
_WORD = re.compile(r"[^\W\d_]+(?:'[^\W\d_]+)?", re.UNICODE)


@dataclass(frozen=True)
class Tidied:
    text: str  # the message to read
    discourse_only: bool = False  # "hmm", "ok so"
    closing: Intent | None = None  # thanks or goodbye, nothing else asked


@cache
def _capitalised() -> frozenset[str]:
    """Folded words the corpus also writes with a capital (German nouns: "Versand")."""
    return frozenset(
        fold(w)
        for path in sorted(TRAINING.glob("*.tsv"))
        for line in path.read_text(encoding="utf-8").splitlines()[1:]
        for w in _WORD.findall(line.partition("\t")[2])[1:]
        if w[:1].isupper()
    )


@cache
def _surfaces() -> dict[str, str]:
    """Folded word -> how the corpus writes it most often ("bestallning" -> "beställning")."""
    seen: dict[str, dict[str, int]] = {}
    for path in sorted(TRAINING.glob("*.tsv")):
        for line in path.read_text(encoding="utf-8").splitlines()[1:]:
            for word in _WORD.findall(line.partition("\t")[2]):
                forms = seen.setdefault(fold(word), {})
                forms[word] = forms.get(word, 0) + 1
    return {k: max(v, key=lambda f: v[f]) for k, v in seen.items()}


@cache
def vocabulary() -> tuple[frozenset[str], dict[str, tuple[str, ...]]]:
    """(known words, deletion variant -> domain words) of the training corpus and glossary."""
    counts: dict[str, int] = {}
    for path in sorted(TRAINING.glob("*.tsv")):
        for line in path.read_text(encoding="utf-8").splitlines()[1:]:
            for word in set(words_of(line.partition("\t")[2])):
                counts[word] = counts.get(word, 0) + 1
    for concept in concepts():
        for names in concept.names.values():
            for name in names:
                counts.update({w: max(counts.get(w, 0), VOCABULARY_MIN) for w in words_of(name)})
    # The support glossary's words and the countries are domain words however rare in chat.
    lexicon = LEXICON.read_text(encoding="utf-8").splitlines()[1:]
    for line in [*lexicon, *(name for name, _ in country_names())]:
        for word in words_of(line):
            counts[word] = max(counts.get(word, 0), VOCABULARY_MIN)
    domain = sorted(
        (w for w, n in counts.items() if n >= VOCABULARY_MIN and len(w) >= TYPO_MIN),
        key=lambda w: -counts[w],
    )
    deletes: dict[str, list[str]] = {}
    for word in domain:
        for variant in {word, *_deletions(word)}:
            deletes.setdefault(variant, []).append(word)
    # Every word of the corpus is a real word, except the typos it has on purpose: a rare word
    # one edit from a domain word used far more often ("retrun" next to "return"; but
    # "erste" stays, though "reste" is French and a little more frequent).
    known = set()
    for word, n in counts.items():
        near = {d for v in (word, *_deletions(word)) for d in deletes.get(v, ())}
        if not any(counts[d] >= TYPO_RATIO * n and d != word and typo_of(word, d) for d in near):
            known.add(word)
    return frozenset(known), {k: tuple(v) for k, v in deletes.items()}


def typo_of(typed: str, word: str) -> bool:
    """Whether `typed` is `word` with one typical typo: a letter dropped inside the word, a
    consonant doubled, or two letters swapped (not the first). Never a changed letter, a
    letter dropped at either end or a doubled vowel: those make other real words
    ("wandern"/"ändern", "bestelle"/"bestellen", Dutch "retourneer", French "annulée")."""
    if len(word) == len(typed) + 1:
        return any(word[:i] + word[i + 1 :] == typed for i in range(1, len(word) - 1))
    if len(typed) == len(word) + 1:
        return any(
            typed[i] == typed[i - 1]
            and typed[i] not in _VOWELS
            and typed[:i] + typed[i + 1 :] == word
            for i in range(1, len(typed) - 1)
        )
    if len(typed) == len(word) and typed != word:
        return any(
            typed == word[:i] + word[i + 1] + word[i] + word[i + 2 :]
            for i in range(1, len(word) - 1)
        )
    return False


def _deletions(word: str) -> set[str]:
    return {word[:i] + word[i + 1 :] for i in range(len(word))}


def _swaps(word: str) -> set[str]:
    return {word[:i] + word[i + 1] + word[i] + word[i + 2 :] for i in range(len(word) - 1)}


@lru_cache(maxsize=8192)
def corrected(word: str) -> str:
    """The domain word a folded word is one typo away from, or the word itself."""
    known, deletes = vocabulary()
    if len(word) < TYPO_MIN or word in known:
        return word
    found: list[str] = []
    for variant in (word, *_deletions(word)):
        found.extend(deletes.get(variant, ()))
    found.extend(w for w in _swaps(word) if w in deletes.get(w, ()))
    found = [w for w in found if typo_of(word, w)]  # shared deletions can be two edits
    return found[0] if found else word  # the most frequent (lists are in frequency order)


def tidy(text: str) -> Tidied:
    """The message without leading discourse words, its typos of domain words corrected."""
    words = [fold(w) for w in _WORD.findall(text)]
    if words and all(w in DISCOURSE for w in words):
        return Tidied(text, discourse_only=True)
    closing = _closing(words)
    if closing is not None:
        return Tidied(text, closing=closing)
    tokens = list(_TOKEN.finditer(text))
    start = 0
    while start < len(tokens):
        tok = tokens[start].group(0)
        if fold(tok) in DISCOURSE or not _WORD.fullmatch(tok) and tok in ",.;:!-–—…":
            start += 1
            continue
        break
    rest = text[tokens[start].start() :] if start < len(tokens) else text
    return Tidied(_fix_typos(rest))


def _closing(words: list[str]) -> Intent | None:
    if not words:
        return None
    thanks = any(w in _THANKS for w in words)
    bye = any(w in _GOODBYE for w in words)
    if not (thanks or bye):
        return None
    allowed = _THANKS | _GOODBYE | _PLEASANT | DISCOURSE
    if not all(w in allowed for w in words):
        return None
    return Intent.GOODBYE if bye else Intent.THANKS


def _fix_typos(text: str) -> str:
    def repl(match: re.Match[str]) -> str:
        word = match.group(0)
        if "'" in word:  # "parka's", "l'autre": not one word to correct
            return word
        folded = fold(word)
        fixed = corrected(folded)
        if fixed == folded:
            return word
        surface = _surfaces().get(fixed, fixed)
        # A capitalised word mid-sentence is a name ("Chloé") unless it is a noun written
        # with a capital anyway ("Bestellung").
        if word[:1].isupper() and match.start() > 0:
            if fixed not in _capitalised():
                return word
            return surface[:1].upper() + surface[1:]
        return surface

    return _WORD.sub(repl, text)
