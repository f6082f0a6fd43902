"""Reading the model's answer: a JSON object {"mentions": [{"field", "text",
"value"}, ...]} (a bare list, or either inside a ```json fence, is accepted
too: models add fences whatever they are told).

parse() raises AnswerError when the answer as a whole is unusable (the
article then gets an error reply); a single bad mention is dropped with the
reason, so one wrong value does not cost the article.
"""

import json
import re

from values import normalize

_FENCE = re.compile(r"^```[A-Za-z]*\s*\n(.*?)\n?```\s*$", re.DOTALL)


class AnswerError(ValueError):
    pass


def _items(content):
    if not isinstance(content, str):
        raise AnswerError(f"the model's answer has no text content (got {type(content).__name__})")
    s = content.strip()
    fenced = _FENCE.match(s)
    if fenced:
        s = fenced.group(1).strip()
    try:
        data = json.loads(s)
    except json.JSONDecodeError as e:
        raise AnswerError(f"the model's answer is not JSON ({e}); it starts {content[:80]!r}") from None
    if isinstance(data, dict) and isinstance(data.get("mentions"), list):
        return data["mentions"]
    if isinstance(data, list):
        return data
    raise AnswerError(f'the model\'s answer is JSON but not {{"mentions": [...]}}; it starts {content[:80]!r}')


def parse(content, fields):
    """(mentions, dropped): the valid {"field", "text", "value"} mentions of
    the claimed `fields`, and one "mention i: reason" line per dropped one."""
    mentions, dropped = [], []
    for i, item in enumerate(_items(content)):
        try:
            if not isinstance(item, dict):
                raise ValueError(f"not an object: {item!r}")
            field, text = item.get("field"), item.get("text")
            if field not in fields:
                raise ValueError(f"field {field!r} is not one of {', '.join(fields)}")
            if not isinstance(text, str) or not text.strip():
                raise ValueError(f"no text: {text!r}")
            mentions.append({"field": field, "text": text, "value": normalize(field, item.get("value"))})
        except ValueError as e:
            dropped.append(f"mention {i}: {e}")
    return mentions, dropped
