"""Code frames print secrets assembled from pieces: every literal piece of a flagged secret is masked."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from ddblint.api import lint
from ddblint.config.settings import Settings
from ddblint.filter.redact import MASK, Redactor
from ddblint.report import ReportOptions, get_reporter
from ddblint.result import Result
from tests.cli_run import run_cli

ASSEMBLED = """variable "env" {
  default = "prod"
}

resource "aws_dynamodb_table" "config" {
  name         = "config"
  billing_mode = "PAY_PER_REQUEST"
  hash_key     = "pk"
  attribute {
    name = "pk"
    type = "S"
  }
}

resource "aws_dynamodb_table_item" "admin" {
  table_name = aws_dynamodb_table.config.name
  hash_key   = "pk"
  item = jsonencode({
    pk        = { S = "admin" }
    password  = { S = "${var.env}-R3allyS3cretPassw0rd-991" }
    api_token = { S = join("", ["tok_", "9f8e7d6c5b4a39281706f5e4d3c2b1a0"]) }
    aws_key   = { S = format("%s%s", "AKIA", "Z7QWERTYUIOPASDF") }
  })
}
"""
PIECES = ("R3allyS3cretPassw0rd", "tok_", "9f8e7d6c5b4a39281706f5e4d3c2b1a0", "AKIA", "Z7QWERTYUIOPASDF")


ALL_FORMATS = ("full", "concise", "json", "sarif", "github", "junit", "gitlab")


def _reports(result: Result, cwd: Path) -> dict[str, str]:
    """Every report format's output for ``result``."""
    shown = {}
    for format_name in ALL_FORMATS:
        stream = io.StringIO()
        get_reporter(format_name)(result, stream, ReportOptions(cwd=str(cwd)))
        shown[format_name] = stream.getvalue()
    return shown


def test_code_frames_mask_every_literal_piece_of_a_flagged_secret(tmp_path: Path) -> None:
    (tmp_path / "main.tf").write_text(ASSEMBLED)
    result = lint([str(tmp_path)], Settings(cache=False))
    assert [f.rule_id for f in result.findings] == ["DDB024"]
    for format_name in ("full", "concise", "json", "sarif", "github"):
        stream = io.StringIO()
        get_reporter(format_name)(result, stream, ReportOptions(cwd=str(tmp_path)))
        shown = stream.getvalue()
        assert not [piece for piece in PIECES if piece in shown], format_name
    frame = io.StringIO()
    get_reporter("full")(result, frame, ReportOptions(cwd=str(tmp_path)))
    assert 'password  = { S = "${var.env}****" }' in frame.getvalue()
    source_line = ASSEMBLED.splitlines()[21]  # the frame may cut it; the reporters mask every line alike
    assert result.redact(source_line) == '    aws_key   = { S = format("%s%s", "****", "****") }'
    assert 'pk        = { S = "****" }' in frame.getvalue(), "the item's every literal is masked by position"


def test_messages_mask_every_literal_piece_of_a_flagged_secret() -> None:
    redact = Redactor.for_secrets(["prod-R3allyS3cretPassw0rd-991", "tok_9f8e7d6c5b4a39281706f5e4d3c2b1a0"])
    message = 'expected a number, got `"${var.env}-R3allyS3cretPassw0rd-991"` and `join("", ["tok_", "9f8e7d6c5b4a"])`'
    assert redact(message) == 'expected a number, got `"${var.env}****"` and `join("", ["****", "****"])`'
    assert redact('"ab" "%s" "pk"') == '"ab" "%s" "pk"'  # too short to say anything, or not a piece of one


SECRET = "S3cretPassw0rd-991"
TABLE_TF = ASSEMBLED[ASSEMBLED.index("resource") : ASSEMBLED.index("resource", 60)]  # the table block


def hcl_item(password: str) -> dict[str, str]:
    return {
        "main.tf": TABLE_TF + 'resource "aws_dynamodb_table_item" "admin" {\n'
        '  table_name = aws_dynamodb_table.config.name\n  hash_key   = "pk"\n  item = jsonencode({\n'
        f'    pk       = {{ S = "admin" }}\n    password = {{ S = {password} }}\n  }})\n}}\n'
    }


def heredoc_item(line: str) -> dict[str, str]:
    files = hcl_item("trimspace(local.password)")
    files["main.tf"] += f"locals {{\n  password = <<-EOT\n    {line}\n    EOT\n}}\n"
    return files


def json_item(password: str) -> dict[str, str]:
    item = '{\\"pk\\": {\\"S\\": \\"admin\\"}, \\"password\\": {\\"S\\": \\"' + password + '\\"}}'
    return {
        "main.tf": TABLE_TF,
        "items.tf.json": '{\n  "resource": {\n    "aws_dynamodb_table_item": {\n      "admin": {\n'
        '        "table_name": "${aws_dynamodb_table.config.name}",\n        "hash_key": "pk",\n'
        f'        "item": "{item}"\n      }}\n    }}\n  }}\n}}\n',
    }


# Each spelling, and the pieces of source text that spell the secret's characters.
SPELLINGS = {
    "unicode escapes": (hcl_item(r'"\u0052\u0033allyS3cretPassw0rd-991"'), [r"\u0052\u0033allyS3cret", "allyS3cret"]),
    "template escapes": (hcl_item('"R3ally%%{x}S3cret$${x}Passw0rd-991"'), ["R3ally%%{x}S3cret", "Passw0rd-991"]),
    "base64decode of a literal": (
        hcl_item('base64decode("UjNhbGx5UzNjcmV0UGFzc3cwcmQtOTkx")'),
        ["UjNhbGx5UzNjcmV0UGFzc3cwcmQtOTkx"],
    ),
    "nested templates": (hcl_item('"R3ally${"S3cret"}Passw0rd-991"'), ["R3ally", "S3cret", "Passw0rd-991"]),
    "heredoc": (heredoc_item('R3ally${lower("S3cret")}Passw0rd-991'), ["R3ally", "S3cret", "Passw0rd-991"]),
    "changed case": (hcl_item('"R3ally${upper("s3cret")}Passw0rd-991"'), ["R3ally", "s3cret", "Passw0rd-991"]),
    "tf.json escapes": (json_item(r"\\u0052\\u0033allyS3cretPassw0rd-991"), ["allyS3cret", r"\u0052"]),
}


@pytest.mark.parametrize("spelling", sorted(SPELLINGS))
def test_secrets_spelled_with_escapes_are_masked_in_every_report(tmp_path: Path, spelling: str) -> None:
    files, pieces = SPELLINGS[spelling]
    for name, text in files.items():
        (tmp_path / name).write_text(text)
    result = lint([str(tmp_path)], Settings(cache=False))
    assert [f.rule_id for f in result.findings] == ["DDB024"], [f.message for f in result.findings]
    for format_name in ("full", "concise", "json", "sarif", "github"):
        stream = io.StringIO()
        get_reporter(format_name)(result, stream, ReportOptions(cwd=str(tmp_path)))
        shown = stream.getvalue()
        assert not [piece for piece in pieces if piece in shown], (format_name, shown)
        assert SECRET not in shown
    frame = io.StringIO()
    get_reporter("full")(result, frame, ReportOptions(cwd=str(tmp_path)))
    assert '"admin"' in frame.getvalue()  # the resource's own line is no place of the item: its label is shown
    lines = [line for text in files.values() for line in text.splitlines()]  # a frame may cut any; all are masked
    assert not [(piece, line) for line in lines for piece in pieces if piece in result.redact(line)]
    assert sum(MASK in result.redact(line) for line in lines) >= 1


# Secrets a function transforms: the value the item holds reads like none of the literals it is made
# from, so each literal written where the item spells the secret is masked.
TRANSFORMED = {
    "replace": ('replace("RepL4cedSecretQQ", "Q", "W")', ["RepL4cedSecretQQ", "L4cedSecret"]),
    "split and join": ('join("-", split(",", "SplitPieceA1,SplitPieceB2"))', ["SplitPieceA1", "SplitPieceB2"]),
    "base64encode": ('base64encode("B64EncSecret")', ["B64EncSecret"]),
    "a condition": ('var.env == "prod" ? upper("CondSecretOne") : "CondSecretTwo"', ["CondSecretOne", "CondSecretTwo"]),
    "a list element": ('element(["ElemSecretZero", "ElemSecretOne"], 1)', ["ElemSecretZero", "ElemSecretOne"]),
    "format of a template": ('format("%s!", "FmtSecret${"Tail"}9")', ["FmtSecret", "Tail"]),
    "a short secret cut from a longer literal": ('substr("xhunter22x", 1, 8)', ["xhunter22x"]),
    "a prefix trimmed off": ('trimprefix("xxHunter2024", "xx")', ["xxHunter2024", "Hunter2024"]),
}


@pytest.mark.parametrize("transform", sorted(TRANSFORMED))
def test_secrets_a_function_transforms_are_masked_in_every_report(tmp_path: Path, transform: str) -> None:
    password, pieces = TRANSFORMED[transform]
    files = hcl_item(password)
    files["main.tf"] += 'variable "env" {\n  default = "prod"\n}\n'
    repo = tmp_path / "repo"
    repo.mkdir()
    for name, text in files.items():
        (repo / name).write_text(text)
    cached = Settings(cache_dir=str(tmp_path / "cache"))
    for settings, run in ((Settings(cache=False), "no cache"), (cached, "cold"), (cached, "warm")):
        result = lint([str(repo)], settings)
        assert [f.rule_id for f in result.findings] == ["DDB024"], (run, [f.message for f in result.findings])
        for format_name, shown in _reports(result, repo).items():
            assert not [piece for piece in pieces if piece in shown], (run, format_name, shown)
        lines = files["main.tf"].splitlines()
        assert not [(piece, line) for line in lines for piece in pieces if piece in result.redact(line)], run
        assert 'pk       = { S = "admin" }' in result.redact(files["main.tf"])  # the rest of the item is shown


def test_the_literals_beside_a_secret_are_masked_not_the_code_around_them(tmp_path: Path) -> None:
    (tmp_path / "main.tf").write_text(hcl_item('replace("RepL4cedSecretQQ", "Q", "W")')["main.tf"])
    result = lint([str(tmp_path)], Settings(cache=False))
    line = '    password = { S = replace("RepL4cedSecretQQ", "Q", "W") }'
    assert result.redact(line) == '    password = { S = replace("****", "Q", "W") }'


def test_a_line_of_interpolations_nested_too_deep_to_read_is_masked_not_a_crash() -> None:
    redact = Redactor.for_secrets(["S3cretPassw0rd-991"])
    deep = "  x = " + '"${' * 5000 + '"S3cret"' + '}"' * 5000
    assert redact(deep) == "  x = " + '"${' * 64 + '"' + MASK


FOR_EACH_ITEM = (
    TABLE_TF
    + """resource "aws_dynamodb_table_item" "admin" {
  for_each   = { alpha = "ForEachSecQQ", beta = "ForEachSecQR" }
  table_name = aws_dynamodb_table.config.name
  hash_key   = "pk"
  item = jsonencode({
    pk       = { S = each.key }
    password = { S = replace(each.value, "Q", "W") }
  })
}

resource "aws_dynamodb_table_item" "keyed" {
  for_each   = toset(["KeyMsgQQ1", "KeyMsgQQ2"])
  table_name = aws_dynamodb_table.config.name
  hash_key   = "pk"
  item = jsonencode({
    pk       = { S = "k-${each.key}" }
    password = { S = replace(each.key, "Q", "W") }
  })
}
"""
)


def test_secrets_made_from_for_each_literals_are_masked_in_frames_and_messages(tmp_path: Path) -> None:
    """The literal is written in ``for_each``, and DDB024's own message names an instance by its key."""
    (tmp_path / "main.tf").write_text(FOR_EACH_ITEM)
    result = lint([str(tmp_path)], Settings(cache=False))
    assert {f.rule_id for f in result.findings} == {"DDB024"}
    pieces = ["ForEachSec", "KeyMsgQQ"]
    for format_name, shown in _reports(result, tmp_path).items():
        assert not [piece for piece in pieces if piece in shown], (format_name, shown)
    assert not [line for line in FOR_EACH_ITEM.splitlines() for piece in pieces if piece in result.redact(line)]


def test_a_message_preview_cut_inside_a_secret_shows_none_of_it(tmp_path: Path) -> None:
    url = "postgres://app:VeryLongUrlPasswordValue1234567@db.internal:5432/app"
    (tmp_path / "main.tf").write_text(
        hcl_item(f'"{url}"')["main.tf"].replace("password = { S = ", "conn = ").replace(f'"{url}" }}', f'"{url}"')
    )
    result = lint([str(tmp_path)], Settings(cache=False))
    assert "DDB024" in {f.rule_id for f in result.findings}
    messages = " ".join(f.message + " ".join(f.evidence) for f in result.findings)
    assert "\u2026" in messages  # a preview was cut
    assert "VeryLong" not in messages and "UrlPassword" not in messages, messages


def test_a_long_secret_does_not_mask_the_short_words_it_happens_to_hold() -> None:
    body = "\n".join("MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC7" + f"{n:012d}" for n in range(26))
    key = f"-----BEGIN PRIVATE KEY-----\n{body}\nprivate begin end\n-----END PRIVATE KEY-----"  # 1,700 characters
    redact = Redactor.for_secrets([key, "tok_9f8e7d6c5b4a39281706f5e4d3c2b1a0"])
    assert redact('  kind = { S = "private" } # "begin" "end"') == '  kind = { S = "private" } # "begin" "end"'
    assert redact('  t = join("", ["tok_", "9f8e7d6c5b4a"])') == '  t = join("", ["****", "****"])'


LOCALS_ITEM = (
    TABLE_TF
    + """locals {
  seed     = "LocalSecQQ1"
  password = replace(local.seed, "Q", "W") # ddblint:ignore DDB001 -- the admin's password is seeded once
}

resource "aws_dynamodb_table_item" "admin" {
  table_name = aws_dynamodb_table.config.name
  hash_key   = "pk"
  item = jsonencode({
    pk       = { S = "admin" }
    password = { S = local.password }
  })
}
"""
)


def test_secrets_made_from_literals_in_locals_are_masked_in_every_frame(tmp_path: Path) -> None:
    """The unused suppression's frame (DDB090) is the locals line, which the item only names."""
    (tmp_path / "main.tf").write_text(LOCALS_ITEM)
    result = lint([str(tmp_path)], Settings(cache=False))
    assert {"DDB024", "DDB090"} <= {f.rule_id for f in result.findings}
    for format_name, shown in _reports(result, tmp_path).items():
        assert "LocalSec" not in shown, (format_name, shown)
    assert not [line for line in LOCALS_ITEM.splitlines() if "LocalSec" in result.redact(line)]


CONDITIONAL_ITEM = (
    TABLE_TF
    + """variable "enabled" {
  default = true
}

resource "aws_dynamodb_table_item" "admin" {
  table_name = aws_dynamodb_table.config.name
  hash_key   = "pk"
  item = var.enabled ? jsonencode({
    pk       = { S = "admin" }
    password = { S = replace("ItemCondQQ1x", "Q", "W") }
  }) : try(jsonencode({ pk = { S = "admin" }, password = { S = "TrySecretValue7" } }), "{}")
}
"""
)


def test_secrets_in_items_a_condition_or_try_chooses_are_masked(tmp_path: Path) -> None:
    (tmp_path / "main.tf").write_text(CONDITIONAL_ITEM)
    result = lint([str(tmp_path)], Settings(cache=False))
    assert "DDB024" in {f.rule_id for f in result.findings}
    for format_name in ("full", "concise", "json", "sarif", "github"):
        stream = io.StringIO()
        get_reporter(format_name)(result, stream, ReportOptions(cwd=str(tmp_path)))
        assert "ItemCondQQ" not in stream.getvalue() and "TrySecret" not in stream.getvalue(), format_name
    assert not [line for line in CONDITIONAL_ITEM.splitlines() if "ItemCond" in result.redact(line)]


def _item_resource(item: str, for_each: str = "") -> str:
    """The table and one item resource writing ``item`` (and ``for_each``, when given)."""
    each = f"  for_each   = {for_each}\n" if for_each else ""
    return (
        TABLE_TF
        + 'resource "aws_dynamodb_table_item" "admin" {\n'
        + each
        + "  table_name = aws_dynamodb_table.config.name\n"
        f'  hash_key   = "pk"\n  item = {item}\n}}\n'
    )


def _shown_everywhere(repo: Path, cache: Path) -> dict[str, tuple[list[str], str]]:
    """Each run's rule ids and every report format's output, without a cache, cold and warm."""
    cached = Settings(cache_dir=str(cache))
    shown: dict[str, tuple[list[str], str]] = {}
    for settings, run in ((Settings(cache=False), "no cache"), (cached, "cold"), (cached, "warm")):
        result = lint([str(repo)], settings)
        shown[run] = (sorted({f.rule_id for f in result.findings}), "\n".join(_reports(result, repo).values()))
    return shown


# Items a transform wraps whole, and secrets in pieces too short to spell anything: no literal reads as
# part of the secret, so the literals are masked by where they stand, in the places that write the item.
BY_POSITION = {
    "a for-expression item": (
        _item_resource(
            'jsonencode({ for k, v in { pk = "admin", password = "ForExprSecQQ9" } :'
            ' k => { S = replace(v, "Q", "W") } })'
        ),
        ["ForExprSecQQ9"],
    ),
    "replace over the item's JSON text": (
        _item_resource(
            'replace(<<JSON\n{"pk": {"S": "admin"}, "password": {"S": "Hq7__VvPp3Kk"}}\nJSON\n  , "__", "xy")'
        ),
        ["Hq7__VvPp3Kk", "VvPp3Kk"],
    ),
    "a computed key": (
        _item_resource(
            'jsonencode({ pk = { S = "admin" }, (lower("PASSWORD")) = { S = upper("comp8uted_key_val") } })'
        ),
        ["comp8uted_key_val"],
    ),
    "pieces of two characters": (
        _item_resource(
            'jsonencode({ pk = { S = "admin" }, password = { S = "${"Kx"}${"7q"}${"Lp"}${"9w"}${"Zr"}" } })'
        ),
        ['"Kx"', '"7q"', '"Lp"', '"9w"', '"Zr"'],
    ),
    "pieces of a for_each value": (
        _item_resource(
            'jsonencode({ pk = { S = each.key }, password = { S = join("", each.value) } })',
            for_each='{ admin = ["Q1", "w2", "E3", "r4", "T5y"] }',
        ),
        ['"Q1"', '"w2"', '"E3"', '"r4"'],
    ),
}


@pytest.mark.parametrize("case", sorted(BY_POSITION))
def test_secrets_no_literal_spells_are_masked_by_position_in_every_report(tmp_path: Path, case: str) -> None:
    text, pieces = BY_POSITION[case]
    repo = tmp_path / "repo"
    repo.mkdir()
    (repo / "main.tf").write_text(text)
    for run, (rule_ids, shown) in _shown_everywhere(repo, tmp_path / "cache").items():
        assert rule_ids == ["DDB024"], (run, case)
        assert not [piece for piece in pieces if piece in shown], (run, shown)
        assert 'hash_key   = "pk"' in shown and "aws_dynamodb_table.config.name" in shown, "only the item is masked"
        assert '"S"' in shown or "S =" in shown, "type descriptors and code stay readable"


def test_the_places_masked_by_position_are_the_item_and_what_it_reads(tmp_path: Path) -> None:
    """The item attribute, the for_each it reads, and its module's locals, variable defaults and tfvars it reads."""
    (tmp_path / "main.tf").write_text(
        _item_resource(
            'jsonencode({ pk = { S = each.key }, password = { S = "${local.a}${var.b}${each.value}" } })',
            for_each="{ admin = local.c }",
        )
        + 'locals {\n  a = "Zz"\n  c = "Yy"\n  unread = "kept"\n}\nvariable "b" {\n  default = "Xx9"\n}\n'
        + 'variable "other" {\n  default = "shown"\n}\n'
    )
    result = lint([str(tmp_path)], Settings(cache=False))
    assert [f.rule_id for f in result.findings] == ["DDB024"]
    lines = (tmp_path / "main.tf").read_text().splitlines()
    masked = [result.redact.source_line(str(tmp_path / "main.tf"), lines, n) for n in range(1, len(lines) + 1)]
    assert not [line for line in masked if any(piece in line for piece in ('"Zz"', '"Yy"', '"Xx9"'))], masked
    assert '  unread = "kept"' in masked and '  default = "shown"' in masked
    tfvars = tmp_path / "terraform.tfvars"
    tfvars.write_text('b     = "Ww7"\nother = "shown"\n')
    result = lint([str(tmp_path)], Settings(cache=False))
    values = tfvars.read_text().splitlines()
    assert [result.redact.source_line(str(tfvars), values, n) for n in (1, 2)] == ['b     = "****"', 'other = "shown"']
    assert "  table_name = aws_dynamodb_table.config.name" in masked


# Secrets DDB024 used to miss, which another rule's message or frame then printed.
MISSED = {
    "an item a variable without a default makes unknown": (
        'variable "x" {}\n' + _item_resource('jsonencode({ pk = { S = var.x }, password = { S = "UnkVarSecret7" } })'),
        "password.S",
        "UnkVarSecret7",
    ),
    "a heredoc item with timestamp() in it": (
        _item_resource('<<JSON\n{"pk": {"S": "${timestamp()}"}, "password": {"S": "HeredocTs9Sec"}}\nJSON'),
        "password.S",
        "HeredocTs9Sec",
    ),
    "strrev": (
        _item_resource('jsonencode({ pk = { S = "a" }, password = { S = strrev("veRtS3cret1") } })'),
        "password.S",
        "veRtS3cret1",
    ),
    "chomp": (
        _item_resource('jsonencode({ pk = { S = "a" }, token = { S = chomp("Ch0mpT0ken\\n") } })'),
        "token.S",
        "Ch0mpT0ken",
    ),
    "title": (
        _item_resource('jsonencode({ pk = { S = "a" }, secret = { S = title("t1tleSecRet") } })'),
        "secret.S",
        "t1tleSecRet",
    ),
    "templatestring": (
        _item_resource('jsonencode({ pk = { S = "a" }, password = { S = templatestring("Tmpl8Sec", {}) } })'),
        "password.S",
        "Tmpl8Sec",
    ),
    "yamlencode": (
        _item_resource('jsonencode({ pk = { S = "a" }, api_key = { S = yamlencode("Yaml3ncKey") } })'),
        "api_key.S",
        "Yaml3ncKey",
    ),
    "a wrong descriptor": (
        _item_resource('jsonencode({ pk = { S = "a" }, password = { N = "hunter2" } })'),
        "password.N",
        "hunter2",
    ),
    "a function finishing the item's JSON text": (
        'variable "env" {}\n'
        + _item_resource(
            'format("{\\"pk\\": {\\"S\\": \\"%s\\"}, \\"password\\": {\\"S\\": \\"FmtJs0nSecret\\"}}", var.env)'
        ),
        "password.S",
        "FmtJs0nSecret",
    ),
    "a heredoc item with directives": (
        'variable "regions" {}\n'
        + _item_resource(
            '<<EOT\n{"pk": {"S": "db"}, "password": {"S": "Dir3ctiveSecret"},\n'
            ' "regions": {"SS": [%{ for r in var.regions }"${r}",%{ endfor }]}}\nEOT'
        ),
        "password.S",
        "Dir3ctiveSecret",
    ),
    "a heredoc item that is not JSON": (
        _item_resource('<<EOT\n{"pk": {"S": "u1"},\n "password": {"S": "Tra1lingComma"},\n}\nEOT'),
        "password.S",
        "Tra1lingComma",
    ),
    "plural names": (
        _item_resource(
            'jsonencode({ pk = { S = "a" }, api_tokens = { SS = ["Pl0ralTok1"] },'
            ' passwords = { L = [{ S = "Pl0ralPw2" }] } })'
        ),
        "api_tokens.SS[0]",
        "Pl0ralPw2",
    ),
}


@pytest.mark.parametrize("case", sorted(MISSED))
def test_secrets_ddb024_used_to_miss_are_found_and_masked(tmp_path: Path, case: str) -> None:
    text, path, secret = MISSED[case]
    repo = tmp_path / "repo"
    repo.mkdir()
    (repo / "main.tf").write_text(text)
    result = lint([str(repo)], Settings(cache=False))
    flagged = [f for f in result.findings if f.rule_id == "DDB024"]
    assert flagged and path in flagged[0].evidence, [f.message for f in result.findings]
    for run, (_, shown) in _shown_everywhere(repo, tmp_path / "cache").items():
        assert secret not in shown, (run, shown)


@pytest.mark.parametrize(
    "value",
    [
        'bcrypt("hunter2hunter2")',
        'md5(var.env == "" ? "hunter2hunter2" : var.env)',
        '"${var.env}"',
        'format("%s", var.env)',
        '"Bearer ${var.env}"',
        'format("%s/%s", var.env, "database")',
        'lookup(var.env, "key", "default")',
    ],
)
def test_a_one_way_hash_of_a_literal_or_a_value_with_no_literal_is_no_secret_in_the_item(
    tmp_path: Path, value: str
) -> None:
    (tmp_path / "main.tf").write_text(
        'variable "env" {}\n' + _item_resource(f'jsonencode({{ pk = {{ S = "a" }}, password = {{ S = {value} }} }})')
    )
    assert "DDB024" not in {f.rule_id for f in lint([str(tmp_path)], Settings(cache=False)).findings}


CALLER_TF = """locals {
  pieces = ["Q1", "w2", "E3"]
  unread = "kept"
}

module "admin" {
  source   = "./mod"
  for_each = { admin = "r4T5" }
  password = join("", concat(local.pieces, [each.value]))
}
"""
CALLEE_TF = (
    'variable "password" {}\n'
    + TABLE_TF
    + _item_resource('jsonencode({ pk = { S = "admin" }, password = { S = var.password } })')[len(TABLE_TF) :]
)


def test_secrets_a_module_call_passes_in_are_masked_by_position_up_the_calls(tmp_path: Path) -> None:
    """The argument that sets the variable, the call's for_each and the caller's locals they read."""
    repo = tmp_path / "repo"
    (repo / "mod").mkdir(parents=True)
    (repo / "main.tf").write_text(CALLER_TF)
    (repo / "mod" / "main.tf").write_text(CALLEE_TF)
    for run, (rule_ids, shown) in _shown_everywhere(repo, tmp_path / "cache").items():
        assert rule_ids == ["DDB024"] and "r4T5" not in shown, run
    result = lint([str(repo)], Settings(cache=False))
    lines = CALLER_TF.splitlines()
    masked = [result.redact.source_line(str(repo / "main.tf"), lines, n) for n in range(1, len(lines) + 1)]
    assert not [line for line in masked if any(piece in line for piece in ('"Q1"', '"w2"', '"E3"', '"r4T5"'))]
    assert '  unread = "kept"' in masked and '  source   = "./mod"' in masked


def _many_calls(repo: Path, calls: int) -> None:
    (repo / "mod").mkdir(parents=True)
    (repo / "mod" / "main.tf").write_text(CALLEE_TF)
    (repo / "main.tf").write_text(
        "".join(f'module "m{n}" {{\n  source   = "./mod"\n  password = "Pw{n}x7Kq2Zr"\n}}\n' for n in range(calls))
    )


def test_finding_the_places_up_thousands_of_module_calls_is_linear_in_the_calls(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Counted, not timed: each flagged set's callers are looked up by span, not searched for."""
    from ddblint.model import module as model

    counted: list[int] = []
    real = model.span_of

    def counting(path: str, block: object) -> object:
        counted.append(1)
        return real(path, block)  # type: ignore[arg-type]

    monkeypatch.setattr(model, "span_of", counting)
    spans = {}
    for calls in (100, 400):
        _many_calls(tmp_path / str(calls), calls)
        counted.clear()
        result = lint([str(tmp_path / str(calls))], Settings(cache=False, jobs=1))
        assert [f.rule_id for f in result.findings] == ["DDB024"]
        assert len(result.redact.places) == calls + 1  # each call's argument, and the item
        spans[calls] = len(counted)
    assert spans[400] <= 5 * spans[100], spans  # linear gives 4 times as many; a search per set 16


def test_heredoc_lines_are_found_as_the_parser_finds_them() -> None:
    """A marker in a comment opens nothing; markers may hold dots; a closer has nothing after it."""
    from ddblint.parse.comments import heredoc_lines

    text = 'a = 1 # <<EOT\nb = <<ABC\nx ${y} z\nEOT\nABC\nc = <<E.T\nsec\nE.T\ne = <<-Y\n  w\nY \n  Y\nz = "<<Q"\n'
    assert sorted(heredoc_lines(text)) == [3, 4, 7, 10, 11]


# Lines the position masking once missed: a form feed ends a line for str.splitlines() but not for
# the parser, a heredoc marker in a comment, a marker with a dot, a closer with a space after it.
PIECES_ITEM = 'jsonencode({ pk = { S = "admin" }, password = { S = "${"Kx"}${"7q"}${"Lp"}${"9w"}${"Zr"}" } })'
HEREDOC_PIECES = 'Kx${""}7q${""}Lp${""}9w${""}Zr'
MISPLACED = {
    "a form feed in a comment": "# note\x0c page two\n" + _item_resource(PIECES_ITEM),
    "a heredoc marker in a comment": _item_resource(
        f"jsonencode({{ # <<EOT\n    password = {{ S = <<ABC\nEOT\n{HEREDOC_PIECES}\nABC\n  }} }})"
    ),
    "a marker with a dot": _item_resource(f"jsonencode({{ password = {{ S = <<E.T\n{HEREDOC_PIECES}\nE.T\n  }} }})"),
    "a closer with a space after it": _item_resource(
        f"jsonencode({{ password = {{ S = <<EOT\nEOT \n{HEREDOC_PIECES}\nEOT\n  }} }})"
    ),
}


@pytest.mark.parametrize("case", sorted(MISPLACED))
def test_a_secret_in_short_pieces_is_masked_on_the_lines_the_parser_counts(tmp_path: Path, case: str) -> None:
    (tmp_path / "main.tf").write_text(MISPLACED[case])
    result = lint([str(tmp_path)], Settings(cache=False))
    assert "DDB024" in {f.rule_id for f in result.findings}, [f.message for f in result.findings]
    frame = io.StringIO()
    get_reporter("full")(result, frame, ReportOptions(cwd=str(tmp_path)))
    lines = MISPLACED[case].split("\n")  # a frame may cut any line; each is masked alike
    shown = [frame.getvalue()] + [
        result.redact.source_line(str(tmp_path / "main.tf"), lines, n) for n in range(1, len(lines))
    ]
    assert not [text for text in shown for p in ('"Kx"', '"7q"', '"Zr"', "Kx$", "Zr\n") if p in text], shown


def test_a_fingerprint_is_hashed_from_masked_text() -> None:
    """A finding's identity may quote what it found (DDB010's evidence, a parse message); hashed in
    clear, a report's fingerprint would let anyone test guesses at the secret offline."""
    from ddblint.findings import Finding, Severity
    from ddblint.span import Span

    redact = Redactor.for_secrets(["Sw0rdfish-2024"])
    found = [
        redact.finding(Finding("DDB010", Severity.ERROR, "m", Span("/r/main.tf"), "a.b", (), f"a.b|{secret}"))
        for secret in ("Sw0rdfish-2024", "Other-Secret-1")
    ]
    assert found[0].identity == "a.b|****" and found[1].identity == "a.b|Other-Secret-1"
    assert found[0].fingerprint("main.tf") == Finding(
        "DDB010", Severity.ERROR, "m", Span("/r/main.tf"), "a.b", (), "a.b|****"
    ).fingerprint("main.tf")


def test_a_file_that_does_not_parse_shows_no_literal_in_its_frames(tmp_path: Path) -> None:
    """Its blocks are not read, so no evaluation can tell which literal is a secret: an argument set
    twice (a merge conflict's leftover) once printed the password of the item written twice."""
    item = 'jsonencode({ pk = { S = "admin" }, password = { S = "Xk9pQ2mZ7vL4" } })'
    text = _item_resource(item).replace(f"  item = {item}\n", f"  item = {item}\n  item = {item}\n")
    (tmp_path / "main.tf").write_text(text)
    result = lint([str(tmp_path)], Settings(cache=False))
    assert [f.rule_id for f in result.findings] == ["DDB000"]
    frame = io.StringIO()
    get_reporter("full")(result, frame, ReportOptions(cwd=str(tmp_path)))
    assert "Xk9pQ2mZ7vL4" not in frame.getvalue() and 'password = { S = "****" }' in frame.getvalue()


SUPPRESSED_ITEM = 'jsonencode({ pk = { S = "admin" }, password = { S = "Hunter2Secr3t9" } })'


@pytest.mark.parametrize("where", ["a comment", "the config"])
def test_a_suppression_reason_that_repeats_the_secret_is_masked(tmp_path: Path, where: str) -> None:
    """The json, sarif and junit formats print why a finding is suppressed."""
    text = _item_resource(SUPPRESSED_ITEM)
    if where == "a comment":
        marker = 'resource "aws_dynamodb_table_item"'
        text = text.replace(marker, "# ddblint:ignore DDB024 -- test account, password Hunter2Secr3t9\n" + marker)
    else:
        (tmp_path / ".ddblint.yaml").write_text(
            'suppress:\n  - paths: ["main.tf"]\n    rules: [DDB024]\n    reason: "pw is Hunter2Secr3t9"\n'
        )
    (tmp_path / "main.tf").write_text(text)
    for format_name in ("json", "sarif", "junit", "full", "gitlab"):
        out = run_cli("--no-cache", "--show-suppressed", "--format", format_name, str(tmp_path), cwd=tmp_path)
        assert "Hunter2Secr3t9" not in out.stdout, (format_name, out.stdout)
        assert format_name not in ("json", "sarif", "junit") or "****" in out.stdout, "the reason is shown, masked"


def test_a_secret_with_a_lone_surrogate_is_masked_as_messages_print_it(tmp_path: Path) -> None:
    """A message shows the lone surrogate a .tf.json escape makes as ``?``; the mask follows."""
    item = '{\\"pk\\": {\\"S\\": \\"a\\"}, \\"password\\": {\\"S\\": \\"Hunter2Secr3t9\\\\udc80\\"}}'
    (tmp_path / "main.tf.json").write_text(
        '{"resource": {"aws_dynamodb_table_item": {"i": {"table_name": "t", "hash_key": "pk", "item": "'
        + item
        + '"}}}}'
    )
    result = lint([str(tmp_path)], Settings(cache=False))
    assert {"DDB021", "DDB024"} <= {f.rule_id for f in result.findings}
    for format_name, shown in _reports(result, tmp_path).items():
        assert "Hunter2Secr3t9" not in shown, (format_name, shown)


def test_the_piece_index_answers_as_asking_each_secret_in_turn() -> None:
    """The joined lookup must say what a loop over the secrets says, length bound and NULs included."""
    import random

    from ddblint.filter.redact import MIN_FREE_FORM_CHARS, PIECES_PER_SECRET, _PieceIndex

    def each_in_turn(secrets: list[str], meant: str, quoted: bool) -> bool:
        folded = meant.casefold()
        return any(
            (len(meant) >= len(secret) // PIECES_PER_SECRET and folded in secret)
            or (quoted and len(secret) >= MIN_FREE_FORM_CHARS and secret in folded)
            for secret in secrets
        )

    rng = random.Random(1)
    letters = "ab\0cß"
    for _ in range(2000):
        secrets = sorted({"".join(rng.choices(letters, k=rng.randint(1, 70))).casefold() for _ in range(4)})
        index = _PieceIndex(secrets)
        for _ in range(10):
            chosen = rng.choice(secrets)
            start = rng.randint(0, len(chosen))
            meant = chosen[start : start + rng.randint(1, 8)] or "".join(rng.choices(letters, k=rng.randint(1, 14)))
            quoted = rng.random() < 0.5
            folded = meant.casefold()
            found = index.part_of_one(folded, len(meant)) or (quoted and index.holds_a_long_one(folded))
            assert found == each_in_turn(secrets, meant, quoted), (secrets, meant, quoted)
