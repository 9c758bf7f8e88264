"""Finding an industry by Chinese keyword, alias or pinyin (咖啡, kafei, kf → 咖啡店/茶馆)."""

import re

from pypinyin import Style, lazy_pinyin

_SEPARATORS = re.compile(r"[\s'’·\-_/]+")


def normalise_query(query: str) -> str:
    return _SEPARATORS.sub("", query.strip().lower())


def _pinyin(text: str) -> tuple[str, str]:
    syllables = lazy_pinyin(text, style=Style.NORMAL, errors="ignore")
    return "".join(syllables), "".join(s[0] for s in syllables if s)


def search_text_for(name: str, aliases: list[str], keywords: list[str]) -> str:
    """One line per term: the term itself, its full pinyin and its initials."""
    lines = []
    for term in [name, *aliases, *keywords]:
        full, initials = _pinyin(term)
        lines.append(" ".join(filter(None, [normalise_query(term), full, initials])))
    return "\n".join(lines)
