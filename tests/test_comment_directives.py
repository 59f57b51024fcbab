"""Suppressions inside strings and heredocs: only a comment is a ``ddblint:`` directive."""

from __future__ import annotations

from ddblint.parse.comments import directive_comments
from tests.conftest import FIXTURES

TEXT = """# ddblint:ignore DDB001 -- above
resource "x" "y" { # ddblint:ignore DDB002 -- on the first line
  note = "see # ddblint:ignore-file DDB001 -- x"
  quoted = "q\\" # ddblint:ignore DDB003 -- still the string"
  tpl = "${ "a" } # ddblint:ignore DDB004 ${ {a = "}"}["a"] } # ddblint:no"  // ddblint:ignore DDB005 -- yes
  h = <<-EOT
    # ddblint:ignore-file DDB006 -- heredoc text
    ${ jsonencode({ a = "#" }) } // ddblint:ignore DDB006 -- heredoc text
    EOT
  /* ddblint:ignore DDB007 -- block comment */
  k = <<EOF
EOF
  z = 1 # ddblint:ignore DDB008 -- after the heredoc closed
}
"""


def test_suppressions_inside_strings_and_heredocs_are_not_comments() -> None:
    assert [line for line, _ in directive_comments(TEXT)] == [1, 2, 5, 10, 13]
    assert directive_comments(TEXT)[2] == (5, "// ddblint:ignore DDB005 -- yes")


def test_suppressions_inside_strings_and_heredocs_do_not_hide_findings(lint_dir) -> None:  # type: ignore[no-untyped-def]
    result = lint_dir(FIXTURES / "suppression_in_strings")
    assert sorted((f.rule_id, f.span.line, f.suppressed) for f in result.findings) == [
        ("DDB001", 14, False),
        ("DDB001", 35, False),
    ]
