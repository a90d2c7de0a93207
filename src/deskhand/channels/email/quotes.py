"""Strip quoted replies and signatures from an email so the agent reads only the new text.

Covers the reply headers of common mail clients in English, German, Dutch, Swedish, French
and Spanish ("On … wrote:", "Am … schrieb …:", "Op … schreef …:", "Den … skrev …:",
"Le … a écrit :", "El … escribió:"), Outlook's "-----Original Message-----" and
"From:/Von:/Van:/Från:/De :" header blocks, '>' quoting, '-- ' signatures, "Sent from my
iPhone" lines and a closing greeting followed by a short name block.
"""

from __future__ import annotations

import re

_ATTRIBUTION = re.compile(
    r"""^\s*(
        (on|am|op|den|le|el|el\ día)\b.{0,300}\b
        (wrote|schrieb|schreef|skrev|a\ écrit|a\ ecrit|escribió|escribio)
        (\s+[^:\n]{0,200})?\s*:\s*$
      | .{0,200}\b(wrote|schrieb|schreef|skrev|a\ écrit|escribió)\s*:\s*$
    )""",
    re.IGNORECASE | re.VERBOSE,
)
_ORIGINAL = re.compile(
    r"^\s*-{2,}\s*("
    r"original message|ursprüngliche nachricht|oorspronkelijk bericht|"
    r"ursprungligt meddelande|message d'origine|mensaje original|originalnachricht"
    r")\s*-{2,}\s*$",
    re.IGNORECASE,
)
_HEADER_FROM = re.compile(r"^\s*\*?(from|von|van|från|fran|de|da)\s?\*?\s?:", re.IGNORECASE)
_HEADER_OTHER = re.compile(
    r"^\s*\*?(sent|date|to|subject|cc|gesendet|datum|an|betreff|verzonden|datum|aan|"
    r"onderwerp|skickat|till|ämne|envoyé|date|à|objet|enviado|fecha|para|asunto)"
    r"\s?\*?\s?:",
    re.IGNORECASE,
)
_UNDERSCORES = re.compile(r"^\s*_{10,}\s*$")
_SIGNATURE = re.compile(r"^-- ?$")
_SENT_FROM = re.compile(
    r"""^\s*(
        sent\ from\ my\ \S.*|sent\ from\ (outlook|mail|yahoo\ mail|gmail).*|
        get\ outlook\ for\ .*|sent\ with\ .*|
        von\ meinem\ .*\ gesendet|gesendet\ von\ (meinem|outlook|mail).*|gesendet\ mit\ .*|
        verzonden\ (vanaf|van|met)\ (mijn|outlook|mail).*|verstuurd\ (vanaf|van|met)\ (mijn).*|
        skickat\ från\ (min|outlook|e-post).*|skickades\ från\ .*|
        envoyé\ (de|depuis|à\ partir\ de)\ (mon|ma|outlook|l'application).*|
        enviado\ (desde|con)\ (mi|outlook|el\ correo).*|obtener\ outlook\ para\ .*
    )\s*$""",
    re.IGNORECASE | re.VERBOSE,
)
_CLOSING = re.compile(
    r"""^\s*(
        (best|kind|warm)?\s*regards|best|cheers|thanks|thank\ you|many\ thanks|sincerely|
        mit\ freundlichen\ grüßen|mit\ freundlichen\ grüssen|freundliche\ grüße|viele\ grüße|
        liebe\ grüße|lg|mfg|beste\ grüße|gruß|grüße|
        met\ vriendelijke\ groet(en)?|vriendelijke\ groet(en)?|groetjes|groeten|mvg|
        med\ vänliga\ hälsningar|vänliga\ hälsningar|mvh|hälsningar|vänligen|
        cordialement|bien\ à\ vous|bien\ cordialement|merci|bonne\ journée|
        saludos|un\ saludo|atentamente|saludos\ cordiales|gracias
    )\s*[,.!]?\s*$""",
    re.IGNORECASE | re.VERBOSE,
)
NAME_BLOCK_LINES = 4
NAME_LINE_CHARS = 60


def _cut_at(lines: list[str]) -> int:
    """Index of the first line of quoted history (len(lines) if none)."""
    for i, line in enumerate(lines):
        if _ORIGINAL.match(line) or _SIGNATURE.match(line) or _SENT_FROM.match(line):
            return i
        if _ATTRIBUTION.match(line):
            return i
        # "On Mon, 3 Nov 2026 at 10:00, Ava <ava@example.com>" + "wrote:" on the next line
        if i + 1 < len(lines) and _ATTRIBUTION.match(f"{line} {lines[i + 1].strip()}"):
            if re.match(r"^\s*(on|am|op|den|le|el)\b", line, re.IGNORECASE):
                return i
        if _UNDERSCORES.match(line) and i + 1 < len(lines) and _HEADER_FROM.match(lines[i + 1]):
            return i
        if _HEADER_FROM.match(line):
            following = lines[i + 1 : i + 5]
            if sum(1 for f in following if _HEADER_OTHER.match(f)) >= 2:
                return i
    return len(lines)


def _drop_closing(lines: list[str]) -> list[str]:
    """Drop 'Best regards,' and the short name block after it at the very end."""
    end = len(lines)
    while end and not lines[end - 1].strip():
        end -= 1
    for i in range(max(0, end - NAME_BLOCK_LINES - 1), end):
        if _CLOSING.match(lines[i]):
            tail = [t for t in lines[i + 1 : end] if t.strip()]
            if len(tail) <= NAME_BLOCK_LINES and all(len(t) <= NAME_LINE_CHARS for t in tail):
                return lines[:i]
    return lines[:end]


def strip_reply(text: str) -> str:
    """The new part of an email body: no quoted history, no signature, no sign-off."""
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    lines = lines[: _cut_at(lines)]
    lines = [line for line in lines if not line.lstrip().startswith(">")]
    lines = _drop_closing(lines) or lines  # a bare "Thanks!" is the message itself
    stripped = "\n".join(line.rstrip() for line in lines).strip()
    return re.sub(r"\n{3,}", "\n\n", stripped)
