"""career-outlook: BLS occupation data in, validated tables and career reports out."""

import sys

__version__ = "0.1.0"

# nbformat validates notebooks with jsonschema, and jsonschema imports rfc3987_syntax when it is
# installed (JupyterLab's jupyter-events pulls it in through jsonschema[format-nongpl]). That module
# compiles a Lark grammar at import: 1.5–4.5 s measured here, in every process that touches a
# notebook (the CLI, each catalogue worker), for IRI format checks that notebook validation never
# uses. Declining the import leaves jsonschema on its built-in fallback (IRI formats unchecked).
sys.modules.setdefault("rfc3987_syntax", None)
