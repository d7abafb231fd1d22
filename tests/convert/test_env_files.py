"""env-file parsing (converter.md §13.1) and Go number formatting (§13.1.1)."""

from __future__ import annotations

import pytest

from kompox.compose.scalars import go_format_float
from kompox.kube.convert import ConversionError, parse_env_file, validate_env


def test_dotenv_grammar() -> None:
    text = (
        "# comment\n"
        "export A=1\r\n"
        "B= two words  \n"
        'C="a\\nb\\"c\\\\"\n'
        "D='raw \\n $X'\n"
        'E= "x"\n'
        "F=v # not a comment\n"
        "A=last\n"
    )
    assert parse_env_file("x.env", text.encode()) == {
        "A": "last",
        "B": "two words  ",
        "C": 'a\nb"c\\',
        "D": "raw \\n $X",
        "E": '"x"',
        "F": "v # not a comment",
    }


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("A", ".env line 1 missing '='"),
        ("A=1\n  B\n", ".env line 2 missing '='"),
        ("1A=x", 'invalid env key "1A" at line 1'),
        ('A="x', "unterminated double quote line 1"),
        ("A='", "unterminated single quote line 1"),
        ('A="\\q"', "unsupported escape \\q line 1"),
        ('A="x\\"', "dangling escape line 1"),
    ],
)
def test_dotenv_errors(text: str, message: str) -> None:
    with pytest.raises(ConversionError) as info:
        parse_env_file(".env", text.encode())
    assert info.value.message == message


def test_blank_and_indented_comment_lines_are_skipped_as_docker_compose_does() -> None:
    """Upstream Kompox refused these lines ("missing '='"); docker compose skips them."""
    assert parse_env_file("app.env", b"A=1\n  # indented\n\t# tab\n   \nB=2\n") == {"A": "1", "B": "2"}


def test_yaml_env_uses_go_yaml_v3_scalars() -> None:
    text = b"A: 0644\nB: 0x1F\nC: 1_000\nD: yes\nE: on\nF: TRUE\nG: '010'\nH: 1.5\nI: 2024-01-02\nJ: 1e6\n"
    assert parse_env_file("e.yaml", text) == {
        "A": "420",
        "B": "31",
        "C": "1000",
        "D": "yes",
        "E": "on",
        "F": "true",
        "G": "010",
        "H": "1.5",
        "I": "2024-01-02",
        "J": "1e+06",
    }
    assert parse_env_file("e.yml", b"") == {}


@pytest.mark.parametrize(
    ("name", "text", "message"),
    [
        ("e.yml", b"A: ~\n", "key A has null value (.yml not allowed)"),
        ("e.YAML", b"A: null\n", "key A has null value (.YAML not allowed)"),
        ("e.yaml", b"A: [1]\n", "key A has unsupported value type []interface {}"),
        ("e.yaml", b"A: 18446744073709551615\n", "key A has unsupported value type uint64"),
        ("e.json", b'{"A": null}', "key A has null value (.json not allowed)"),
        ("e.json", b'{"A": {"b": 1}}', "key A has unsupported value type map[string]interface {}"),
    ],
)
def test_structured_env_errors(name: str, text: bytes, message: str) -> None:
    with pytest.raises(ConversionError) as info:
        parse_env_file(name, text)
    assert info.value.message == message


def test_json_numbers_are_floats() -> None:
    assert parse_env_file("e.json", b'{"A": 10, "B": 1000000, "C": 0.00001, "D": false}') == {
        "A": "10",
        "B": "1e+06",
        "C": "1e-05",
        "D": "false",
    }
    assert parse_env_file("e.json", b"null") == {}


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (10, "10"),
        (1.5, "1.5"),
        (123456, "123456"),
        (123456.75, "123456.75"),
        (999999.9, "999999.9"),
        (1000000, "1e+06"),
        (1234567, "1.234567e+06"),
        (1234567.5, "1.2345675e+06"),
        (1e20, "1e+20"),
        (0.0001, "0.0001"),
        (0.000123, "0.000123"),
        (0.00001, "1e-05"),
        (2.5e-5, "2.5e-05"),
        (-1000000, "-1e+06"),
        (12345678901234567890, "1.2345678901234567e+19"),
    ],
)
def test_go_float_vectors(value: float, text: str) -> None:
    assert go_format_float(float(value)) == text


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"A-B": "x"}, "invalid env key A-B"),
        ({"A": "a\x00b"}, "value for A: contains NUL byte"),
        ({"A": "a\x1bb"}, "value for A: contains control char 0x1B"),
        ({"A": "x" * 1_000_000}, "secret data exceeds 1000000 bytes"),
    ],
)
def test_validate_env_errors(env: dict[str, str], message: str) -> None:
    with pytest.raises(ConversionError) as info:
        validate_env(env)
    assert info.value.message == message


def test_validate_env_allows_tab_newline_cr_and_c1() -> None:
    validate_env({"A": "a\tb\nc\rd\x85"})


# Cases first written for a second, now removed, parser in kompox.compose.
def test_dotenv_grammar_more_cases() -> None:
    text = 'export A=1\n#c\nB= two # kept\nC="x\\ny"\nD=\'$lit\'\nE= "q"\r\nF=trail  \n'
    assert parse_env_file("app.env", text.encode()) == {
        "A": "1", "B": "two # kept", "C": "x\ny", "D": "$lit", "E": '"q"', "F": "trail  "}


@pytest.mark.parametrize(("text", "message"), [
    ("  indented\n", "missing '='"), ("1A=x\n", 'invalid env key "1A"'),
    ('A="open\n', "unterminated double quote"), ('A="\\q"\n', "unsupported escape \\q"),
    ("A='x\n", "unterminated single quote"),
])
def test_dotenv_errors_more_cases(text: str, message: str) -> None:
    with pytest.raises(ConversionError, match=message.replace("\\", "\\\\")):
        parse_env_file(".env", text.encode())


def test_json_and_yaml_env_files_more_cases() -> None:
    assert parse_env_file("x.json", b'{"A": 10, "B": 1000000, "C": true, "D": "s"}') == {
        "A": "10", "B": "1e+06", "C": "true", "D": "s"}
    assert parse_env_file("x.YAML", b"A: 0644\nB: 1_000\nC: yes\nD: 1.5\n") == {
        "A": "420", "B": "1000", "C": "yes", "D": "1.5"}
    with pytest.raises(ConversionError, match=r"key A has null value \(.yml not allowed\)"):
        parse_env_file("x.yml", b"A:\n")
    with pytest.raises(ConversionError, match=r"unsupported value type \[\]interface \{\}"):
        parse_env_file("x.json", b'{"A": [1]}')


def test_env_values_with_control_chars_are_rejected() -> None:
    with pytest.raises(ConversionError, match="contains control char 0x07"):
        validate_env({"A": "\x07"})
