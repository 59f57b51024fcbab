"""Code frames print secrets assembled from pieces: every literal piece of a flagged secret is masked."""

from __future__ import annotations

import io
from pathlib import Path

from ddblint.api import lint
from ddblint.config.settings import Settings
from ddblint.filter.redact import Redactor
from ddblint.report import ReportOptions, get_reporter

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
    assert 'pk        = { S = "admin" }' in frame.getvalue()


def test_messages_mask_every_literal_piece_of_a_flagged_secret() -> None:
    redact = Redactor.for_secrets(["prod-R3allyS3cretPassw0rd-991", "tok_9f8e7d6c5b4a39281706f5e4d3c2b1a0"])
    message = 'expected a number, got `"${var.env}-R3allyS3cretPassw0rd-991"` and `join("", ["tok_", "9f8e7d6c5b4a"])`'
    assert redact(message) == 'expected a number, got `"${var.env}****"` and `join("", ["****", "****"])`'
    assert redact('"ab" "%s" "pk"') == '"ab" "%s" "pk"'  # too short to say anything, or not a piece of one
