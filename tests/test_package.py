import bondthesis
from bondthesis.errors import SourceError, SourceRejected, redact


def test_exported_names_are_pinned() -> None:
    assert "BondThesisError" in bondthesis.__all__
    for name in bondthesis.__all__:
        assert hasattr(bondthesis, name)


def test_source_error_never_shows_a_key() -> None:
    err = SourceRejected(
        "bad key api_key=abcdef0123456789", source="fred", url="https://x/?api_key=SECRET&a=1"
    )
    assert "SECRET" not in str(err)
    assert "abcdef0123456789" not in str(err)
    assert isinstance(err, SourceError)
    assert err.url == "https://x/?api_key=***&a=1"


def test_redact_leaves_plain_text_alone() -> None:
    assert redact("series_id=DGS30") == "series_id=DGS30"
