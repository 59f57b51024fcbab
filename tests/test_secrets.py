"""DDB024: what counts as a secret, and that no output format ever shows one."""

from __future__ import annotations

import importlib.util
import io
from pathlib import Path

import pytest

from ddblint.api import lint
from ddblint.config.settings import Settings
from ddblint.evaluate.secret_values import classify, looks_random
from ddblint.evaluate.secrets import find_literal_secrets, find_secrets
from ddblint.filter.redact import MASK, Redactor, redaction_forms
from ddblint.report import FORMATS, ReportOptions, get_reporter
from ddblint.result import Result
from tests.conftest import FIXTURES

# Made-up values in the shapes real secrets take.
PASSWORD = "Tr0ub4dor&3-orders"
ACCESS_KEY_ID = "AKIAZ7QW3RTY5UIOP2MN"
HEX_KEY = "9c1f5e7a3b8d2f4e6a0c9b7d5e3f1a2c4b6d8e0f2a4c6e8b0d2f4a6c8e0b2d4f"


@pytest.mark.parametrize(
    ("name", "value", "kind"),
    [
        ("db_password", PASSWORD, "a password"),
        ("adminPassword", "hunter22", "a password"),
        ("client-secret", "cs_9f8e7d6c", "a secret"),
        ("api_key", "k-12345678", "an API key"),
        ("privateKey", "abcd1234", "a private key"),
        ("id_token", "eyJhbGciOi", "a token"),
        ("anything", f"key={ACCESS_KEY_ID}", "an AWS access key id"),
        ("notes", "-----BEGIN OPENSSH PRIVATE KEY-----\nb3Blbn\n-----END OPENSSH PRIVATE KEY-----", "a private key"),
        ("dsn", "mysql://app:pa55word@db:3306/app", "a password inside a URL"),
        ("signing_hmac", HEX_KEY, "a random-looking key"),
        ("session_seed", "Zx8Qw2Er5Ty7Ui9Op1As3Df", "a random-looking key"),
        ("api_tokens", "Gg5hHj6kKl7z", "a token"),
        ("db_pass", "PzPyYngFb51yBM", "a password"),
        ("creds", "admin/Cc948VGZiHXJnB", "a credential"),
        ("github", "ghp_" + "EpVZzAQlxJ4SXRVxfCQGgXkH1zxFUbEctT2N", "an issued API token"),
        ("notes", "xoxb-" + "2048-1024-Zq8rTt4LmW2x", "an issued API token"),
        ("oauth", "ya29." + "SHCoHPbzRKZuQOBdVti9n4dte2et68", "an issued API token"),
        ("auth_header", "Bearer WXaSCrUZoL8g5ubbbPIa84yRnBUbHo", "a bearer token"),
        ("connection_string", "Server=db;User Id=sa;Password=Qv5UTG79BG16Q;", "a password in a connection string"),
    ],
)
def test_secrets_are_recognised(name: str, value: str, kind: str) -> None:
    found = classify(name, value)
    assert found is not None and found[0] == kind


@pytest.mark.parametrize(
    ("value", "password"),
    [("Pwd={Xk9p;Q2mZ7vL4w};Uid=a", "{Xk9p;Q2mZ7vL4w}"), ('Password="Zq8;Wm3Rt6Yh";Server=db', '"Zq8;Wm3Rt6Yh"')],
)
def test_a_connection_string_password_in_braces_or_quotes_is_found_whole(value: str, password: str) -> None:
    """Braces and quotes let a password hold a ``;``: the text to mask runs to their end."""
    assert classify("conn", value) == ("a password in a connection string", password)


def test_a_secret_after_thousands_of_harmless_values_is_still_found() -> None:
    """The content rules read a sample of a huge item; the secret search reads all a 400 KB item can hold."""
    item = {f"k{n}": {"S": "v"} for n in range(6000)} | {"password": {"S": PASSWORD}}
    assert [s.path for s in find_secrets(item)] == ["password.S"]


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("db_password", "changeme"),
        ("db_password", "<set me>"),
        ("db_password", "${DB_PASSWORD}"),
        ("db_password", "xxxxxxxx"),
        ("db_password", "pw"),
        ("password", "password"),
        ("secret_arn", "arn:aws:secretsmanager:eu-west-1:123456789012:secret:db-AbCdEf"),
        ("db_password", "arn:aws:ssm:eu-west-1:123456789012:parameter/db/password"),
        ("api_key", "/prod/payments/api-key"),
        ("token_ttl_seconds", "3600"),
        ("password_min_length", "14"),
        ("api_key_id", "alias/payments"),
        ("session_cookie_name", "sid"),
        ("cache_key", "mail/templates/v2-2024"),
        ("session_id", "550e8400-e29b-41d4-a716-446655440000"),
        ("signing_key_example", "AKIAIOSFODNN7EXAMPLE"),
        ("homepage", "https://example.com/docs"),
        ("secrets", "db_password_v2"),  # a plural names secrets unless its values look generated
        ("api_keys", "key-prod-reader01"),
        ("boarding_pass", "gate-12"),
        ("authorization", "Bearer ${TOKEN}"),
        ("connection_string", "Server=db;Password=changeme;"),
        ("login_modes", "sso=on;password=disabled;mfa=required"),  # a setting, not a password
        ("conn", "Server=db;Password=%DB_PASSWORD%;"),
        ("conn", "Server=db;Password=your_password_here;"),
        ("creds", "Ec2InstanceMetadata"),  # words, not generated
        ("api_keys", "Route53Updater"),
        ("secret_names", "AppConfig2024"),
        ("password_rules", "Upper1Lower1"),
        ("alert_hook", "https://hooks.slack.com/services/T00000000/B00000000/XXXXXXXXXXXXXXXXXXXXXXXX"),
        ("ssm_param", "/ci/github_pat_for_release_workflow"),
        ("slack", "xoxb-not-a-real-token"),
        ("doc", "ghp_" + "x" * 36),
        ("doc", "Bearer eyJhbGciOiJIUzI1NiJ9.placeholder"),
    ],
)
def test_placeholders_references_and_settings_are_not_secrets(name: str, value: str) -> None:
    assert classify(name, value) is None


def test_randomness_needs_length_and_mixed_characters() -> None:
    assert looks_random("Zx8Qw2Er5Ty7Ui9Op1As3Df")
    assert not looks_random("Zx8Qw2Er5Ty7")  # too short
    assert not looks_random("tenant-config-v2-eu-west-1")  # words, no upper case
    assert not looks_random("deadbeefdeadbeef")  # short hex


def test_evaluated_items_are_searched_through_descriptors_and_bare_values() -> None:
    item = {"creds": {"M": {"password": {"S": PASSWORD}}}, "token": "bare-token-value", "pin": {"N": "1234"}}
    found = {(s.path, s.kind) for s in find_secrets(item)}
    assert found == {("creds.M.password.S", "a password"), ("token", "a token")}


def test_literals_are_found_when_the_item_as_a_whole_is_unknown() -> None:
    from ddblint.parse.hcl import parse_expression

    expr = parse_expression(
        f'jsonencode({{ pk = {{ S = "x" }}, password = {{ S = "{PASSWORD}" }}, '
        'ttl = { N = "3600" }, at = { S = timestamp() }, hash = { S = bcrypt("not-seen-here") } })'
    )
    [secret] = find_literal_secrets(expr)
    assert (secret.path, secret.kind, secret.text) == ("password.S", "a password", PASSWORD)
    assert PASSWORD not in repr(secret)


def test_redaction_covers_escaped_multiline_and_shortened_spellings() -> None:
    pem = "-----BEGIN RSA PRIVATE KEY-----\nMIIBOgIBAAJBAKj34GkxFhD90vcNLYLIn\n-----END RSA PRIVATE KEY-----"
    forms = redaction_forms(pem)
    assert "MIIBOgIBAAJBAKj34GkxFhD90vcNLYLIn" in forms
    assert "-----BEGIN RSA PRIVATE KEY-----" not in forms  # not secret, and masking it hides what was found
    redact = Redactor.for_secrets([pem, 'quote"d-secret-value', "k" * 60])
    assert redact('"MIIBOgIBAAJBAKj34GkxFhD90vcNLYLIn"') == f'"{MASK}"'
    assert redact('x = "quote\\"d-secret-value"') == f'x = "{MASK}"'
    assert "k" * 39 not in redact('"' + "k" * 39 + '…"')


def test_short_secrets_are_masked_as_whole_words_only() -> None:
    redact = Redactor.for_secrets(["admin"])
    assert redact('password = "admin" in aws_dynamodb_table_item.initial_admin') == (
        f'password = "{MASK}" in aws_dynamodb_table_item.initial_admin'
    )


# -- nothing leaks, in any format ---------------------------------------------

SECRET_TEXTS = (
    PASSWORD,
    ACCESS_KEY_ID,
    HEX_KEY,
    "k2Jd8Lq0vR5tW9yB3nM6pX1zC4hG7fA0sE8uI2oP",
    "MIIBOgIBAAJBAKj34GkxFhD90vcNLYLInFEX6Ppy1tPf9Cnzj4p4WGeKLs1Pt8Qu",
    "Vx9#kL2mQ",
    "sp_live_Qw7Er9Ty2Ui4Op6As8Df",
    "pk_4f9Qm2Lx7Rb1Tz8Kd3Wv6Hs0",
    "hunter2",  # under { N = ... }: DDB021's message would quote it
    "lg_9Hb4Rt7Yq2Wz5Kx8",
    "2sW7q!yalEr",  # strrev()'s argument
)


def _available_formats() -> list[str]:
    """Every format whose reporter module exists already."""
    from ddblint import report

    modules = getattr(report, "_MODULES", {})
    return [f for f in FORMATS if importlib.util.find_spec(f"ddblint.report.{modules.get(f, f)}") is not None]


def _render(result: Result, name: str) -> str:
    stream = io.StringIO()
    get_reporter(name)(result, stream, ReportOptions(cwd=str(FIXTURES), color=False))
    return stream.getvalue()


@pytest.fixture(scope="module")
def secrets_result() -> Result:
    result = lint([str(FIXTURES / "secrets")], Settings(cache=False))
    assert not result.internal_errors
    assert sum(f.rule_id == "DDB024" for f in result.findings) == 9
    return result


def test_the_fixture_holds_every_secret_the_test_looks_for() -> None:
    source = (FIXTURES / "secrets" / "main.tf").read_text(encoding="utf-8")
    assert all(secret in source for secret in SECRET_TEXTS)


@pytest.mark.parametrize("name", _available_formats())
def test_no_format_prints_a_secret(secrets_result: Result, name: str) -> None:
    output = _render(secrets_result, name)
    assert "DDB024" in output or "secret-in-item" in output
    leaked = [secret for secret in SECRET_TEXTS if secret in output]
    assert not leaked, f"{name} prints {len(leaked)} secrets"


def test_the_full_format_masks_code_frames_of_every_rule(secrets_result: Result) -> None:
    output = _render(secrets_result, "full")
    assert f'db_password = {{ S = "{MASK}" }}' in output
    # the URL stands in an item that holds a secret: its every literal is masked there, by position
    assert f'database_url = {{ S = "{MASK}" }}' in output and "reports.internal" not in output
    assert "DDB011" in output and f'api_token = {{ S = "{MASK}" }}' in output


def test_secrets_are_masked_even_in_other_rules_messages_and_when_ddb024_is_off(tmp_path: Path) -> None:
    """A bare value breaks DynamoDB JSON, and DDB021's message would quote it."""
    (tmp_path / "main.tf").write_text(
        'resource "aws_dynamodb_table_item" "x" {\n  table_name = "t"\n  hash_key = "pk"\n'
        f'  item = jsonencode({{ pk = {{ S = "a" }}, password = "{PASSWORD}" }})\n}}\n',
        encoding="utf-8",
    )
    result = lint([str(tmp_path)], Settings(cache=False, ignore=("DDB024",)))
    [finding] = result.findings
    assert finding.rule_id == "DDB021"
    assert f'{{"S": "{MASK}"}}' in finding.message
    assert PASSWORD not in _render(result, "full")
