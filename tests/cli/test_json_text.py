"""The JSON writer of query answers writes exactly what ``json.dumps(doc, indent=2,
ensure_ascii=False)`` writes, for any plain document."""

from __future__ import annotations

import json
import math

from hypothesis import given, settings
from hypothesis import strategies as st

from mechgraph.cli.tables import dumps, format_doc

leaves = (st.none() | st.booleans() | st.integers() | st.floats(allow_nan=True)
          | st.text() | st.sampled_from(["é", "\u2028", '"', "\\", "\n", "\x00", "😀"]))
docs = st.recursive(leaves, lambda inner: st.lists(inner, max_size=4)
                    | st.dictionaries(st.text(max_size=6), inner, max_size=4), max_leaves=30)


@settings(max_examples=300, deadline=None)
@given(docs)
def test_same_text_as_json_dumps(doc):
    assert dumps(doc) == json.dumps(doc, indent=2, ensure_ascii=False) + "\n"


def test_odd_values_fall_back_to_json_itself():
    for doc in ({1: "a", None: [math.inf]}, {"t": (1, 2)}, [-0.0, 1e300, float("nan")]):
        assert dumps(doc) == json.dumps(doc, indent=2, ensure_ascii=False) + "\n"
    try:
        dumps({"x": object()})
    except TypeError as e:
        assert "not JSON serializable" in str(e)
    else:
        raise AssertionError("an object json cannot write must fail as json fails")


def test_format_doc_writes_json_with_it():
    doc = {"query": "paths", "schema_version": 2, "results": [{"text": "a -> b", "n": 1.5}]}
    assert format_doc(doc, "json") == json.dumps(doc, indent=2, ensure_ascii=False) + "\n"
