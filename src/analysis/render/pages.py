"""The catalogue's own pages (the index, what changed) as Jinja2 templates, the engine nbconvert uses for
the report itself: one environment, autoescaping on, undefined names an error.

In: a template name under ``templates/`` and its values. Out: the page's text. ``tojson_script`` embeds data
in a ``<script type="application/json">`` so that no text can end the element or open a comment: ``<``,
``>`` and ``&`` are written as ``\\u003c``, ``\\u003e``, ``\\u0026`` (JSON.parse reads them back).
"""

from __future__ import annotations

import json
from functools import cache

import jinja2
from markupsafe import Markup

from analysis.paths import PACKAGE_DIR

_SCRIPT_SAFE = str.maketrans({"<": "\\u003c", ">": "\\u003e", "&": "\\u0026", "\u2028": "\\u2028",
                              "\u2029": "\\u2029"})


def tojson_script(value) -> Markup:
    """``value`` as JSON that is safe inside a ``<script>`` element whatever its strings hold."""
    return Markup(json.dumps(value, ensure_ascii=False, separators=(",", ":")).translate(_SCRIPT_SAFE))


@cache
def environment() -> jinja2.Environment:
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(PACKAGE_DIR / "templates"), autoescape=True,
                             undefined=jinja2.StrictUndefined, keep_trailing_newline=True, trim_blocks=True,
                             lstrip_blocks=True)
    env.filters["tojson_script"] = tojson_script
    return env


def render(name: str, **values) -> str:
    """Template ``name`` (e.g. ``catalogue/index.html.j2``) filled with ``values``."""
    return environment().get_template(name).render(**values)
