"""face_digest_matches: the scan's check of the face against the digest recorded at issue."""

import json

import orjson
from hypothesis import given
from hypothesis import strategies as st

from onelicense.licences.services import face_digest, face_digest_matches

# What a face holds: text (any character a name or an address may carry, control characters
# and astral ones included), integers, null, booleans, lists and objects.
_TEXT = st.text(st.characters(exclude_categories=["Cs"]))
_PLAIN = st.recursive(
    st.none() | st.booleans() | st.integers(min_value=-(2**63), max_value=2**64 - 1) | _TEXT,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(_TEXT, inner, max_size=4),
    max_leaves=20,
)
_FACE = st.dictionaries(_TEXT, _PLAIN, max_size=6)


@given(_FACE)
def test_orjson_writes_a_face_as_the_definition_does(face):
    """The fast writer's bytes are the definition's: a genuine face is matched at once."""
    definition = json.dumps(face, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    assert orjson.dumps(face, option=orjson.OPT_SORT_KEYS) == definition.encode()


@given(
    st.dictionaries(
        _TEXT,
        _PLAIN | st.floats() | st.integers(min_value=2**64) | st.lists(st.floats(), max_size=3),
        max_size=6,
    )
)
def test_any_face_matches_its_own_digest_and_no_other(face):
    """Whatever the face holds — floats and huge integers, where the writers differ, too."""
    digest = face_digest(face)
    assert face_digest_matches(face, digest)
    assert not face_digest_matches(face | {"holder": "另一家公司"}, digest) or (
        face.get("holder") == "另一家公司"
    )
    assert not face_digest_matches(face, "0" * 64)
