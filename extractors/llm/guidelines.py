"""The field definitions the prompt quotes, cut from gold/GUIDELINES.md at
start-up: each field's section is its level-2 heading ("## date") and
everything up to the next level-2 heading, so the prompt follows the
guidelines as they change instead of a copy of them."""

import re

_HEADING = re.compile(r"^## (.+?)\s*$")
_FENCE = re.compile(r"^(```|~~~)")


def sections(markdown):
    """Level-2 heading text -> the section's text, heading line included.
    Headings inside fenced code blocks do not count."""
    found, title, lines, fenced = {}, None, [], False
    for line in markdown.splitlines():
        if _FENCE.match(line):
            fenced = not fenced
        heading = None if fenced else _HEADING.match(line)
        if heading:
            if title is not None:
                found[title] = "\n".join(lines).strip()
            title, lines = heading.group(1), []
        if title is not None:
            lines.append(line)
    if title is not None:
        found[title] = "\n".join(lines).strip()
    return found


def field_sections(path, fields):
    """The sections of `fields`, in that order, joined by blank lines.
    Raises ValueError naming the file and any field it has no section for."""
    with open(path, encoding="utf-8") as f:
        found = sections(f.read())
    missing = [field for field in fields if field not in found]
    if missing:
        raise ValueError(f"{path}: no '## <field>' section for {', '.join(missing)} "
                         f"(sections: {', '.join(found) or 'none'})")
    return "\n\n".join(found[field] for field in fields)
